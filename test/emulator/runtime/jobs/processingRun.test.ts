// Processing jobs really run: Node and Python scripts read their inputs from S3 at their LocalPath
// and their outputs land in S3; failures, StopProcessingJob and MaxRuntimeInSeconds end the
// processes; instances share out ShardedByS3Key inputs; logs reach CloudWatch Logs while a job
// runs; processing and training jobs share one capacity; an emulator restart fails a running job
// and leaves no process behind. All through the real SDK.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateProcessingJobCommand,
  CreateTrainingJobCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  StopProcessingJobCommand,
  StopTrainingJobCommand,
  type CreateProcessingJobCommandInput,
  type ProcessingInput,
  type ProcessingOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROCESSING_RESTARTED_REASON } from '../../../../emulator/runtime/jobs/processingRun';
import { startEmulator } from '../../../../emulator/server';
import { clientConfig, makeTempDir, s3Client, sagemakerClient, spawnCli } from '../../../../harness/emulatorClients';
import { running } from '../../processes';
import { ROLE_ARN } from '../../../../harness/requests';
import { until } from '../../../../harness/waiting';
import { FAST_TIMING, FIXTURES, finishedProcessingJob as finished, jobLogLines, loggedPid, startJobEmulator, type JobEmulator, objectText as objectTextIn } from '../../runtimeTestHelpers';

const BUCKET = 'processing-tests';
const LOG_GROUP = '/aws/sagemaker/ProcessingJobs';

/** A job of test/emulator/fixtures/process.js; MODE in Environment picks what it does. */
function nodeJob(name: string, mode: string, overrides: Partial<CreateProcessingJobCommandInput> = {}): CreateProcessingJobCommandInput {
  return {
    ProcessingJobName: name,
    RoleArn: ROLE_ARN,
    AppSpecification: {
      ImageUri: 'sagemaker-emulator/node:20',
      ContainerArguments: [path.join(FIXTURES, 'process.js'), '--input', '/opt/ml/processing/input', '--output', '/opt/ml/processing/output'],
    },
    Environment: { MODE: mode },
    ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
    StoppingCondition: { MaxRuntimeInSeconds: 120 },
    ...overrides,
  };
}

function s3Input(name: string, key: string, localPath: string, overrides: Partial<NonNullable<ProcessingInput['S3Input']>> = {}): ProcessingInput {
  return { InputName: name, S3Input: { S3Uri: `s3://${BUCKET}/${key}`, LocalPath: localPath, S3DataType: 'S3Prefix', S3InputMode: 'File', ...overrides } };
}

function s3Output(name: string, key: string, localPath: string, mode: 'EndOfJob' | 'Continuous' = 'EndOfJob'): ProcessingOutput {
  return { OutputName: name, S3Output: { S3Uri: `s3://${BUCKET}/${key}`, LocalPath: localPath, S3UploadMode: mode } };
}

function objectText(s3: S3Client, key: string): Promise<string | undefined> {
  return objectTextIn(s3, BUCKET, key);
}

async function keysUnder(s3: S3Client, prefix: string): Promise<string[]> {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return Contents.map((object) => object.Key ?? '');
}

async function putObjects(s3: S3Client, objects: Record<string, string>): Promise<void> {
  for (const [key, body] of Object.entries(objects)) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

describe('processing runtime', () => {
  let jobs: JobEmulator;
  let s3: S3Client;
  let sageMaker: SageMakerClient;
  let logs: CloudWatchLogsClient;

  before(async () => {
    jobs = await startJobEmulator('processing-runtime', BUCKET, { maxConcurrentJobs: 2 });
    ({ s3, sageMaker, logs } = jobs);
    await putObjects(s3, { 'raw/a.txt': 'one\n', 'raw/sub/b.txt': 'two\n' });
  });
  after(() => jobs.close());

  it('runs a Node script on its S3 input and uploads what it wrote to its output, with ExitMessage and logs', async () => {
    await sageMaker.send(
      new CreateProcessingJobCommand(
        nodeJob('node-copy', 'copy', {
          Environment: { MODE: 'copy', SPLIT: '0.1' },
          ProcessingInputs: [s3Input('raw', 'raw/', '/opt/ml/processing/input')],
          ProcessingOutputConfig: { Outputs: [s3Output('upper', 'upper/node-copy', '/opt/ml/processing/output')] },
        }),
      ),
    );
    const job = await finished(sageMaker, 'node-copy');
    assert.equal(job.ProcessingJobStatus, 'Completed', job.FailureReason);
    assert.ok(job.ProcessingStartTime instanceof Date && job.ProcessingEndTime instanceof Date);
    assert.ok(job.ProcessingStartTime <= job.ProcessingEndTime);
    assert.equal(job.ExitMessage, 'algo-1 copied 2 files');
    assert.equal(await objectText(s3, 'upper/node-copy/a.txt'), 'ONE\n');
    assert.equal(await objectText(s3, 'upper/node-copy/sub/b.txt'), 'TWO\n');
    // resourceconfig.json and processingjobconfig.json as SageMaker writes them; Environment passed on.
    assert.deepEqual(JSON.parse((await objectText(s3, 'upper/node-copy/algo-1.json'))!), {
      host: 'algo-1',
      hosts: ['algo-1'],
      files: ['a.txt', path.join('sub', 'b.txt')],
      jobName: 'node-copy',
      split: '0.1',
    });
    assert.ok((await jobLogLines(logs, LOG_GROUP, 'node-copy')).includes('algo-1 copied 2 files'));
  });

  it('runs a Python script as ScriptProcessor does: code and a ManifestFile input from S3, two outputs', async () => {
    await putObjects(s3, {
      'code/process.py': readFileSync(path.join(FIXTURES, 'process.py'), 'utf8'),
      'csv/part-1.csv': 'a,1\nb,2\nc,3\nd,4\ne,5\n',
      'csv/part-2.csv': 'f,6\ng,7\nh,8\ni,9\n',
      'csv/not-listed.csv': 'x,0\n',
      'manifests/rows.json': JSON.stringify([{ prefix: `s3://${BUCKET}/csv/` }, 'part-1.csv', 'part-2.csv']),
    });
    await sageMaker.send(
      new CreateProcessingJobCommand({
        ...nodeJob('python-split', 'unused'),
        AppSpecification: {
          ImageUri: 'sagemaker-emulator/python:3',
          ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/process.py'],
          ContainerArguments: ['--input', '/opt/ml/processing/input/data', '--train', '/opt/ml/processing/train', '--test', '/opt/ml/processing/test'],
        },
        Environment: { TEST_EVERY: '3' },
        ProcessingInputs: [
          s3Input('code', 'code/process.py', '/opt/ml/processing/input/code'),
          s3Input('data', 'manifests/rows.json', '/opt/ml/processing/input/data', { S3DataType: 'ManifestFile' }),
        ],
        ProcessingOutputConfig: {
          Outputs: [s3Output('train', 'split/train', '/opt/ml/processing/train'), s3Output('test', 'split/test', '/opt/ml/processing/test')],
        },
      }),
    );
    const job = await finished(sageMaker, 'python-split');
    assert.equal(job.ProcessingJobStatus, 'Completed', job.FailureReason);
    assert.equal(await objectText(s3, 'split/train/part.csv'), 'a,1\r\nb,2\r\nd,4\r\ne,5\r\ng,7\r\nh,8\r\n');
    assert.equal(await objectText(s3, 'split/test/part.csv'), 'c,3\r\nf,6\r\ni,9\r\n');
    assert.ok((await jobLogLines(logs, LOG_GROUP, 'python-split')).includes('rows=9 train=6 test=3'));
  });

  it('fails a job with what its script wrote to /opt/ml/output/message, else its exit code and last lines, and uploads nothing', async () => {
    const outputs = { Outputs: [s3Output('upper', 'upper/failing', '/opt/ml/processing/output')] };
    await sageMaker.send(new CreateProcessingJobCommand(nodeJob('writes-message', 'fail', { ProcessingOutputConfig: outputs })));
    await sageMaker.send(new CreateProcessingJobCommand(nodeJob('crashes', 'crash')));
    const written = await finished(sageMaker, 'writes-message');
    assert.equal(written.ProcessingJobStatus, 'Failed');
    assert.equal(written.FailureReason, 'AlgorithmError: the input has no header row');
    assert.equal(written.ExitMessage, 'the input has no header row');
    assert.deepEqual(await keysUnder(s3, 'upper/failing'), []);
    const crashed = await finished(sageMaker, 'crashes');
    assert.equal(crashed.ProcessingJobStatus, 'Failed');
    assert.equal(crashed.FailureReason, 'AlgorithmError: algo-1 exited with code 3: about to crash');
    assert.equal(crashed.ExitMessage, undefined);
  });

  it('fails a job it cannot run with a ClientError that says why', async () => {
    await sageMaker.send(new CreateProcessingJobCommand(nodeJob('outside', 'copy', { ProcessingInputs: [s3Input('raw', 'raw/', '/data/input')] })));
    const job = await finished(sageMaker, 'outside');
    assert.equal(job.ProcessingJobStatus, 'Failed');
    assert.equal(job.FailureReason, 'ClientError: The LocalPath of input raw must begin with /opt/ml/processing/; it is "/data/input".');
  });

  it('shows logs and uploads Continuous outputs while a job runs, and StopProcessingJob ends its process: Stopping → Stopped', async () => {
    const outputs = { Outputs: [s3Output('progress', 'progress/to-stop', '/opt/ml/processing/output', 'Continuous')] };
    await sageMaker.send(new CreateProcessingJobCommand(nodeJob('to-stop', 'sleep', { ProcessingOutputConfig: outputs })));
    const pid = await loggedPid(logs, LOG_GROUP, 'to-stop');
    await until('tick lines', async () => ((await jobLogLines(logs, LOG_GROUP, 'to-stop')).includes('tick 2') ? true : undefined));
    await until('the Continuous output in S3', () => objectText(s3, 'progress/to-stop/progress.txt'));
    const runningJob = await sageMaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'to-stop' }));
    assert.equal(runningJob.ProcessingJobStatus, 'InProgress', 'the lines and the output were there while the job ran');
    assert.ok(running(pid));

    await sageMaker.send(new StopProcessingJobCommand({ ProcessingJobName: 'to-stop' }));
    const job = await finished(sageMaker, 'to-stop');
    assert.equal(job.ProcessingJobStatus, 'Stopped');
    assert.ok(job.ProcessingEndTime instanceof Date);
    assert.ok(!running(pid), 'the stopped job left its process running');
  });

  it('stops a job that exceeds MaxRuntimeInSeconds', async () => {
    await sageMaker.send(new CreateProcessingJobCommand(nodeJob('too-long', 'sleep', { StoppingCondition: { MaxRuntimeInSeconds: 1 } })));
    const pid = await loggedPid(logs, LOG_GROUP, 'too-long');
    const job = await finished(sageMaker, 'too-long');
    assert.equal(job.ProcessingJobStatus, 'Stopped');
    assert.ok(!running(pid));
  });

  it('runs 2 instances, each with its ShardedByS3Key share of an input and all of a FullyReplicated one', async () => {
    await putObjects(s3, { 'shards/p0.txt': 'p0', 'shards/p1.txt': 'p1', 'shards/p2.txt': 'p2', 'shards/p3.txt': 'p3', 'shared/config.txt': 'c' });
    await sageMaker.send(
      new CreateProcessingJobCommand(
        nodeJob('sharded', 'copy', {
          AppSpecification: {
            ImageUri: 'sagemaker-emulator/node:20',
            ContainerArguments: [path.join(FIXTURES, 'process.js'), '--input=/opt/ml/processing/input', '--output', '/opt/ml/processing/output', '--shared', '/opt/ml/processing/shared'],
          },
          ProcessingResources: { ClusterConfig: { InstanceCount: 2, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
          ProcessingInputs: [
            s3Input('shards', 'shards/', '/opt/ml/processing/input', { S3DataDistributionType: 'ShardedByS3Key' }),
            s3Input('shared', 'shared/', '/opt/ml/processing/shared', { S3DataDistributionType: 'FullyReplicated' }),
          ],
          ProcessingOutputConfig: { Outputs: [s3Output('out', 'sharded-out', '/opt/ml/processing/output')] },
        }),
      ),
    );
    const job = await finished(sageMaker, 'sharded');
    assert.equal(job.ProcessingJobStatus, 'Completed', job.FailureReason);
    const seen = await Promise.all(
      ['algo-1', 'algo-2'].map(async (host) => JSON.parse((await objectText(s3, `sharded-out/${host}.json`))!) as { hosts: string[]; files: string[]; shared: string[] }),
    );
    for (const instance of seen) {
      assert.deepEqual(instance.hosts, ['algo-1', 'algo-2']);
      assert.equal(instance.files.length, 2);
      assert.deepEqual(instance.shared, ['config.txt']);
    }
    assert.deepEqual([...seen[0].files, ...seen[1].files].sort(), ['p0.txt', 'p1.txt', 'p2.txt', 'p3.txt']);
    assert.equal(job.ExitMessage, 'algo-1 copied 2 filesalgo-2 copied 2 files');
  });
});

describe('processing and training jobs share one capacity', () => {
  it('runs a processing job only once the training job that holds the only slot has stopped', async () => {
    const { sageMaker, close } = await startJobEmulator('processing-capacity', BUCKET, { maxConcurrentJobs: 1 });
    try {
      await sageMaker.send(
        new CreateTrainingJobCommand({
          TrainingJobName: 'holds-the-slot',
          AlgorithmSpecification: { TrainingImage: 'sagemaker-emulator/node:20', TrainingInputMode: 'File', ContainerArguments: [path.join(FIXTURES, 'counter.js')] },
          HyperParameters: { steps: '100000', step_ms: '100' },
          RoleArn: ROLE_ARN,
          OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
          ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
          StoppingCondition: { MaxRuntimeInSeconds: 120 },
        }),
      );
      await until('the training job to train', async () => {
        const job = await sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'holds-the-slot' }));
        return job.SecondaryStatus === 'Training' ? true : undefined;
      });
      await sageMaker.send(new CreateProcessingJobCommand(nodeJob('waits', 'crash')));
      const waiting = await sageMaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'waits' }));
      assert.equal(waiting.ProcessingJobStatus, 'InProgress');
      assert.equal(waiting.ProcessingStartTime, undefined, 'the processing job waits for the slot');

      await sageMaker.send(new StopTrainingJobCommand({ TrainingJobName: 'holds-the-slot' }));
      const job = await finished(sageMaker, 'waits');
      assert.equal(job.FailureReason, 'AlgorithmError: algo-1 exited with code 3: about to crash', 'it ran once the slot was free');
    } finally {
      await close();
    }
  });
});

describe('processing runtime across emulator restarts', () => {
  it('fails a job that ran when the emulator was killed, after ending the process the crash left', async () => {
    const dataDir = makeTempDir('processing-crash');
    const first = await spawnCli(['--port', '0', '--data-dir', dataDir.path]);
    let pid: number;
    try {
      await s3Client(first.url).send(new CreateBucketCommand({ Bucket: BUCKET }));
      // Quiet after its pid: a host that prints into the dead emulator's pipe would end by itself.
      await sagemakerClient(first.url).send(new CreateProcessingJobCommand(nodeJob('orphaned', 'sleep', { Environment: { MODE: 'sleep', QUIET: 'true' } })));
      pid = await loggedPid(new CloudWatchLogsClient(clientConfig(first.url)), LOG_GROUP, 'orphaned');
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }

    assert.ok(running(pid), 'the process outlives the killed emulator');
    const second = await spawnCli(['--port', '0', '--data-dir', dataDir.path]);
    try {
      assert.ok(!running(pid), 'the process the crash left running was ended');
      const job = await sagemakerClient(second.url).send(new DescribeProcessingJobCommand({ ProcessingJobName: 'orphaned' }));
      assert.equal(job.ProcessingJobStatus, 'Failed');
      assert.equal(job.FailureReason, PROCESSING_RESTARTED_REASON);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      dataDir.remove();
    }
  });

  it('ends a running job on shutdown and fails it on start; runs a job that was still waiting', async () => {
    const dataDir = makeTempDir('processing-restart');
    const start = (maxConcurrentJobs: number) => startEmulator({ dataDir: dataDir.path, runtime: { maxConcurrentJobs, timing: FAST_TIMING } });
    let emulator = await start(1);
    try {
      let sageMaker = sagemakerClient(emulator.url);
      await s3Client(emulator.url).send(new CreateBucketCommand({ Bucket: BUCKET }));
      await sageMaker.send(new CreateProcessingJobCommand(nodeJob('interrupted', 'sleep')));
      const pid = await loggedPid(new CloudWatchLogsClient(clientConfig(emulator.url)), LOG_GROUP, 'interrupted');
      // The only slot is taken: this one waits, and has not begun when the emulator goes.
      await sageMaker.send(new CreateProcessingJobCommand(nodeJob('not-yet-started', 'crash')));
      await emulator.close();
      assert.ok(!running(pid), 'shutdown ended the process');

      emulator = await start(1);
      sageMaker = sagemakerClient(emulator.url);
      const interrupted = await sageMaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'interrupted' }));
      assert.equal(interrupted.ProcessingJobStatus, 'Failed');
      assert.equal(interrupted.FailureReason, PROCESSING_RESTARTED_REASON);
      const waited = await finished(sageMaker, 'not-yet-started');
      assert.equal(waited.FailureReason, 'AlgorithmError: algo-1 exited with code 3: about to crash', 'the waiting job ran after the restart');
    } finally {
      await emulator.close();
      dataDir.remove();
    }
  });
});
