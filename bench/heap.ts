// `npm run bench:heap [-- --minutes N]` (default 10): the extension host's heap growth with every
// SageMaker view shown, a training job's panel open and the job and an endpoint in progress, so that
// the views, the panel (description and metrics) and the Checkpoints view keep polling — in
// code-server's real extension host, the extension loaded from this checkout (bench/heapHost.ts).
// The emulator keeps the job and the endpoint queued (InProgress / Creating: polled as running ones,
// with no training process loading the machine), and this process publishes the job's loss on both
// hosts every 5 s through PutMetricData, so the panel's curves grow as a running job's do.
// Issue 11's figure: growth ≤ 20 MB over 10 minutes. Heap = used V8 heap after full collections,
// read by the extension host's own inspector; growth = last sample − first.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { clientConfig, sagemakerClient } from '../harness/emulatorClients';
import { startEmulatorProcess } from '../harness/emulatorProcess';
import { deployTestEndpoint } from '../harness/endpoints';
import { runExtensionTests } from '../harness/extensionTests';
import { gptTrainingJobRequest } from '../harness/requests';
import type { HeapSample } from './heapHost';

const BUDGET_BYTES = 20 * 1024 * 1024;
const MB = 1024 * 1024;
const JOB = 'bench-heap-job';
const ENDPOINT = 'bench-heap-endpoint';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
  const minutes = Number(values.minutes);
  if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`--minutes must be a whole number ≥ 1, not "${values.minutes}"`);
  const emulator = await startEmulatorProcess({ maxConcurrentJobs: 0 });
  const cloudWatch = new CloudWatchClient(clientConfig(emulator.url));
  let publishing: NodeJS.Timeout | undefined;
  try {
    const sageMaker = sagemakerClient(emulator.url);
    await sageMaker.send(
      new CreateTrainingJobCommand(
        gptTrainingJobRequest(JOB, {
          metrics: true,
          output: 's3://bench-heap/output',
          checkpoints: `s3://bench-heap/checkpoints/${JOB}/`,
          instanceCount: 2,
          maxRuntimeSeconds: 86_400,
        }),
      ),
    );
    sageMaker.destroy();
    await deployTestEndpoint(emulator.url, ENDPOINT, 'streaming-echo');
    let step = 0;
    const publish = () => {
      step++;
      void cloudWatch
        .send(
          new PutMetricDataCommand({
            Namespace: '/aws/sagemaker/TrainingJobs',
            MetricData: ['algo-1', 'algo-2'].flatMap((host) => [
              { MetricName: 'train:loss', Dimensions: [{ Name: 'Host', Value: `${JOB}/${host}` }], Value: 3 / Math.sqrt(step), Timestamp: new Date() },
              { MetricName: 'validation:loss', Dimensions: [{ Name: 'Host', Value: `${JOB}/${host}` }], Value: 3.1 / Math.sqrt(step), Timestamp: new Date() },
            ]),
          }),
        )
        .catch((error: Error) => console.error(`PutMetricData: ${error.message}`));
    };
    publish();
    publishing = setInterval(publish, 5000);
    const resultsFile = path.join(mkdtempSync(path.join(tmpdir(), 'bench-heap-')), 'samples.json');
    const run = await runExtensionTests({
      suite: path.join(__dirname, 'heapHost.js'),
      settings: { 'sagemaker.emulator.url': emulator.url, 'sagemaker.emulator.autoStart': false },
      env: { SAGEMAKER_BENCH_RESULTS: resultsFile, SAGEMAKER_BENCH_MINUTES: String(minutes), SAGEMAKER_BENCH_JOB: JOB, SAGEMAKER_BENCH_ENDPOINT: ENDPOINT },
      name: 'bench-heap',
      timeoutMs: (minutes + 5) * 60_000,
    });
    if (run.exitCode !== 0) throw new Error(`the heap benchmark failed:\n${run.log.slice(-5000)}`);
    const samples = JSON.parse(readFileSync(resultsFile, 'utf8')) as HeapSample[];
    const first = samples[0];
    const last = samples[samples.length - 1];
    const growth = last.usedBytes - first.usedBytes;
    console.log(`Extension host heap, every view shown, a job panel open, job and endpoint in progress; ${minutes} min; load average ${loadavg()[0].toFixed(1)}`);
    console.log('| minute | used heap (after full GC) | since minute 0 | poller reads so far |');
    console.log('|---|---|---|---|');
    for (const sample of samples) console.log(`| ${sample.minute} | ${(sample.usedBytes / MB).toFixed(1)} MB | ${((sample.usedBytes - first.usedBytes) / MB).toFixed(1)} MB | ${sample.reads} |`);
    console.log(`| **growth over ${last.minute} min** | | **${(growth / MB).toFixed(1)} MB** | ${(growth / BUDGET_BYTES).toFixed(2)} of the budget (≤ ${BUDGET_BYTES / MB} MB: ${growth <= BUDGET_BYTES ? 'met' : 'NOT met'}) |`);
    if (growth > BUDGET_BYTES) process.exitCode = 1;
  } finally {
    if (publishing) clearInterval(publishing);
    cloudWatch.destroy();
    await emulator.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
