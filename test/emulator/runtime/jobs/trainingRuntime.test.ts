// Training jobs really run: script-mode jobs in Python and Node read the SageMaker contract, logs
// reach CloudWatch Logs while they run, checkpoints reach S3 and bring a new job (or a spot
// restart, or an emulator restart) back where the last one stopped — on every host of a 2-host job,
// each host's log and checkpoint read on its own. All through the real SDK.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateTrainingJobCommand,
  StopTrainingJobCommand,
  type CreateTrainingJobCommandInput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { startEmulator, type RunningEmulator } from '../../../../emulator/server';
import { CLI_PATH, clientConfig, makeTempDir, s3Client, sagemakerClient, spawnCli } from '../../../../harness/emulatorClients';
import { running } from '../../processes';
import { archiveFiles, FAST_TIMING, FIXTURES, finishedTrainingJob as finished, hostLogLines, jobLogLines, objectText as objectTextIn } from '../../runtimeTestHelpers';
import { until } from '../../../../harness/waiting';

const BUCKET = 'runtime-tests';

function nodeJob(name: string, script: string, overrides: Partial<CreateTrainingJobCommandInput> = {}): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    AlgorithmSpecification: {
      TrainingImage: 'sagemaker-emulator/node:20',
      TrainingInputMode: 'File',
      ContainerArguments: [path.join(FIXTURES, script)],
      MetricDefinitions: [{ Name: 'train:loss', Regex: 'loss=([0-9.]+)' }],
    },
    RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 120 },
    ...overrides,
  };
}

function logLines(logs: CloudWatchLogsClient, job: string): Promise<string[]> {
  return jobLogLines(logs, '/aws/sagemaker/TrainingJobs', job);
}

function objectText(s3: S3Client, key: string): Promise<string | undefined> {
  return objectTextIn(s3, BUCKET, key);
}

function modelFiles(s3: S3Client, job: string): Promise<Map<string, string>> {
  return archiveFiles(s3, BUCKET, `output/${job}/output/model.tar.gz`);
}

describe('training runtime', () => {
  let emulator: RunningEmulator;
  let dataDir: ReturnType<typeof makeTempDir>;
  let s3: S3Client;
  let sageMaker: SageMakerClient;
  let logs: CloudWatchLogsClient;

  before(async () => {
    dataDir = makeTempDir('runtime');
    emulator = await startEmulator({ dataDir: dataDir.path, runtime: { timing: FAST_TIMING } });
    s3 = s3Client(emulator.url);
    sageMaker = sagemakerClient(emulator.url);
    logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  after(async () => {
    await emulator.close();
    dataDir.remove();
  });

  it('runs a Python script-mode job from its source tarball, with data, metrics, logs and model.tar.gz', async () => {
    const source = makeTempDir('source');
    writeFileSync(path.join(source.path, 'train.py'), readFileSync(path.join(FIXTURES, 'train.py')));
    const tarball = path.join(source.path, 'sourcedir.tar.gz');
    await tar.create({ gzip: true, file: tarball, cwd: source.path }, ['train.py']);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'code/sourcedir.tar.gz', Body: readFileSync(tarball) }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data/a.txt', Body: 'one\ntwo\n' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data/nested/b.txt', Body: 'three\n' }));

    await sageMaker.send(
      new CreateTrainingJobCommand({
        ...nodeJob('python-script-mode', 'unused'),
        AlgorithmSpecification: {
          TrainingImage: 'sagemaker-emulator/python:3',
          TrainingInputMode: 'File',
          MetricDefinitions: [{ Name: 'train:loss', Regex: 'loss=([0-9.]+)' }],
        },
        HyperParameters: { epochs: '3', sagemaker_program: 'train.py', sagemaker_submit_directory: `s3://${BUCKET}/code/sourcedir.tar.gz` },
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/data/` } } }],
      }),
    );
    const job = await finished(sageMaker, 'python-script-mode');
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
    assert.deepEqual(
      job.SecondaryStatusTransitions?.map((transition) => transition.Status),
      ['Starting', 'Downloading', 'Training', 'Uploading', 'Completed'],
    );
    assert.equal(job.ModelArtifacts?.S3ModelArtifacts, `s3://${BUCKET}/output/python-script-mode/output/model.tar.gz`);
    assert.deepEqual(JSON.parse((await modelFiles(s3, 'python-script-mode')).get('model.json')!), { lines: 3, epochs: 3, hosts: ['algo-1'] });
    assert.deepEqual(job.FinalMetricDataList?.map((metric) => [metric.MetricName, metric.Value]), [['train:loss', 0.3333]]);
    assert.ok((job.TrainingTimeInSeconds ?? 0) >= 1 && (job.BillableTimeInSeconds ?? 0) >= 1);
    assert.deepEqual((await logLines(logs, 'python-script-mode')).filter((line) => line.startsWith('epoch=')), [
      'epoch=1 loss=1.0000',
      'epoch=2 loss=0.5000',
      'epoch=3 loss=0.3333',
    ]);
  });

  it('fails a job with the reason its script wrote to /opt/ml/output/failure', async () => {
    await sageMaker.send(new CreateTrainingJobCommand(nodeJob('writes-failure', 'fail.js')));
    const job = await finished(sageMaker, 'writes-failure');
    assert.equal(job.TrainingJobStatus, 'Failed');
    assert.equal(job.FailureReason, 'AlgorithmError: CUDA out of memory (pretend): reduce the batch size');
  });

  it('fails a job whose image is not mapped, saying how to map it', async () => {
    await sageMaker.send(
      new CreateTrainingJobCommand({
        ...nodeJob('unmapped-image', 'fail.js'),
        AlgorithmSpecification: { TrainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/mine:1', TrainingInputMode: 'File' },
      }),
    );
    const job = await finished(sageMaker, 'unmapped-image');
    assert.equal(job.TrainingJobStatus, 'Failed');
    assert.match(job.FailureReason ?? '', /^ClientError: The image 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/mine:1 is not mapped/);
  });

  // Two hosts, each keeping its own checkpoint file (counter.js): what each host logged, saved during
  // its grace period and got back is read per host, so an ending applied to one host only fails.
  const TWO_HOSTS = { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 } as const;
  const HOSTS = ['algo-1', 'algo-2'];
  const hostLines = (job: string) => hostLogLines(logs, '/aws/sagemaker/TrainingJobs', job);
  async function checkpointedStep(prefix: string, host: string): Promise<number | undefined> {
    const text = await objectText(s3, `${prefix}state-${host}.json`);
    return text ? (JSON.parse(text) as { step: number }).step : undefined;
  }

  it("uploads every host's checkpoints while the job runs; a stopped job resumes on every host in a new job with the same CheckpointConfig", async () => {
    const prefix = 'checkpoints/counter/';
    const checkpointConfig = { S3Uri: `s3://${BUCKET}/${prefix}` };
    await sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('counter-1', 'counter.js', { HyperParameters: { steps: '1000', step_ms: '100' }, CheckpointConfig: checkpointConfig, ResourceConfig: TWO_HOSTS }),
      ),
    );
    const reached = await until('a checkpoint at step 3 of each host in S3', async () => {
      const steps = await Promise.all(HOSTS.map((host) => checkpointedStep(prefix, host)));
      return steps.every((step) => step !== undefined && step >= 3) ? (steps as number[]) : undefined;
    });
    const logged = await until("step lines in each host's log while the job runs", async () => {
      const lines = await hostLines('counter-1');
      const steps = HOSTS.map((host) => (lines.get(host) ?? []).flatMap((line) => /^step=(\d+) /.exec(line)?.[1] ?? []).map(Number));
      return steps.every((host) => host.length > 0) ? steps : undefined;
    });
    // Lines reach each host's log while the job runs, in order and none missing: steps 1, 2, … so far.
    for (const [index, steps] of logged.entries()) assert.deepEqual(steps, steps.map((_, step) => step + 1), HOSTS[index]);
    await sageMaker.send(new StopTrainingJobCommand({ TrainingJobName: 'counter-1' }));
    const stopped = await finished(sageMaker, 'counter-1');
    assert.equal(stopped.TrainingJobStatus, 'Stopped');
    // What each host saved in its grace period after SIGTERM, read back: its checkpoint and its last
    // line (and the first host's model, the one SageMaker uploads).
    const stoppedLines = await hostLines('counter-1');
    const stoppedAt = new Map<string, number>();
    for (const [index, host] of HOSTS.entries()) {
      const step = await checkpointedStep(prefix, host);
      assert.ok(step !== undefined && step >= reached[index], `${host}: checkpoint at ${step}`);
      stoppedAt.set(host, step);
      assert.ok(stoppedLines.get(host)?.includes(`stopped at step ${step}`), `${host} logged its stop during the grace period: ${stoppedLines.get(host)?.slice(-3).join(' / ')}`);
    }
    assert.deepEqual(JSON.parse((await modelFiles(s3, 'counter-1')).get('counter.json') ?? 'null'), { step: stoppedAt.get('algo-1') }, 'the model written during the grace period was uploaded');

    const last = Math.max(...stoppedAt.values()) + 3;
    await sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('counter-2', 'counter.js', { HyperParameters: { steps: String(last), step_ms: '50' }, CheckpointConfig: checkpointConfig, ResourceConfig: TWO_HOSTS }),
      ),
    );
    const resumed = await finished(sageMaker, 'counter-2');
    assert.equal(resumed.TrainingJobStatus, 'Completed', resumed.FailureReason);
    const resumedLines = await hostLines('counter-2');
    for (const host of HOSTS) {
      const lines = resumedLines.get(host) ?? [];
      assert.equal(lines.find((line) => line.startsWith('resumed from step ')), `resumed from step ${stoppedAt.get(host)}`, `${host} restored its own checkpoint: ${lines.slice(0, 2).join(' / ')}`);
      assert.ok(lines.includes(`done at step ${last}`), `${host} finished: ${lines.slice(-2).join(' / ')}`);
      assert.equal(await checkpointedStep(prefix, host), last, `${host}'s last checkpoint reached S3`);
    }
    assert.deepEqual(JSON.parse((await modelFiles(s3, 'counter-2')).get('counter.json')!), { step: last });
  });

  it('restarts a reclaimed managed spot job on every host from its checkpoints by itself, billing less than it ran', async () => {
    const prefix = 'checkpoints/spot/';
    await sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('spot', 'counter.js', {
          HyperParameters: { steps: '25', step_ms: '100' },
          CheckpointConfig: { S3Uri: `s3://${BUCKET}/${prefix}` },
          EnableManagedSpotTraining: true,
          StoppingCondition: { MaxRuntimeInSeconds: 120, MaxWaitTimeInSeconds: 240 },
          ResourceConfig: TWO_HOSTS,
        }),
      ),
    );
    await until('a spot checkpoint of each host', async () => ((await Promise.all(HOSTS.map((host) => checkpointedStep(prefix, host)))).every((step) => step !== undefined) ? true : undefined));
    const fault = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'spot-interruption', trainingJobName: 'spot' }),
    });
    assert.equal(fault.status, 200, await fault.text());
    const job = await finished(sageMaker, 'spot');
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
    const statuses = job.SecondaryStatusTransitions?.map((transition) => transition.Status) ?? [];
    assert.ok(statuses.includes('Interrupted') && statuses.indexOf('Restarting') > statuses.indexOf('Interrupted'), statuses.join(' → '));
    const lines = await hostLines('spot');
    for (const host of HOSTS) {
      const attempts = lines.get(host) ?? [];
      // The reclaim's SIGTERM ended the first attempt cleanly; the restart began from that host's own checkpoint.
      const stoppedLine = attempts.find((line) => line.startsWith('stopped at step '));
      assert.ok(stoppedLine, `${host} was stopped by the reclaim: ${attempts.join(' / ')}`);
      assert.ok(attempts.includes(`resumed from step ${stoppedLine.slice('stopped at step '.length)}`), `${host} resumed where it stopped: ${attempts.join(' / ')}`);
      assert.ok(attempts.includes('done at step 25'), `${host} finished after the restart`);
    }
    assert.ok(job.BillableTimeInSeconds! < job.TrainingTimeInSeconds!, `billed ${job.BillableTimeInSeconds} of ${job.TrainingTimeInSeconds} s`);
  });

  it('stops a job that exceeds MaxRuntimeInSeconds', async () => {
    await sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('too-long', 'counter.js', { HyperParameters: { steps: '100000', step_ms: '100' }, StoppingCondition: { MaxRuntimeInSeconds: 1 } }),
      ),
    );
    const job = await finished(sageMaker, 'too-long');
    assert.equal(job.TrainingJobStatus, 'Stopped');
    assert.equal(job.SecondaryStatus, 'MaxRuntimeExceeded');
  });

  it('trains the built-in GPT as a 2-host job, checkpointing to S3 and packing the model', async () => {
    const corpus = Array.from({ length: 300 }, (_, index) => `the ${['cat', 'dog', 'fox'][index % 3]} sat on the mat ${index % 7}.`).join('\n');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gpt/train.txt', Body: corpus }));
    await sageMaker.send(
      new CreateTrainingJobCommand({
        ...nodeJob('builtin-gpt', 'unused'),
        AlgorithmSpecification: {
          TrainingImage: 'sagemaker-emulator/builtin-gpt:latest',
          TrainingInputMode: 'File',
          MetricDefinitions: [{ Name: 'train:loss', Regex: ' loss=([0-9.]+)' }],
        },
        HyperParameters: {
          vocab_size: '280', layers: '1', heads: '2', width: '16', context: '16', steps: '6', batch_size: '4',
          micro_batch_size: '1', warmup_steps: '1', eval_interval: '3', checkpoint_interval: '3', log_interval: '1', threads: '1',
          validation_sequences: '4',
        },
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/gpt/` } } }],
        CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/builtin-gpt/` },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 },
      }),
    );
    const job = await finished(sageMaker, 'builtin-gpt');
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
    const files = await modelFiles(s3, 'builtin-gpt');
    assert.ok(files.has('model.safetensors') && files.has('config.json') && files.has('tokenizer.json'), [...files.keys()].join(', '));
    assert.equal(job.FinalMetricDataList?.[0]?.MetricName, 'train:loss');
    const lines = await logLines(logs, 'builtin-gpt');
    assert.ok(lines.some((line) => line.startsWith('step=6 ')), lines.join('\n'));
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'checkpoints/builtin-gpt/' }));
    assert.ok(Contents.some((object) => object.Key?.endsWith('.safetensors')), Contents.map((object) => object.Key).join(', '));
  });

  it('runs a 2-host job whose hosts rendezvous on loopback', async () => {
    await sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('two-hosts', 'rendezvous.js', { ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 } }),
      ),
    );
    const job = await finished(sageMaker, 'two-hosts');
    assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
    assert.deepEqual(JSON.parse((await modelFiles(s3, 'two-hosts')).get('met.json')!), { host: 'algo-1', met: ['algo-2'] });
    const lines = await logLines(logs, 'two-hosts');
    assert.ok(lines.includes('rank 1 got welcome'), lines.join('\n'));
  });
});

describe('training runtime across an emulator crash', () => {
  it('resumes a running job from its checkpoints after kill -9 and restart', async () => {
    const dataDir = makeTempDir('runtime-crash');
    const first = await spawnCli(['--port', '0', '--data-dir', dataDir.path]);
    const s3 = s3Client(first.url);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await sagemakerClient(first.url).send(
      new CreateTrainingJobCommand(
        nodeJob('survivor', 'counter.js', { HyperParameters: { steps: '30', step_ms: '100', quiet: 'true' }, CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/survivor/` } }),
      ),
    );
    await until('a checkpoint before the crash', async () => ((await objectText(s3, 'checkpoints/survivor/state.json')) ? true : undefined));
    const hostsDir = path.join(dataDir.path, 'jobs', 'hosts');
    const orphans = readdirSync(hostsDir).flatMap((file) => JSON.parse(readFileSync(path.join(hostsDir, file), 'utf8')) as number[]);
    assert.equal(orphans.length, 1, 'the running host is recorded');
    first.child.kill('SIGKILL');
    await first.exited;

    assert.ok(running(orphans[0]), 'the host outlives the killed emulator');
    const second = await spawnCli(['--port', '0', '--data-dir', dataDir.path]);
    try {
      // Ended on start, before the job resumes: not left to train beside its successor.
      assert.ok(!running(orphans[0]), 'the host the crash left running was ended');
      const job = await finished(sagemakerClient(second.url), 'survivor');
      assert.equal(job.TrainingJobStatus, 'Completed', job.FailureReason);
      assert.ok(job.SecondaryStatusTransitions?.some((transition) => transition.Status === 'Restarting'));
      const lines = await logLines(new CloudWatchLogsClient(clientConfig(second.url)), 'survivor');
      assert.ok(lines.some((line) => line.startsWith('resumed from step ')), lines.join('\n'));
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      dataDir.remove();
    }
  });
});

describe('sagemaker-emulator fault', () => {
  it('reports a job that is not a running spot job, and exits non-zero', async () => {
    const dataDir = makeTempDir('runtime-fault');
    const emulator = await spawnCli(['--port', '0', '--data-dir', dataDir.path]);
    try {
      const { execFile } = await import('node:child_process');
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, [CLI_PATH, 'fault', 'spot-interruption', '--job', 'nobody', '--url', emulator.url], (error, _stdout, stderr) =>
          resolve({ code: error ? (child.exitCode ?? 1) : 0, stderr }),
        );
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Training job nobody is not running, or is not a managed spot training job\./);
    } finally {
      emulator.child.kill('SIGTERM');
      await emulator.exited;
      dataDir.remove();
    }
  });
});
