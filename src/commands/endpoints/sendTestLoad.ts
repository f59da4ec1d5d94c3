// "SageMaker: Send Test Load…" — N invocations of an InService endpoint at a chosen rate with a
// prompt (see pipeline/testLoad.ts), with progress and Cancel, and p50/p95 latency at the end: to
// watch target tracking scale a variant out and back in, or to warm a real endpoint.
import * as vscode from 'vscode';
import { failureText } from '../../failures/classify';
import { describeTestLoad, endpointInvoker, runTestLoad, testLoadBody, type TestLoadResult } from '../../pipeline/testLoad';
import { pickEndpoint } from '../../pickers/pickEndpoint';
import type { EndpointTreeItem } from '../../trees/endpointsTree';
import type { Workbench } from '../../workbench';

export interface TestLoadPlan {
  count: number;
  ratePerSecond: number;
  prompt: string;
  maxNewTokens: number;
}

export async function sendTestLoad(
  workbench: Pick<Workbench, 'connection' | 'endpoints' | 'failures'>,
  node?: EndpointTreeItem,
  given: Partial<TestLoadPlan> = {},
): Promise<TestLoadResult | undefined> {
  const endpointName = node?.endpoint.name ?? (await pickEndpoint(workbench, { title: 'Send Test Load', status: 'InService' }))?.name;
  if (!endpointName) return undefined;
  const title = `Send Test Load: ${endpointName}`;
  const count = given.count ?? (await askWhole(title, 'Invocations to send', 100, 1, 100_000));
  if (count === undefined) return undefined;
  const ratePerSecond = given.ratePerSecond ?? (await askWhole(title, 'Invocations started per second', 5, 1, 1000));
  if (ratePerSecond === undefined) return undefined;
  const prompt = given.prompt ?? (await vscode.window.showInputBox({ title, prompt: 'The prompt each invocation sends (TGI format: {"inputs": …, "parameters": {"max_new_tokens": …}})', value: 'The cat' }));
  if (prompt === undefined) return undefined;
  const runtime = await workbench.connection.clients.sageMakerRuntime();
  const invoke = endpointInvoker(runtime, endpointName, testLoadBody(prompt, given.maxNewTokens ?? 16));
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Sending ${count} invocations to ${endpointName} at ${ratePerSecond}/s`, cancellable: true },
    (progress, token) => {
      const cancel = new AbortController();
      token.onCancellationRequested(() => cancel.abort());
      let reported = 0;
      return runTestLoad(invoke, {
        count,
        ratePerSecond,
        signal: cancel.signal,
        // A failed invocation is told as every failure is (a ModelError names the model's answer).
        describeError: (error) => failureText(workbench.failures.classify(error, { resource: { kind: 'endpoint', name: endpointName } })),
        onProgress: ({ done, failed, total }) => {
          progress.report({ increment: ((done - reported) * 100) / total, message: `${done}/${total}${failed ? ` (${failed} failed)` : ''}` });
          reported = done;
        },
      });
    },
  );
  workbench.endpoints.refresh(); // a variant that autoscales may be changing
  const summary = `${endpointName}: ${describeTestLoad(result)}`;
  if (result.failed > 0) void vscode.window.showWarningMessage(summary);
  else void vscode.window.showInformationMessage(summary);
  return result;
}

async function askWhole(title: string, prompt: string, value: number, minimum: number, maximum: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    validateInput: (input) => (/^\d+$/.test(input.trim()) && Number(input) >= minimum && Number(input) <= maximum ? undefined : `A whole number from ${minimum} to ${maximum}.`),
  });
  return text === undefined ? undefined : Number(text);
}
