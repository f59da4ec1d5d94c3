// Batch transform jobs run for real: the model's inference container on each instance, input
// objects split and batched into invocations, answers assembled into `.out` objects in S3.
import { CloudWatchLogsClient, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelCommand,
  CreateTransformJobCommand,
  type CreateTransformJobCommandInput,
  DescribeTransformJobCommand,
  type DescribeTransformJobCommandOutput,
  type SageMakerClient,
  StopTransformJobCommand,
  waitUntilTransformJobCompletedOrStopped,
} from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { type RunningEmulator, startEmulator } from '../../../../emulator/server';
import { clientConfig, makeTempDir, s3Client, sagemakerClient } from '../../../../harness/emulatorClients';
import { processesUnder, running } from '../../processes';
import { until } from '../../../../harness/waiting';
import { FIXTURES } from '../../runtimeTestHelpers';

const BUCKET = 'transform-tests';

function modelArchive(dir: string): Buffer {
  const root = path.join(dir, 'model');
  mkdirSync(path.join(root, 'code'), { recursive: true });
  writeFileSync(path.join(root, 'model.txt'), 'tiny');
  writeFileSync(path.join(root, 'code', 'serve.js'), readFileSync(path.join(FIXTURES, 'modelServer.js')));
  const archive = path.join(dir, 'model.tar.gz');
  tar.create({ gzip: true, file: archive, cwd: root, sync: true, portable: true }, ['.']);
  return readFileSync(archive);
}

function job(name: string, input: string, overrides: Partial<CreateTransformJobCommandInput> = {}): CreateTransformJobCommandInput {
  return {
    TransformJobName: name,
    ModelName: 'echo',
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/${input}` } }, ContentType: 'text/plain', SplitType: 'Line' },
    TransformOutput: { S3OutputPath: `s3://${BUCKET}/out/${name}`, AssembleWith: 'Line', Accept: 'application/json' },
    TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
    BatchStrategy: 'SingleRecord',
    ...overrides,
  };
}

describe('transform jobs run the model over S3 objects', () => {
  const scratch = makeTempDir('transform-runtime');
  let emulator: RunningEmulator;
  let sagemaker: SageMakerClient;
  let s3: S3Client;
  let logs: CloudWatchLogsClient;

  async function finished(name: string): Promise<DescribeTransformJobCommandOutput> {
    await waitUntilTransformJobCompletedOrStopped({ client: sagemaker, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { TransformJobName: name }).catch(() => undefined);
    return sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: name }));
  }
  async function answers(key: string): Promise<{ body: string; contentType: string }[]> {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const text = await Body!.transformToString();
    assert.ok(text.endsWith('\n'), 'AssembleWith Line ends every answer with a newline');
    return text.trimEnd().split('\n').map((line) => JSON.parse(line) as { body: string; contentType: string });
  }

  async function start(): Promise<void> {
    emulator = await startEmulator({
      dataDir: path.join(scratch.path, 'data'),
      runtime: { maxConcurrentJobs: 2, timing: { stopGraceMs: 2000, logFlushMs: 100 } },
    });
    sagemaker = sagemakerClient(emulator.url);
    s3 = s3Client(emulator.url);
    logs = new CloudWatchLogsClient(clientConfig(emulator.url));
  }
  async function stop(): Promise<void> {
    sagemaker.destroy();
    s3.destroy();
    logs.destroy();
    await emulator.close();
  }
  async function begun(name: string): Promise<void> {
    await until(`${name} to begin`, async () => ((await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: name }))).TransformStartTime ? true : undefined));
  }

  before(async () => {
    await start();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'model.tar.gz', Body: modelArchive(scratch.path) }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'prompts/a.txt', Body: 'first\nsecond\n\nthird\n' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'prompts/deep/b.txt', Body: 'fourth\n' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'zipped/c.txt.gz', Body: gzipSync('one\ntwo\n') }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'bad/d.txt', Body: '{"status": 400, "message": "not a prompt"}\n' }));
    const model = (name: string, environment: Record<string, string> = {}) =>
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        PrimaryContainer: { Image: 'sagemaker-emulator/node', ModelDataUrl: `s3://${BUCKET}/model.tar.gz`, Environment: { SAGEMAKER_PROGRAM: 'serve.js', ...environment } },
      });
    await sagemaker.send(model('echo'));
    await sagemaker.send(model('slow-echo', { STARTUP_DELAY_MS: '30000' }));
  });
  after(async () => {
    await stop();
    scratch.remove();
  });

  it('sends each line as a record and assembles the answers line by line, per object', async () => {
    await sagemaker.send(new CreateTransformJobCommand(job('lines', 'prompts/', { TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 2 } })));
    const described = await finished('lines');
    assert.equal(described.TransformJobStatus, 'Completed', described.FailureReason);
    assert.ok(described.TransformStartTime && described.TransformEndTime);
    const first = await answers('out/lines/a.txt.out');
    assert.deepEqual(first.map((answer) => answer.body), ['first', 'second', 'third']);
    assert.equal(first[0].contentType, 'text/plain');
    assert.deepEqual((await answers('out/lines/deep/b.txt.out')).map((answer) => answer.body), ['fourth']);
    const { logStreams = [] } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/sagemaker/TransformJobs', logStreamNamePrefix: 'lines/' }));
    assert.equal(logStreams.length, 2);
    for (const stream of logStreams) assert.match(stream.logStreamName ?? '', /^lines\/i-[0-9a-f]{17}-\d{10}$/);
  });

  it('batches records into one request with MultiRecord, and reads gzipped input', async () => {
    await sagemaker.send(
      new CreateTransformJobCommand(
        job('batched', 'zipped/', {
          BatchStrategy: 'MultiRecord',
          TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/zipped/` } }, SplitType: 'Line', CompressionType: 'Gzip' },
        }),
      ),
    );
    assert.equal((await finished('batched')).TransformJobStatus, 'Completed');
    assert.deepEqual((await answers('out/batched/c.txt.gz.out')).map((answer) => answer.body), ['one\ntwo']);
  });

  it('sends the whole object with SplitType None', async () => {
    await sagemaker.send(
      new CreateTransformJobCommand(job('whole', 'prompts/a.txt', { TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/prompts/a.txt` } }, SplitType: 'None' } })),
    );
    assert.equal((await finished('whole')).TransformJobStatus, 'Completed');
    // The input key after the prefix's last slash: prompts/a.txt → a.txt.out.
    assert.deepEqual((await answers('out/whole/a.txt.out')).map((answer) => answer.body), ['first\nsecond\n\nthird\n']);
  });

  it('transforms just the objects a ManifestFile lists', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'manifests/prompts.manifest', Body: JSON.stringify([{ prefix: `s3://${BUCKET}/prompts/` }, 'deep/b.txt']) }));
    await sagemaker.send(
      new CreateTransformJobCommand(
        job('listed', 'unused', {
          TransformInput: { DataSource: { S3DataSource: { S3DataType: 'ManifestFile', S3Uri: `s3://${BUCKET}/manifests/prompts.manifest` } }, SplitType: 'Line' },
        }),
      ),
    );
    assert.equal((await finished('listed')).TransformJobStatus, 'Completed');
    assert.deepEqual((await answers('out/listed/deep/b.txt.out')).map((answer) => answer.body), ['fourth']);
    const { KeyCount } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'out/listed/' }));
    assert.equal(KeyCount, 1);
  });

  it('fails with the reason when the container refuses a record', async () => {
    await sagemaker.send(new CreateTransformJobCommand(job('refused', 'bad/')));
    const described = await finished('refused');
    assert.equal(described.TransformJobStatus, 'Failed');
    assert.match(described.FailureReason ?? '', /^ClientError: See job logs for more information\. .*answered 400: not a prompt/);
  });

  it('fails with the reason when there is no input', async () => {
    await sagemaker.send(new CreateTransformJobCommand(job('empty', 'nothing-here/')));
    const described = await finished('empty');
    assert.equal(described.TransformJobStatus, 'Failed');
    assert.match(described.FailureReason ?? '', /^ClientError: No S3 objects found under S3 URL/);
  });

  it('stops: Stopping, then Stopped once its instances have exited', async () => {
    await sagemaker.send(new CreateTransformJobCommand({ ...job('stopped', 'prompts/'), ModelName: 'slow-echo' }));
    await begun('stopped');
    await sagemaker.send(new StopTransformJobCommand({ TransformJobName: 'stopped' }));
    assert.equal((await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: 'stopped' }))).TransformJobStatus, 'Stopping');
    const described = await finished('stopped');
    assert.equal(described.TransformJobStatus, 'Stopped');
  });

  it('fails a job the emulator restarted under, saying why, and leaves no container running', async () => {
    await sagemaker.send(new CreateTransformJobCommand({ ...job('interrupted', 'prompts/'), ModelName: 'slow-echo' }));
    await begun('interrupted');
    // The container runs in the job's code folder, inside the emulator's data folder.
    const before = await until('the container to start', async () => {
      const pids = processesUnder(scratch.path);
      return pids.length > 0 ? pids : undefined;
    });
    await stop();
    await start();
    const described = await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: 'interrupted' }));
    assert.equal(described.TransformJobStatus, 'Failed');
    assert.match(described.FailureReason ?? '', /^InternalServerError: The emulator restarted while the transform job ran/);
    assert.ok(before.every((pid) => !running(pid)));
  });
});
