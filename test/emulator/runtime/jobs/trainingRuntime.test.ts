// Training jobs really run: script-mode jobs in Python and Node read the SageMaker contract, logs
// reach CloudWatch Logs while they run, checkpoints reach S3 and bring a new job (or a spot
// restart, or an emulator restart) back where the last one stopped. All through the real SDK.
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
import { archiveFiles, FAST_TIMING, FIXTURES, finishedTrainingJob as finished, jobLogLines, objectText as objectTextIn } from '../../runtimeTestHelpers';
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

  it('uploads checkpoints while the job runs; a stopped job resumes in a new job with the same CheckpointConfig', async () => {
    const checkpointConfig = { S3Uri: `s3://${BUCKET}/checkpoints/counter/` };
    await sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('counter-1', 'counter.js', { HyperParameters: { steps: '1000', step_ms: '100' }, CheckpointConfig: checkpointConfig }),
      ),
    );
    const reached = await until('a checkpoint at step 3 in S3', async () => {
      const text = await objectText(s3, 'checkpoints/counter/state.json');
      const step = text ? (JSON.parse(text) as { step: number }).step : 0;
      return step >= 3 ? step : undefined;
    });
    const logged = await until('step lines in the log while the job runs', async () => {
      const steps = (await logLines(logs, 'counter-1')).flatMap((line) => /^step=(\d+) /.exec(line)?.[1] ?? []).map(Number);
      return steps.length > 0 ? steps : undefined;
    });
    // Lines reach the log while the job runs, in order and none missing: steps 1, 2, … so far.
    assert.deepEqual(logged, logged.map((_, index) => index + 1));
    await sageMaker.send(new StopTrainingJobCommand({ TrainingJobName: 'counter-1' }));
    const stopped = await finished(sageMaker, 'counter-1');
    assert.equal(stopped.TrainingJobStatus, 'Stopped');
    const stoppedAt = (JSON.parse((await objectText(s3, 'checkpoints/counter/state.json'))!) as { step: number }).step;
    assert.ok(stoppedAt >= reached);
    // What the script saved in its grace period after SIGTERM, read back: its model and its last line.
    assert.deepEqual(JSON.parse((await modelFiles(s3, 'counter-1')).get('counter.json') ?? 'null'), { step: stoppedAt }, 'the model written during the grace period was uploaded');
    assert.ok((await logLines(logs, 'counter-1')).includes(`stopped at step ${stoppedAt}`), 'the line logged during the grace period was kept');

    await sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('counter-2', 'counter.js', { HyperParameters: { steps: String(stoppedAt + 3), step_ms: '50' }, CheckpointConfig: checkpointConfig }),
      ),
    );
    const resumed = await finished(sageMaker, 'counter-2');
    assert.equal(resumed.TrainingJobStatus, 'Completed', resumed.FailureReason);
    const lines = await logLines(logs, 'counter-2');
    assert.ok(lines.includes(`resumed from step ${stoppedAt}`), lines.join('\n'));
    assert.deepEqual(JSON.parse((await modelFiles(s3, 'counter-2')).get('counter.json')!), { step: stoppedAt + 3 });
  });

  it('restarts a reclaimed managed spot job from its checkpoints by itself, billing less than it ran', async () => {
    await sageMaker.send(
      new CreateTrainingJobCommand(
        nodeJob('spot', 'counter.js', {
          HyperParameters: { steps: '25', step_ms: '100' },
          CheckpointConfig: { S3Uri: `s3://${BUCKET}/checkpoints/spot/` },
          EnableManagedSpotTraining: true,
          StoppingCondition: { MaxRuntimeInSeconds: 120, MaxWaitTimeInSeconds: 240 },
        }),
      ),
    );
    await until('a spot checkpoint', async () => ((await objectText(s3, 'checkpoints/spot/state.json')) ? true : undefined));
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
    assert.ok((await logLines(logs, 'spot')).some((line) => line.startsWith('resumed from step ')));
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
