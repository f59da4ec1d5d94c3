// Loaded by the extension host as `extensionTestsPath`: times activate() — loading the bundle and
// running it — of an empty extension (the baseline: what the host itself costs) and then of ours,
// and writes both to the file named by SAGEMAKER_BENCH_RESULTS.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

async function timeActivation(id: string): Promise<number> {
  const extension = vscode.extensions.getExtension(id);
  if (!extension) {
    throw new Error(`${id} is not loaded`);
  }
  const started = performance.now();
  await extension.activate();
  return performance.now() - started;
}

export async function run(): Promise<void> {
  const baselineMs = await timeActivation('bench.empty-extension');
  const activationMs = await timeActivation('llm-workbench.sagemaker-llm-workbench');
  writeFileSync(process.env.SAGEMAKER_BENCH_RESULTS!, JSON.stringify({ activationMs, baselineMs }));
}
