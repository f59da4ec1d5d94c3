// Test load on an endpoint: N invocations started at a steady rate (open loop: a slow answer does not
// slow the schedule, as real traffic does not wait), at most `maxInFlight` at once, cancellable, with
// the latencies' p50 and p95 at the end. Enough traffic to watch target tracking scale a variant out
// and back in, or to warm a real endpoint.
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { setMaxListeners } from 'node:events';
import { loadRuntimeSdk } from '../aws/clients';

export interface TestLoadOptions {
  count: number;
  /** Invocations started per second. */
  ratePerSecond: number;
  /** Invocations waiting for an answer at most; the schedule waits beyond it. */
  maxInFlight?: number;
  signal?: AbortSignal;
  /** After each answered (or failed) invocation. */
  onProgress?: (progress: { done: number; failed: number; total: number }) => void;
  /** How a failure is told (default: its message); the first one is kept in the result. */
  describeError?: (error: unknown) => string;
}

export interface TestLoadResult {
  sent: number;
  succeeded: number;
  failed: number;
  cancelled: boolean;
  durationMs: number;
  /** Answered invocations per second over the whole run. */
  invocationsPerSecond: number;
  /** Latency of the successful invocations, in milliseconds. */
  p50Ms?: number;
  p95Ms?: number;
  /** The first failure's message, to say why. */
  firstError?: string;
}

export const DEFAULT_MAX_IN_FLIGHT = 16;

/** One invocation; rejects on failure. The signal aborts it when the load is cancelled. */
export type Invoke = (signal: AbortSignal) => Promise<void>;

export async function runTestLoad(invoke: Invoke, options: TestLoadOptions): Promise<TestLoadResult> {
  const { count, ratePerSecond } = options;
  const maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
  const intervalMs = 1000 / ratePerSecond;
  const aborter = new AbortController();
  setMaxListeners(maxInFlight + 2, aborter.signal); // every call in flight listens for the cancel
  const onAbort = () => aborter.abort();
  options.signal?.addEventListener('abort', onAbort);
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  let firstError: string | undefined;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();

  const one = async () => {
    const begin = performance.now();
    try {
      await invoke(aborter.signal);
      latencies.push(performance.now() - begin);
    } catch (error) {
      if (aborter.signal.aborted) return; // cancelled, not failed
      failed++;
      firstError ??= options.describeError ? options.describeError(error) : ((error as Error).message ?? String(error));
    }
    options.onProgress?.({ done: latencies.length + failed, failed, total: count });
  };

  try {
    while (sent < count && !aborter.signal.aborted) {
      const due = started + sent * intervalMs;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait, aborter.signal);
      if (aborter.signal.aborted) break;
      if (inFlight.size >= maxInFlight) {
        await Promise.race(inFlight);
        continue;
      }
      sent++;
      const call: Promise<void> = one().finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
    await Promise.all(inFlight);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const durationMs = performance.now() - started;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    sent,
    succeeded: latencies.length,
    failed,
    cancelled: aborter.signal.aborted,
    durationMs,
    invocationsPerSecond: durationMs > 0 ? ((latencies.length + failed) * 1000) / durationMs : 0,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    firstError,
  };
}

/** The nearest-rank percentile of ascending values, or undefined for none. */
export function percentile(sortedAscending: readonly number[], p: number): number | undefined {
  if (sortedAscending.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The request body: Hugging Face TGI's `{inputs, parameters}`, which TGI, LMI and JumpStart LLM containers (and the built-in GPT) take. */
export function testLoadBody(prompt: string, maxNewTokens: number): string {
  return JSON.stringify({ inputs: prompt, parameters: { max_new_tokens: maxNewTokens } });
}

/** One InvokeEndpoint of the endpoint with the body, its answer read whole (a model error rejects). */
export function endpointInvoker(runtime: SageMakerRuntimeClient, endpointName: string, body: string): Invoke {
  const sdkLoaded = loadRuntimeSdk();
  return async (signal) => {
    const { InvokeEndpointCommand } = await sdkLoaded;
    await runtime.send(new InvokeEndpointCommand({ EndpointName: endpointName, ContentType: 'application/json', Accept: 'application/json', Body: body }), {
      abortSignal: signal,
    });
  };
}

/** "100 invocations in 12.3 s (8.1/s): p50 182 ms, p95 240 ms; 2 failed: …". */
export function describeTestLoad(result: TestLoadResult): string {
  const answered = result.succeeded + result.failed;
  const head = `${result.cancelled ? `Cancelled after ${answered} of ${result.sent} sent invocations` : `${answered} invocations`} in ${(result.durationMs / 1000).toFixed(1)} s (${result.invocationsPerSecond.toFixed(1)}/s)`;
  const latency = result.p50Ms === undefined ? 'no answer succeeded' : `p50 ${Math.round(result.p50Ms)} ms, p95 ${Math.round(result.p95Ms!)} ms`;
  const failures = result.failed > 0 ? `; ${result.failed} failed: ${result.firstError}` : '';
  return `${head}: ${latency}${failures}`;
}
