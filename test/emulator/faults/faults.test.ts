// Request faults (/_emulator/faults) as real clients meet them: throttling of every service in its own
// error shape, retried by the SDK v3's standard retry mode (and boto3's, and the AWS CLI's) until it
// succeeds, or surfacing once it outlasts the retries; S3 SlowDown and InternalError on one bucket;
// added latency; "the next N" exact under concurrency; listing, removing, the CLI, and no fault
// surviving a restart.
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, ListTrainingJobsCommand } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { awsCli } from '../awsCli';
import { addFault, injectFault, listFaults, rawRequest, rejection, removeFaults, startTestEmulator, type TestEmulator } from '../helpers';
import { trainingJobRequest } from '../../../harness/requests';
import { CLI_PATH, clientConfig, makeTempDir, s3Client, sagemakerClient, spawnCli } from '../../../harness/emulatorClients';

const run = promisify(execFile);
const JOB = 'throttled-job';
const BUCKET = 'faulty-bucket';
const CALM_BUCKET = 'calm-bucket';

/** The SDK's defaults: standard retry mode, 3 attempts. */
const RETRYING = { maxAttempts: 3 };

type SdkError = Error & { $metadata: { httpStatusCode?: number; attempts?: number; totalRetryDelay?: number }; Code?: string };

describe('request faults through the real SDK', () => {
  let emulator: TestEmulator;
  const home = makeTempDir('faults-home');

  before(async () => {
    emulator = await startTestEmulator();
    await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest(JOB)));
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await emulator.s3.send(new CreateBucketCommand({ Bucket: CALM_BUCKET }));
  });
  after(async () => {
    await emulator.close();
    home.remove();
  });
  // Each test starts and ends without faults: a left-over one would fail the next test's calls.
  const withoutFaults = async () => assert.deepEqual((await removeFaults(emulator.url)).status, 200);

  it('throttles the next N calls of one operation; the SDK\'s standard retry absorbs them', async () => {
    const fault = await injectFault(emulator.url, { type: 'throttling', service: 'sagemaker', operations: ['DescribeTrainingJob'], count: 2 });
    try {
      assert.match(fault.id, /^f\d+$/);
      const sagemaker = sagemakerClient(emulator.url, RETRYING);
      const described = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: JOB }));
      assert.equal(described.TrainingJobName, JOB);
      assert.equal(described.$metadata.attempts, 3, 'two throttled attempts, then the answer');
      assert.ok((described.$metadata.totalRetryDelay ?? 0) > 0, 'the SDK backed off between attempts');
      // Another operation of the service is not throttled.
      assert.equal((await sagemaker.send(new ListTrainingJobsCommand({}))).$metadata.attempts, 1);
      const [listed] = await listFaults(emulator.url);
      assert.deepEqual(listed.done, { matched: 3, injected: 2, remaining: 0, lastInjectedAt: (listed.done as { lastInjectedAt: string }).lastInjectedAt });
      // Spent: it stays listed with what it did, and throttles nothing more.
      assert.equal((await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: JOB }))).$metadata.attempts, 1);
    } finally {
      await withoutFaults();
    }
  });

  it('answers ThrottlingException once throttling outlasts the retries, in SageMaker\'s shape', async () => {
    await injectFault(emulator.url, { type: 'throttling', service: 'sagemaker', rate: 1 });
    try {
      const error = (await rejection(sagemakerClient(emulator.url, RETRYING).send(new DescribeTrainingJobCommand({ TrainingJobName: JOB })))) as SdkError;
      assert.equal(error.name, 'ThrottlingException');
      assert.equal(error.message, 'Rate exceeded');
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.equal(error.$metadata.attempts, 3, 'every attempt the SDK makes was tried');
      const raw = await rawRequest(emulator.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'SageMaker.ListTrainingJobs' },
        body: '{}',
      });
      assert.equal(raw.status, 400);
      assert.equal(raw.headers['x-amzn-errortype'], 'ThrottlingException');
      assert.deepEqual(JSON.parse(raw.body), { __type: 'ThrottlingException', message: 'Rate exceeded' });
    } finally {
      await withoutFaults();
    }
  });

  it('throttles every service in its own words, each retried by the SDK', async () => {
    const configuration = clientConfig(emulator.url, { maxAttempts: 2 });
    const calls: { service: string; call: () => Promise<{ $metadata: { attempts?: number } }>; name: string; code?: string; status: number }[] = [
      { service: 'logs', call: () => new CloudWatchLogsClient(configuration).send(new DescribeLogGroupsCommand({})), name: 'ThrottlingException', status: 400 },
      {
        service: 'application-autoscaling',
        call: () => new ApplicationAutoScalingClient(configuration).send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker' })),
        name: 'ThrottlingException',
        status: 400,
      },
      // awsQueryCompatible: the query code, Throttling, comes in x-amzn-query-error, and the SDK names the error by it.
      { service: 'cloudwatch', call: () => new CloudWatchClient(configuration).send(new ListMetricsCommand({})), name: 'Throttling', code: 'Throttling', status: 400 },
      { service: 's3', call: () => s3Client(emulator.url, { maxAttempts: 2 }).send(new ListBucketsCommand({})), name: 'SlowDown', status: 503 },
    ];
    for (const { service, call, name, code, status } of calls) {
      // Once: the SDK's one retry gets through.
      await injectFault(emulator.url, { type: 'throttling', service, count: 1 });
      assert.equal((await call()).$metadata.attempts, 2, `${service}: retried once`);
      await withoutFaults();
      // Always: the error, as the SDK parses it.
      await injectFault(emulator.url, { type: 'throttling', service, rate: 1 });
      const error = (await rejection(call())) as SdkError;
      assert.equal(error.name, name, service);
      assert.equal(error.$metadata.httpStatusCode, status, service);
      assert.equal(error.$metadata.attempts, 2, service);
      if (code) assert.equal(error.Code, code, service);
      await withoutFaults();
    }
    // SageMaker Runtime: throttled before the endpoint is even looked up, as at AWS's front door.
    await injectFault(emulator.url, { type: 'throttling', service: 'sagemaker-runtime', operations: ['InvokeEndpoint'], rate: 1 });
    try {
      const runtime = new SageMakerRuntimeClient(configuration);
      const error = (await rejection(runtime.send(new InvokeEndpointCommand({ EndpointName: 'anything', Body: '{}' })))) as SdkError;
      assert.equal(error.name, 'ThrottlingException');
      assert.equal(error.$metadata.attempts, 2);
    } finally {
      await withoutFaults();
    }
  });

  it('throttles CloudWatch for the AWS CLI (query protocol) with the code Throttling', async () => {
    await injectFault(emulator.url, { type: 'throttling', service: 'cloudwatch', operations: ['ListMetrics'], rate: 1 });
    try {
      const failed = (await rejection(awsCli(emulator.url, home.path, 'cloudwatch', 'list-metrics'))) as unknown as { stderr: string };
      assert.match(failed.stderr, /An error occurred \(Throttling\) when calling the ListMetrics operation \(reached max retries: \d+\): Rate exceeded/);
    } finally {
      await withoutFaults();
    }
  });

  it('is retried by boto3\'s standard retry mode, and named as botocore names it when it persists', async () => {
    // One Python process (boto3 takes seconds to import here) meets both faults.
    const script = `
import boto3, json, sys
from botocore.config import Config
from botocore.exceptions import ClientError
client = boto3.client('sagemaker', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test',
                      config=Config(retries={'mode': 'standard', 'total_max_attempts': 3}))
answer = client.describe_training_job(TrainingJobName='${JOB}')
result = {'name': answer['TrainingJobName'], 'retries': answer['ResponseMetadata']['RetryAttempts']}
try:
    client.list_training_jobs()
except ClientError as error:
    result['error'] = {'code': error.response['Error']['Code'], 'retries': error.response['ResponseMetadata']['RetryAttempts'], 'text': str(error)}
print(json.dumps(result))
`;
    await injectFault(emulator.url, { type: 'throttling', service: 'sagemaker', operations: ['DescribeTrainingJob'], count: 2 });
    await injectFault(emulator.url, { type: 'throttling', service: 'sagemaker', operations: ['ListTrainingJobs'], rate: 1 });
    try {
      const result = JSON.parse((await run('python3', ['-c', script, emulator.url], { timeout: 60_000 })).stdout) as {
        name: string;
        retries: number;
        error?: { code: string; retries: number; text: string };
      };
      assert.equal(result.name, JOB);
      assert.equal(result.retries, 2, 'two throttled attempts retried');
      assert.equal(result.error?.code, 'ThrottlingException');
      assert.equal(result.error?.retries, 2);
      assert.match(result.error?.text ?? '', /An error occurred \(ThrottlingException\) when calling the ListTrainingJobs operation \(reached max retries: 2\): Rate exceeded/);
    } finally {
      await withoutFaults();
    }
  });

  it('fails exactly the next N of many concurrent calls', async () => {
    await injectFault(emulator.url, { type: 'throttling', service: 'sagemaker', operations: ['DescribeTrainingJob'], count: 5 });
    try {
      const once = sagemakerClient(emulator.url, { maxAttempts: 1 });
      const outcomes = await Promise.allSettled(Array.from({ length: 40 }, () => once.send(new DescribeTrainingJobCommand({ TrainingJobName: JOB }))));
      const throttled = outcomes.filter((outcome) => outcome.status === 'rejected');
      assert.equal(throttled.length, 5);
      for (const outcome of throttled) assert.equal((outcome as PromiseRejectedResult).reason.name, 'ThrottlingException');
      const [listed] = await listFaults(emulator.url);
      assert.deepEqual({ ...listed.done, lastInjectedAt: undefined }, { matched: 40, injected: 5, remaining: 0, lastInjectedAt: undefined });
    } finally {
      await withoutFaults();
    }
  });

  it('fails requests on one bucket with S3\'s SlowDown, which the SDK retries', async () => {
    await injectFault(emulator.url, { type: 's3-error', bucket: BUCKET, code: 'SlowDown', operations: ['PutObject'], count: 2 });
    try {
      const s3 = s3Client(emulator.url, RETRYING);
      const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'slow.txt', Body: 'stored once' }));
      assert.equal(put.$metadata.attempts, 3);
      // Only PutObject, only that bucket.
      assert.equal((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'slow.txt' }))).$metadata.attempts, 1);
      assert.equal((await s3.send(new PutObjectCommand({ Bucket: CALM_BUCKET, Key: 'calm.txt', Body: 'calm' }))).$metadata.attempts, 1);
      const raw = await rawRequest(emulator.url, { method: 'PUT', path: `/${BUCKET}/raw.txt`, body: 'x' });
      assert.equal(raw.status, 200, 'the fault is spent');
    } finally {
      await withoutFaults();
    }
    await injectFault(emulator.url, { type: 's3-error', bucket: BUCKET, code: 'SlowDown', rate: 1 });
    try {
      const raw = await rawRequest(emulator.url, { method: 'PUT', path: `/${BUCKET}/raw.txt`, body: 'x' });
      assert.equal(raw.status, 503);
      assert.match(raw.body, /<Code>SlowDown<\/Code><Message>Please reduce your request rate\.<\/Message>/);
    } finally {
      await withoutFaults();
    }
  });

  it('fails reads with S3\'s InternalError (500) until the fault is removed, losing nothing', async () => {
    const s3 = s3Client(emulator.url, RETRYING);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept.txt', Body: 'kept' }));
    const fault = await injectFault(emulator.url, { type: 's3-error', bucket: BUCKET, code: 'InternalError', operations: ['GetObject'], rate: 1 });
    const error = (await rejection(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept.txt' })))) as SdkError;
    assert.equal(error.name, 'InternalError');
    assert.equal(error.message, 'We encountered an internal error. Please try again.');
    assert.equal(error.$metadata.httpStatusCode, 500);
    assert.equal(error.$metadata.attempts, 3, 'a 500 is retried as a transient error');
    assert.deepEqual(await removeFaults(emulator.url, fault.id), { status: 200, removed: [fault.id] });
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept.txt' }));
    assert.equal(await object.Body?.transformToString(), 'kept');
  });

  it('adds latency to a service, fixed or drawn from a range', async () => {
    const s3 = s3Client(emulator.url);
    await injectFault(emulator.url, { type: 'latency', service: 's3', ms: 300 });
    try {
      const started = performance.now();
      await s3.send(new HeadBucketCommand({ Bucket: CALM_BUCKET }));
      assert.ok(performance.now() - started >= 300, 'the call waited at least the added latency');
    } finally {
      await withoutFaults();
    }
    const fault = await injectFault(emulator.url, { type: 'latency', service: 's3', operations: ['HeadBucket'], minMs: 100, maxMs: 200 });
    try {
      for (let call = 0; call < 3; call++) {
        const started = performance.now();
        await s3.send(new HeadBucketCommand({ Bucket: CALM_BUCKET }));
        assert.ok(performance.now() - started >= 100);
      }
      await s3.send(new ListBucketsCommand({})); // not HeadBucket: no delay counted
      const listed = (await listFaults(emulator.url)).find((candidate) => candidate.id === fault.id)!;
      const done = listed.done as { injected: number; delayedMs: { total: number; shortest: number; longest: number } };
      assert.equal(done.injected, 3);
      assert.ok(done.delayedMs.shortest >= 100 && done.delayedMs.longest <= 200, JSON.stringify(done));
    } finally {
      await withoutFaults();
    }
  });

  it('lists faults with what each has done, and removes one or all', async () => {
    const throttling = await injectFault(emulator.url, { type: 'throttling', service: 'logs', operations: ['DescribeLogGroups'], rate: 0.5 });
    const s3Error = await injectFault(emulator.url, { type: 's3-error', bucket: BUCKET, code: 'InternalError', count: 3 });
    const latency = await injectFault(emulator.url, { type: 'latency', service: 'sagemaker', ms: 1 });
    const listed = await listFaults(emulator.url);
    assert.deepEqual(
      listed.map(({ id, type }) => ({ id, type })),
      [
        { id: throttling.id, type: 'throttling' },
        { id: s3Error.id, type: 's3-error' },
        { id: latency.id, type: 'latency' },
      ],
    );
    assert.deepEqual(listed[1], { ...s3Error, done: { matched: 0, injected: 0, remaining: 3 } });
    assert.deepEqual(listed[0], { id: throttling.id, type: 'throttling', service: 'logs', operations: ['DescribeLogGroups'], rate: 0.5, addedAt: throttling.addedAt, done: { matched: 0, injected: 0 } });
    assert.deepEqual(await removeFaults(emulator.url, s3Error.id), { status: 200, removed: [s3Error.id] });
    assert.equal((await removeFaults(emulator.url, s3Error.id)).status, 404);
    assert.deepEqual(
      (await listFaults(emulator.url)).map(({ id }) => id),
      [throttling.id, latency.id],
    );
    assert.deepEqual(await removeFaults(emulator.url), { status: 200, removed: [throttling.id, latency.id] });
    assert.deepEqual(await listFaults(emulator.url), []);
  });

  it('refuses a definition it cannot take, saying what to write', async () => {
    const refusals: [object, RegExp][] = [
      [{ type: 'flood' }, /"type" is one of throttling, s3-error, latency, instance-failure, spot-interruption/],
      [{ type: 'throttling', service: 'ec2', rate: 1 }, /"service" is one of sagemaker, sagemaker-runtime, s3, logs, application-autoscaling, cloudwatch/],
      [{ type: 'throttling', service: 'sagemaker', operations: ['DescribeTrainingJobs'], rate: 1 }, /sagemaker has no operation DescribeTrainingJobs/],
      [{ type: 'throttling', service: 'sagemaker' }, /Give either "rate" .* or "count"/],
      [{ type: 'throttling', service: 'sagemaker', rate: 0.5, count: 2 }, /Give either "rate"/],
      [{ type: 'throttling', service: 'sagemaker', rate: 0 }, /"rate" is a fraction above 0 and at most 1, not 0/],
      [{ type: 'throttling', service: 'sagemaker', rate: 1.01 }, /"rate" is a fraction above 0 and at most 1, not 1.01/],
      [{ type: 'throttling', service: 'sagemaker', count: 0 }, /"count" is a whole number of requests, at least 1, not 0/],
      [{ type: 's3-error', code: 'SlowDown', rate: 1 }, /"bucket" is the bucket whose requests fail/],
      [{ type: 's3-error', bucket: BUCKET, code: 'NoSuchKey', rate: 1 }, /"code" is one of SlowDown, InternalError/],
      [{ type: 'latency', service: 's3' }, /Give either "ms"/],
      [{ type: 'latency', service: 's3', minMs: 300, maxMs: 100 }, /"minMs" \(300\) is more than "maxMs" \(100\)/],
      [{ type: 'latency', service: 's3', ms: 300_001 }, /"ms" is a number of milliseconds from 0 to 300000/],
      [{ type: 'instance-failure', trainingJobName: JOB, host: 'worker-1' }, /"host" is a training host, algo-1, algo-2/],
      [{ type: 'instance-failure', trainingJobName: JOB, endpointName: 'chat' }, /either "trainingJobName" or "endpointName", not both/],
      [{ type: 'instance-failure', endpointName: 'chat', instance: 0 }, /"instance" is the Nth serving instance/],
    ];
    for (const [definition, message] of refusals) {
      const { status, body } = await addFault(emulator.url, definition);
      assert.equal(status, 400, JSON.stringify(definition));
      assert.equal(body.__type, 'ValidationException');
      assert.match(body.message!, message);
    }
    const notJson = await rawRequest(emulator.url, { method: 'POST', path: '/_emulator/faults', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    assert.equal(notJson.status, 400);
    assert.deepEqual(await listFaults(emulator.url), [], 'nothing refused was added');
  });

  it('starts again without faults after a restart', async () => {
    await injectFault(emulator.url, { type: 'throttling', service: 'sagemaker', rate: 1 });
    await emulator.restart();
    assert.deepEqual(await listFaults(emulator.url), []);
    assert.equal((await emulator.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: JOB }))).TrainingJobName, JOB);
  });
});

describe('sagemaker-emulator fault (CLI)', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest(JOB)));
  });
  after(() => emulator.close());

  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI_PATH, 'fault', ...args, '--url', emulator.url], { timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('adds, lists and removes faults', async () => {
    const added = await cli('add', 'throttling', '--service', 'sagemaker', '--operation', 'DescribeTrainingJob', '--count', '1');
    assert.equal(added.code, 0, added.stderr);
    const id = /^added (f\d+) /.exec(added.stdout)?.[1];
    assert.ok(id, added.stdout);
    assert.equal(added.stdout, `added ${id}  throttling of sagemaker DescribeTrainingJob, the next 1 requests: 0 of 0 throttled, 1 left\n`);
    const throttled = await rejection(sagemakerClient(emulator.url).send(new DescribeTrainingJobCommand({ TrainingJobName: JOB })));
    assert.equal(throttled.name, 'ThrottlingException');

    const latency = await cli('latency', '--service', 's3', '--ms', '10-20');
    assert.equal(latency.code, 0, latency.stderr);
    const latencyId = /^added (f\d+) /.exec(latency.stdout)![1];
    const listed = await cli('list');
    assert.equal(
      listed.stdout,
      `${id}  throttling of sagemaker DescribeTrainingJob, the next 1 requests: 1 of 1 throttled, 0 left\n` +
        `${latencyId}  latency of s3, +10–20 ms: 0 requests delayed, 0 ms in all\n`,
    );
    const json = JSON.parse((await cli('list', '--json')).stdout) as { faults: { id: string }[] };
    assert.deepEqual(json.faults.map((fault) => fault.id), [id, latencyId]);

    assert.deepEqual(await cli('remove', id!), { code: 0, stdout: `removed ${id}\n`, stderr: '' });
    assert.deepEqual(await cli('remove', '--all'), { code: 0, stdout: `removed ${latencyId}\n`, stderr: '' });
    assert.equal((await cli('list')).stdout, 'no faults\n');
  });

  it('exits 1 with the emulator\'s reason when a fault cannot act, 2 on a usage error', async () => {
    const missing = await cli('add', 'instance-failure', '--endpoint', 'nowhere');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Endpoint nowhere: no instance of the endpoint is running.\n');
    const notRunning = await cli('instance-failure', '--job', JOB, '--host', 'algo-2');
    assert.equal(notRunning.code, 1);
    assert.match(notRunning.stderr, new RegExp(`Training job ${JOB} is not running`));
    const invalid = await cli('add', 'throttling', '--service', 'sagemaker', '--rate', '2');
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /"rate" is a fraction above 0 and at most 1, not 2/);
    const usage = await cli('add', 'earthquake');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /TYPE is one of throttling, s3-error, latency, instance-failure, spot-interruption/);
    assert.match(usage.stderr, /usage: sagemaker-emulator/);
    assert.deepEqual(await listFaults(emulator.url), []);
  });
});

describe('an S3 upload refused by a fault, against an emulator process', () => {
  it('reaches the SDK as the fault, never as a connection closed under its body (Expect: 100-continue)', async () => {
    // The SDK asks 100-continue for bodies of 2 MB and more, on a connection it closes after the
    // answer; Node says 100 Continue before any handler runs. Answered before the body was all in,
    // the connection closed under the client's write (EPIPE) in a few of every sixty uploads, and the
    // client saw a TimeoutError instead of SlowDown. (In one process with the client the race never
    // shows, hence a process of its own.)
    const dataDir = makeTempDir('faults-expect');
    const emulator = await spawnCli(['--port', '0', '--data-dir', dataDir.path, '--max-concurrent-jobs', '0']);
    const s3 = s3Client(emulator.url, { maxAttempts: 1 });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await injectFault(emulator.url, { type: 's3-error', bucket: BUCKET, code: 'SlowDown', operations: ['PutObject'], rate: 1 });
      const body = Buffer.alloc(5 * 1024 * 1024 + 1, 7);
      const seen = new Map<string, number>();
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let upload = 0; upload < 20; upload++) {
            const error = (await rejection(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big.bin', Body: body })))) as SdkError & { code?: string };
            const what = `${error.name}${error.code ? ` (${error.code})` : ''}`;
            seen.set(what, (seen.get(what) ?? 0) + 1);
          }
        }),
      );
      assert.deepEqual(Object.fromEntries(seen), { SlowDown: 80 });
    } finally {
      s3.destroy();
      emulator.child.kill('SIGKILL');
      await emulator.exited;
      dataDir.remove();
    }
  });
});
