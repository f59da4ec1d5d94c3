// Runs planned calls with a bounded number in flight and checks each answer: a failed invocation is
// a failed case that says why (in the chat's failure words), never a crash of the run. The caller
// hears of each call as it starts and ends (the Testing view's items, the CLI's progress). Pure: the
// invocation is passed in.
import { checkAnswer, type AssertionResult } from './assertions';
import type { CallAnswer } from './invoke';
import type { PlannedCall } from './plan';

export interface CallFailure {
  title: string;
  message: string;
  detail?: string;
}

export interface CallResult {
  call: PlannedCall;
  passed: boolean;
  answer?: CallAnswer;
  /** The invocation itself failed. */
  failure?: CallFailure;
  assertions: AssertionResult[];
}

export interface RunOptions {
  invoke: (call: PlannedCall, signal: AbortSignal) => Promise<CallAnswer>;
  /** Why an invocation failed, in the words every surface uses. */
  describeFailure: (error: unknown, call: PlannedCall) => CallFailure;
  concurrency: number;
  signal?: AbortSignal;
  onStart?: (call: PlannedCall) => void;
  onResult?: (result: CallResult) => void;
}

/** The results in the order of `calls`; calls not started when the run is cancelled are left out. */
export async function runCalls(calls: readonly PlannedCall[], options: RunOptions): Promise<CallResult[]> {
  const signal = options.signal ?? new AbortController().signal;
  const results: (CallResult | undefined)[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    while (next < calls.length && !signal.aborted) {
      const index = next++;
      const call = calls[index];
      options.onStart?.(call);
      const result = await runCall(call, options, signal);
      if (signal.aborted && result.failure) break; // cancelled mid-call: not a result
      results[index] = result;
      options.onResult?.(result);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, calls.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results.filter((result): result is CallResult => result !== undefined);
}

async function runCall(call: PlannedCall, options: RunOptions, signal: AbortSignal): Promise<CallResult> {
  // The file names no format and the endpoint's could not be found: the case fails with why.
  if (typeof call.endpointFormat === 'object') {
    const failure = 'problem' in call.endpointFormat ? { title: `No format to call ${call.endpoint} in`, message: call.endpointFormat.problem } : options.describeFailure(call.endpointFormat.error, call);
    return { call, passed: false, failure, assertions: [] };
  }
  let answer: CallAnswer;
  try {
    answer = await options.invoke(call, signal);
  } catch (error) {
    return { call, passed: false, failure: options.describeFailure(error, call), assertions: [] };
  }
  const assertions = checkAnswer(call.assertions, { text: answer.text, latencyMs: answer.latencyMs, tokens: answer.tokens });
  return { call, passed: assertions.every((assertion) => assertion.passed), answer, assertions };
}
