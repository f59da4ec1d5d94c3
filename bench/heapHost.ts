// Loaded by the extension host as `extensionTestsPath` (see heap.ts): every SageMaker view shown, the
// running training job's panel open, the running job selected (so the Checkpoints view follows it),
// and then nothing but the extension's own polling for SAGEMAKER_BENCH_MINUTES minutes. The host's
// heap is read through its own inspector (a full garbage collection, then Runtime.getHeapUsage) after
// a warm-up and then once a minute; the samples go to the file named by SAGEMAKER_BENCH_RESULTS.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { TrainingJobTreeItem } from '../src/trees/trainingJobsTree';
import type { Workbench } from '../src/workbench';

export interface HeapSample {
  /** Minutes since the first sample. */
  minute: number;
  usedBytes: number;
  /** Reads the extension's poller had issued by then, over all keys. */
  reads: number;
}

const VIEWS = ['sagemaker.datasets', 'sagemaker.trainingJobs', 'sagemaker.checkpoints', 'sagemaker.endpoints', 'sagemaker.models', 'sagemaker.transformJobs'];
const WARM_UP_MS = 60_000;
const BOUND_MS = 60_000;

function post<T>(session: Session, method: string): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/** The heap in use after two full collections (the second collects what the first's finalizers freed). */
async function heapUsed(session: Session): Promise<number> {
  await post(session, 'HeapProfiler.collectGarbage');
  await post(session, 'HeapProfiler.collectGarbage');
  return (await post<{ usedSize: number }>(session, 'Runtime.getHeapUsage')).usedSize;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() - started > BOUND_MS) throw new Error(`not within ${BOUND_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function run(): Promise<void> {
  const minutes = Number(process.env.SAGEMAKER_BENCH_MINUTES);
  const jobName = process.env.SAGEMAKER_BENCH_JOB!;
  const endpointName = process.env.SAGEMAKER_BENCH_ENDPOINT!;
  const workbench = await vscode.extensions.getExtension<Workbench>('llm-workbench.sagemaker-llm-workbench')!.activate();
  for (const view of VIEWS) await vscode.commands.executeCommand(`${view}.focus`);
  const job = await until(`the Training Jobs view lists ${jobName}`, async () =>
    (await workbench.trainingJobs.getChildren()).find((item): item is TrainingJobTreeItem => (item as TrainingJobTreeItem).job?.name === jobName),
  );
  await until(`the Endpoints view lists ${endpointName}`, async () =>
    (await workbench.endpoints.getChildren()).find((item) => String(item.label) === endpointName || String(item.id).endsWith(endpointName)),
  );
  await vscode.commands.executeCommand('sagemaker.trainingJob.open', job);
  // Selected in Training Jobs, so the Checkpoints view follows it (as a click would).
  await workbench.trainingJobsView.reveal(job, { select: true, focus: false });
  if (workbench.checkpoints.job !== jobName) workbench.checkpoints.showJob(jobName);
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  const session = new Session();
  session.connect();
  const samples: HeapSample[] = [];
  const reads = () => [...workbench.poller.reads.values()].reduce((sum, count) => sum + count, 0);
  const started = performance.now();
  try {
    samples.push({ minute: 0, usedBytes: await heapUsed(session), reads: reads() });
    for (let minute = 1; minute <= minutes; minute++) {
      await new Promise((resolve) => setTimeout(resolve, started + minute * 60_000 - performance.now()));
      samples.push({ minute, usedBytes: await heapUsed(session), reads: reads() });
      writeFileSync(process.env.SAGEMAKER_BENCH_RESULTS!, JSON.stringify(samples));
    }
  } finally {
    session.disconnect();
  }
  writeFileSync(process.env.SAGEMAKER_BENCH_RESULTS!, JSON.stringify(samples));
}
