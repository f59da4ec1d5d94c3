// One streamed answer: InvokeEndpointWithResponseStream, its PayloadParts decoded into text as they
// arrive, timed for time-to-first-token and tokens per second, and stoppable. The text of each part
// is handed on at once, in one piece: as many updates as the network delivers parts, not tokens.
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { loadRuntimeSdk } from '../../aws/clients';
import { parseStreamEvent, ServerSentEvents, type StreamEvent } from './payloads';
import type { AnswerMetrics } from './types';

export interface StreamedAnswer {
  text: string;
  metrics: AnswerMetrics;
  /** The user stopped it: `text` is what had arrived. */
  stopped: boolean;
}

/** An error the model server reported inside the stream (a status 200 answer that then failed). */
export class ModelOutputError extends Error {
  override readonly name = 'ModelOutputError';
}

/**
 * Tokens per second while generating, measured honestly: over the time from the first text to the
 * last, counting only the tokens that came after the first text (those that came with it were
 * generated before the span began) — so at least two tokens, arriving apart. Anything less (one
 * token, all tokens in one part) cannot be measured: undefined, shown as "—".
 */
export function generationRate(timing: { tokens: number; tokensAtFirst: number; firstTokenAt?: number; lastTokenAt?: number }): number | undefined {
  const { tokens, tokensAtFirst, firstTokenAt, lastTokenAt } = timing;
  if (firstTokenAt === undefined || lastTokenAt === undefined || lastTokenAt <= firstTokenAt) return undefined;
  const generated = tokens - tokensAtFirst;
  if (generated < 1 || tokens < 2) return undefined;
  return (generated * 1000) / (lastTokenAt - firstTokenAt);
}

export async function streamAnswer(
  runtime: SageMakerRuntimeClient,
  endpointName: string,
  body: unknown,
  options: {
    signal: AbortSignal;
    onText: (text: string) => void;
    /** The CustomAttributes header (a JumpStart model's `accept_eula=true`). */
    customAttributes?: string;
    /** How an event is read; the known formats' shapes by default (a custom template has its own). */
    readEvent?: (data: string) => StreamEvent;
  },
): Promise<StreamedAnswer> {
  const readEvent = options.readEvent ?? parseStreamEvent;
  const now = () => performance.now();
  const { InvokeEndpointWithResponseStreamCommand } = await loadRuntimeSdk();
  const started = now();
  let firstTokenAt: number | undefined;
  let lastTokenAt: number | undefined;
  /** Tokens that came with the first text: generated before the span timed below. */
  let tokensAtFirst = 0;
  let text = '';
  let tokens = 0;
  let finishReason: string | undefined;
  let variant: string | undefined;
  const result = (stopped: boolean): StreamedAnswer => {
    const ended = now();
    return {
      text,
      stopped,
      metrics: {
        firstTokenMs: firstTokenAt === undefined ? undefined : firstTokenAt - started,
        totalMs: ended - started,
        tokens,
        tokensPerSecond: generationRate({ tokens, tokensAtFirst, firstTokenAt, lastTokenAt }),
        finishReason,
        variant,
      },
    };
  };
  /** Applies the events of one part; true once `[DONE]` came. */
  const apply = (events: string[]): boolean => {
    let added = '';
    let done = false;
    let error: string | undefined;
    for (const data of events) {
      const event = readEvent(data);
      added += event.text;
      tokens += event.tokens;
      finishReason = event.finishReason ?? finishReason;
      error = event.error;
      done = event.done === true;
      if (done || error !== undefined) break;
    }
    if (added !== '') {
      lastTokenAt = now();
      if (firstTokenAt === undefined) {
        firstTokenAt = lastTokenAt;
        tokensAtFirst = tokens;
      }
      text += added;
      options.onText(added);
    }
    if (error !== undefined) throw new ModelOutputError(error);
    return done;
  };

  // The request has its own signal, aborted when the caller's is and when this function is done: an
  // answer ended by `[DONE]` leaves the loop before the HTTP response's end, and leaving the SDK's
  // event stream does not give its socket back, so without this every such answer held one of the
  // client's 50 sockets until the 51st call waited and failed (bench:ttft, call 54 of the echo server).
  const request = new AbortController();
  const stopRequest = () => request.abort();
  if (options.signal.aborted) request.abort();
  options.signal.addEventListener('abort', stopRequest, { once: true });
  try {
    const response = await runtime.send(
      new InvokeEndpointWithResponseStreamCommand({
        EndpointName: endpointName,
        Body: new TextEncoder().encode(JSON.stringify(body)),
        ContentType: 'application/json',
        ...(options.customAttributes ? { CustomAttributes: options.customAttributes } : {}),
      }),
      { abortSignal: request.signal },
    );
    variant = response.InvokedProductionVariant;
    const events = new ServerSentEvents();
    for await (const part of response.Body ?? []) {
      if (options.signal.aborted) return result(true);
      // Errors inside the stream: the SDK throws modeled ones, but a union member may still come.
      const failure = part.ModelStreamError ?? part.InternalStreamFailure;
      if (failure) throw failure;
      if (part.PayloadPart?.Bytes && apply(events.push(part.PayloadPart.Bytes))) return result(false);
    }
    apply(events.end());
    return result(false);
  } catch (error) {
    if (options.signal.aborted) return result(true);
    throw error;
  } finally {
    options.signal.removeEventListener('abort', stopRequest);
    request.abort(); // a request already ended is not touched; one left mid-response is closed
  }
}
