// The training half end to end in the extension host, against an emulator that really runs jobs
// (started here; the other suites' emulator runs none): a dataset uploaded with Upload Folder, a
// spec written by New Training Job Spec and launched — the built-in GPT on 2 instances, tiny and
// brief — its metrics read as one series per host, its checkpoints grouped by step, and a new job
// resumed from an OLDER checkpoint that continues from that step on both hosts and completes.
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DescribeTrainingJobCommand, type DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readTrainingMetrics } from '../../../src/pipeline/trainingMetrics';
import type { UploadOutcome } from '../../../src/pipeline/transfers/upload';
import type { BucketTreeItem } from '../../../src/trees/datasetsTree';
import type { CheckpointTreeItem } from '../../../src/trees/checkpointsTree';
import { until } from '../../../harness/waiting';
import { tinyTalesJsonl } from '../../../harness/demo';
import { startEmulatorProcess, type EmulatorProcess } from '../../../harness/emulatorProcess';
import { activateWorkbench, gptSpecChoices, labelOf, s3, sageMaker, uniqueName } from '../../../harness/extensionHostFixtures';

/** The built-in GPT, as small and brief as trains for real: three checkpoints, 20 steps apart. */
const TINY_GPT = { vocab_size: '280', layers: '1', heads: '2', width: '16', context: '16', batch_size: '4', steps: '60', checkpoint_interval: '20', log_interval: '5', eval_interval: '20' };

async function ended(name: string): Promise<DescribeTrainingJobCommandOutput> {
  return until(`training job ${name} to end`, async () => {
    const job = await sageMaker().send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    return job.TrainingJobStatus === 'InProgress' || job.TrainingJobStatus === 'Stopping' ? undefined : job;
  }, 180_000);
}

/** Every log line of the job's host `algo-N`. */
async function hostLog(url: string, job: string, host: string): Promise<string[]> {
  const logs = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const lines: string[] = [];
  let nextToken: string | undefined;
  // Bounded: a token that keeps coming back fails here instead of hanging the suite.
  for (let pages = 0; pages === 0 || nextToken; pages++) {
    if (pages === 100) throw new Error(`more than 100 pages of ${job}/${host} log events: the listing does not end`);
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamNamePrefix: `${job}/${host}-`, nextToken }));
    lines.push(...(page.events ?? []).map((event) => event.message ?? ''));
    nextToken = page.nextToken;
  }
  logs.destroy();
  return lines;
}

describe('Training end to end (jobs really run)', function () {
  this.timeout(400_000);
  let emulator: EmulatorProcess;
  let previousUrl: string | undefined;

  before(async () => {
    emulator = await startEmulatorProcess();
    const configuration = vscode.workspace.getConfiguration();
    previousUrl = configuration.inspect<string>('sagemaker.emulator.url')?.globalValue;
    await configuration.update('sagemaker.emulator.url', emulator.url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration().update('sagemaker.emulator.url', previousUrl, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await emulator?.stop();
  });

  it('uploads a dataset, launches a 2-host GPT from a new spec, reads its curves and checkpoints, and resumes from an older checkpoint on from that step', async () => {
    const workbench = await activateWorkbench();
    await until('the connection to follow the emulator setting', async () => {
      const settings = workbench.connection.settings;
      return settings.mode === 'emulator' && settings.endpoint === emulator.url ? true : undefined;
    }, 10_000);
    const bucket = uniqueName('e2e');
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));

    // Upload Folder on the bucket.
    const folder = path.join(mkdtempSync(path.join(tmpdir(), 'e2e-')), 'tiny-tales');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'train.jsonl'), tinyTalesJsonl(400, 1));
    workbench.datasets.refresh();
    const bucketItem = (await workbench.datasets.getChildren()).find((item) => item.contextValue === 'bucket' && (item as BucketTreeItem).bucket === bucket);
    const upload = await vscode.commands.executeCommand<UploadOutcome>('sagemaker.datasets.uploadFolder', bucketItem, [vscode.Uri.file(folder)]);
    assert.deepEqual(upload.uploaded, ['tiny-tales/train.jsonl']);

    // New Training Job Spec, then Launch.
    const name = uniqueName('tiny-gpt');
    const spec = await vscode.commands.executeCommand<vscode.Uri>(
      'sagemaker.spec.new',
      gptSpecChoices(bucket, name, { train: 'tiny-tales/', spot: false, hyperParameters: TINY_GPT, format: 'yaml' }),
    );
    assert.equal(await vscode.commands.executeCommand('sagemaker.spec.launch', spec), name);
    const job = await ended(name);
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);

    // Its curves: every metric the spec defines that the GPT logged, on each of its 2 hosts.
    const series = await readTrainingMetrics(await workbench.connection.clients.cloudWatch(), job);
    const lossHosts = series.filter((entry) => entry.metric === 'train:loss').map((entry) => entry.host).sort();
    assert.deepEqual(lossHosts, ['algo-1', 'algo-2'], 'one train:loss series per host');
    assert.ok(series.some((entry) => entry.metric === 'validation:loss'), 'validation loss too');
    for (const entry of series) assert.ok(entry.values.every(Number.isFinite) && entry.values.length > 0, `${entry.metric} ${entry.host}`);

    // Its checkpoints, grouped by step.
    workbench.checkpoints.showJob(name);
    const checkpoints = (await workbench.checkpoints.getChildren()) as CheckpointTreeItem[];
    assert.deepEqual(checkpoints.map(labelOf), ['step 60', 'step 40', 'step 20']);
    assert.ok(checkpoints[0].checkpoint.latest);

    // Resume from the OLDER checkpoint of step 20: the new job starts there, on both hosts, and completes.
    const older = checkpoints.find((item) => labelOf(item) === 'step 20')!;
    const resumed = await vscode.commands.executeCommand<string>('sagemaker.checkpoint.resume', older, `${name}-from-20`);
    const resumedJob = await ended(resumed);
    assert.equal(resumedJob.TrainingJobStatus, 'Completed', resumedJob.FailureReason);
    for (const host of ['algo-1', 'algo-2']) {
      const lines = await hostLog(emulator.url, resumed, host);
      assert.ok(lines.some((line) => line.includes('resumed from the checkpoint of step 20')), `${host} resumed from step 20:\n${lines.slice(0, 20).join('\n')}`);
      const steps = lines.flatMap((line) => /\bstep=(\d+) loss=/.exec(line)?.[1] ?? []).map(Number);
      assert.ok(steps.length > 0 && Math.min(...steps) > 20 && Math.max(...steps) === 60, `${host} trained steps ${steps.join(',')}: after 20, up to 60`);
    }
    workbench.checkpoints.showJob(resumed);
    const resumedCheckpoints = (await workbench.checkpoints.getChildren()).map(labelOf);
    assert.deepEqual(resumedCheckpoints, ['step 60', 'step 40', 'step 20'], 'its own checkpoints after the one it started from');
  });
});
