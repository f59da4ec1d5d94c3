// Loaded by the extension host as `extensionTestsPath` (see emulatorHealth.ts): kills the local
// emulator under the three open views, times until every view shows it (the error node), starts the
// emulator again on the same port and data folder, and times until every view lists its resources
// again. Rounds are written to the file named by SAGEMAKER_BENCH_RESULTS.
import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ResourceTree } from '../src/trees/resourceTree';
import type { Workbench } from '../src/workbench';
import { startEmulatorProcess, type EmulatorProcess } from '../harness/emulatorProcess';
import { createDataset, createTrainingJob } from '../harness/extensionHostFixtures';

export interface HealthRound {
  /** From the emulator's kill to every view showing the error node. */
  downMs: number;
  /** From the restarted emulator listening to every view listing its resources again. */
  upMs: number;
}

const ROUNDS = 5;
const BOUND_MS = 30_000;

/** Milliseconds until `state` holds for every view, checked every 20 ms (and failing after a bound). */
async function timeUntil(trees: ResourceTree[], state: 'down' | 'up', started: number): Promise<number> {
  for (;;) {
    const firsts = await Promise.all(trees.map(async (tree) => (await tree.getChildren())[0]));
    const down = firsts.map((item) => String(item?.contextValue).startsWith('error'));
    if (down.every((value) => value === (state === 'down'))) return performance.now() - started;
    if (performance.now() - started > BOUND_MS) throw new Error(`the views were not all ${state} within ${BOUND_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function run(): Promise<void> {
  const workbench = await vscode.extensions.getExtension<Workbench>('llm-workbench.sagemaker-llm-workbench')!.activate();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-health-'));
  let emulator: EmulatorProcess = await startEmulatorProcess({ dataDir, maxConcurrentJobs: 0 });
  const port = Number(new URL(emulator.url).port);
  const configuration = vscode.workspace.getConfiguration();
  await configuration.update('sagemaker.emulator.url', emulator.url, vscode.ConfigurationTarget.Global);
  await configuration.update('sagemaker.emulator.dataDir', dataDir, vscode.ConfigurationTarget.Global);
  await createDataset('bench-health', { 'a.txt': 'a' });
  await createTrainingJob('bench-health-job');
  for (const view of ['sagemaker.datasets', 'sagemaker.trainingJobs', 'sagemaker.endpoints']) await vscode.commands.executeCommand(`${view}.focus`);
  const trees = [workbench.datasets, workbench.trainingJobs, workbench.endpoints];
  await timeUntil(trees, 'up', performance.now());
  const rounds: HealthRound[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const killed = performance.now();
      await emulator.kill();
      const downMs = await timeUntil(trees, 'down', killed);
      emulator = await startEmulatorProcess({ dataDir, port, maxConcurrentJobs: 0 });
      const listening = performance.now();
      const upMs = await timeUntil(trees, 'up', listening);
      rounds.push({ downMs, upMs });
    }
  } finally {
    await emulator.stop();
  }
  writeFileSync(process.env.SAGEMAKER_BENCH_RESULTS!, JSON.stringify({ rounds, pollIntervalMs: 2000 }));
}
