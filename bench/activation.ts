// Loaded by the extension host as `extensionTestsPath`: times activate() — loading the bundle and
// running it — and writes the figure to the file named by SAGEMAKER_BENCH_RESULTS.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension('llm-workbench.sagemaker-llm-workbench');
  if (!extension) {
    throw new Error('extension not loaded');
  }
  const started = performance.now();
  await extension.activate();
  const activationMs = performance.now() - started;
  writeFileSync(process.env.SAGEMAKER_BENCH_RESULTS!, JSON.stringify({ activationMs }));
}
