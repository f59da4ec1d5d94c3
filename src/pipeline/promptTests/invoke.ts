// One prompt-test call against an endpoint, written and read by the chat's codec
// (src/pipeline/chat/formats.ts) in the call's format — Messages API, TGI, LMI/DJL, JumpStart (with
// `accept_eula=true` in CustomAttributes when the file accepts the EULA) or the file's custom
// template: streamed through InvokeEndpointWithResponseStream (the chat's streamAnswer), or answered
// whole through InvokeEndpoint, whose body is read by the same event reader and its token count
// from the server's `usage` (Messages API) or `details` (TGI). Also why a call failed, in the chat's
// words with the next step a file can take.
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { loadRuntimeSdk } from '../../aws/clients';
import type { FailureContext } from '../../failures/classify';
import { describeChatFailure } from '../chat/failures';
import { encodeRequest, eventReader, FORMAT_LABELS, type EncodedRequest } from '../chat/formats';
import { parseStreamEvent, type StreamEvent } from '../chat/payloads';
import { ModelOutputError, streamAnswer } from '../chat/stream';
import type { ChatFailure } from '../chat/types';
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

/**
 * The request of a call: a leading system message as the system prompt (each format puts it where
 * it goes: a system message, or before the prompt of a format without roles), the conversation
 * before the last user turn as history, and that turn as the prompt.
 */
export function callRequest(call: PlannedCall): EncodedRequest {
  const [first, ...rest] = call.messages;
  const system = first?.role === 'system' ? first.content : undefined;
  const turns = system === undefined ? call.messages : rest;
  const history = turns.slice(0, -1);
  const prompt = turns[turns.length - 1]?.content ?? '';
  const parameters = system === undefined ? call.parameters : { ...call.parameters, systemPrompt: system };
  return encodeRequest(call.spec, history, prompt, parameters, { stream: call.stream });
}

export async function invokeCall(runtime: SageMakerRuntimeClient, call: PlannedCall, signal: AbortSignal): Promise<CallAnswer> {
  const { body, customAttributes } = callRequest(call);
  const readEvent = eventReader(call.spec);
  if (call.stream) {
    const answer = await streamAnswer(runtime, call.endpoint, body, { signal, onText: () => undefined, customAttributes, readEvent });
    return {
      text: answer.text,
      latencyMs: answer.metrics.totalMs,
      firstTokenMs: answer.metrics.firstTokenMs,
      // A streamed call answered whole (JumpStart; a template without chunks) counts no tokens: unknown, not 0.
      tokens: answer.metrics.tokens === 0 && answer.text !== '' ? undefined : answer.metrics.tokens,
      finishReason: answer.metrics.finishReason,
    };
  }
  const { InvokeEndpointCommand } = await loadRuntimeSdk();
  const started = performance.now();
  const response = await runtime.send(
    new InvokeEndpointCommand({
      EndpointName: call.endpoint,
      Body: new TextEncoder().encode(JSON.stringify(body)),
      ContentType: 'application/json',
      Accept: 'application/json',
      ...(customAttributes ? { CustomAttributes: customAttributes } : {}),
    }),
    { abortSignal: signal },
  );
  const text = new TextDecoder().decode(response.Body);
  const latencyMs = performance.now() - started;
  return { ...readWholeAnswer(text, readEvent), latencyMs };
}

/** The text, token count and finish reason of a whole (not streamed) answer, its text read by the format's reader. */
export function readWholeAnswer(body: string, readEvent: (data: string) => StreamEvent = parseStreamEvent): Omit<CallAnswer, 'latencyMs'> {
  const event = readEvent(body);
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

/**
 * Why a call failed, as the chat says it (the one classifier underneath) — but where the chat offers
 * a button, a file has a key: a JumpStart model refusing for its EULA is answered by `acceptEula: true`,
 * a request in a format the endpoint does not speak by `format:`.
 */
export function describeCallFailure(error: unknown, call: PlannedCall, context: FailureContext): Omit<ChatFailure, 'actions'> {
  const failure = describeChatFailure(error, { endpoint: call.endpoint, format: call.parameters.format, failure: context });
  if (failure.actions.includes('acceptEula')) {
    return {
      title: failure.title,
      message: `add "acceptEula: true" to the file once you have read the model's EULA (on its JumpStart model card); it is then sent as accept_eula=true in CustomAttributes. The model server said: ${failure.message}`,
    };
  }
  // A refusal that may be the format's: the chat's next step is its format picker, a file's is its format key.
  const detail = failure.actions.includes('detectFormat')
    ? [
        `The request was sent in the ${FORMAT_LABELS[call.spec.format]} format; the endpoint may expect another: set format: in the file (messages, tgi, lmi, jumpstart, or custom with a template).`,
        ...(failure.detail ?? '').split('\n').filter((line) => line !== '' && !line.startsWith('The request was sent in')),
      ].join('\n')
    : failure.detail;
  return { title: failure.title, message: failure.message, ...(detail === undefined ? {} : { detail }) };
}
