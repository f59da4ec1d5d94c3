// One prompt-test call against an endpoint, in the chat's own payload formats (src/pipeline/chat):
// streamed through InvokeEndpointWithResponseStream (the chat's streamAnswer), or answered whole
// through InvokeEndpoint, whose body is read by the same event parser and its token count from the
// server's `usage` (Messages API) or `details` (TGI).
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { loadRuntimeSdk } from '../../aws/clients';
import { parseStreamEvent, requestBody } from '../chat/payloads';
import { ModelOutputError, streamAnswer } from '../chat/stream';
import type { PlannedCall } from './plan';

export interface CallAnswer {
  text: string;
  /** From sending the request to the answer's last byte. */
  latencyMs: number;
  firstTokenMs?: number;
  /** Undefined when a whole answer did not say how many tokens it had. */
  tokens?: number;
  finishReason?: string;
}

/** The request body of a call: the conversation before the last user turn, and that turn as the prompt. */
export function callBody(call: PlannedCall): object {
  const history = call.messages.slice(0, -1);
  const prompt = call.messages[call.messages.length - 1]?.content ?? '';
  const body = requestBody(call.parameters.format, history, prompt, call.parameters) as Record<string, unknown>;
  return call.stream ? body : { ...body, stream: false };
}

export async function invokeCall(runtime: SageMakerRuntimeClient, call: PlannedCall, signal: AbortSignal): Promise<CallAnswer> {
  const body = callBody(call);
  if (call.stream) {
    const answer = await streamAnswer(runtime, call.endpoint, body, { signal, onText: () => undefined });
    return {
      text: answer.text,
      latencyMs: answer.metrics.totalMs,
      firstTokenMs: answer.metrics.firstTokenMs,
      tokens: answer.metrics.tokens,
      finishReason: answer.metrics.finishReason,
    };
  }
  const { InvokeEndpointCommand } = await loadRuntimeSdk();
  const started = performance.now();
  const response = await runtime.send(
    new InvokeEndpointCommand({ EndpointName: call.endpoint, Body: new TextEncoder().encode(JSON.stringify(body)), ContentType: 'application/json', Accept: 'application/json' }),
    { abortSignal: signal },
  );
  const text = new TextDecoder().decode(response.Body);
  const latencyMs = performance.now() - started;
  return { ...readWholeAnswer(text), latencyMs };
}

/** The text, token count and finish reason of a whole (not streamed) answer. */
export function readWholeAnswer(body: string): Omit<CallAnswer, 'latencyMs'> {
  const event = parseStreamEvent(body);
  if (event.error !== undefined) throw new ModelOutputError(event.error);
  let tokens: number | undefined;
  let finishReason = event.finishReason;
  try {
    const value: unknown = JSON.parse(body);
    const record = (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
    const usage = record?.usage as { completion_tokens?: unknown } | undefined;
    const details = record?.details as { generated_tokens?: unknown; finish_reason?: unknown } | undefined;
    const count = usage?.completion_tokens ?? details?.generated_tokens;
    tokens = typeof count === 'number' ? count : undefined;
    if (finishReason === undefined && typeof details?.finish_reason === 'string') finishReason = details.finish_reason;
  } catch {
    // plain text: no count
  }
  return { text: event.text, tokens, ...(finishReason === undefined ? {} : { finishReason }) };
}
