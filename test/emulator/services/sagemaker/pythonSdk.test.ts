// The SageMaker Python SDK's call sequences against the emulator, made with boto3 exactly as the SDK
// makes them (fixtures/sagemaker_sdk_calls.py follows the SDK's source function by function; the SDK
// itself cannot be installed here: PyPI is unreachable): Session.default_bucket(), Estimator.fit(logs=True),
// a PyTorch framework estimator with entry_point and source_dir, deploy and predict, batch transform
// with logs, and Model.register — each call recorded, in order, and what it ends with checked.
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startEmulator, type RunningEmulator } from '../../../../emulator/server';
import { BUCKET } from '../../frameworkJobs';
import { makeTempDir, s3Client } from '../../../../harness/emulatorClients';
import { BUILTIN_GPT_IMAGE, ROLE_ARN } from '../../../../harness/requests';
import { FAST_TIMING, FIXTURES } from '../../runtimeTestHelpers';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const PYTORCH_IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.0.1-cpu-py310';
const boto3Missing = spawnSync(PYTHON, ['-c', 'import boto3'], { timeout: 60_000 }).status !== 0;

interface Call {
  service: string;
  operation: string;
  params: string[];
}

interface Outcome<Result> {
  calls: Call[];
  result: Result;
}

describe('the SageMaker Python SDK, call by call', { skip: boto3Missing && `${PYTHON} cannot import boto3: apt-get install python3-boto3 (.ci/setup does)` }, () => {
  let emulator: RunningEmulator;
  let dataDir: ReturnType<typeof makeTempDir>;
  let s3: S3Client;

  /** Runs one scenario of fixtures/sagemaker_sdk_calls.py; the calls it made and its result. */
  async function sdk<Result>(scenario: string, args: Record<string, unknown> = {}): Promise<Outcome<Result>> {
    const { stdout } = await run(PYTHON, [path.join(FIXTURES, 'sagemaker_sdk_calls.py'), emulator.url, scenario, JSON.stringify({ role: ROLE_ARN, ...args })], {
      env: { PATH: process.env.PATH, HOME: dataDir.path },
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout) as Outcome<Result>;
  }

  const operations = (calls: Call[]) => calls.map((call) => `${call.service}:${call.operation}`);
  const DEFAULT_BUCKET_EXISTS = ['sts:GetCallerIdentity', 's3:ListBuckets', 'sts:GetCallerIdentity', 's3:HeadBucket', 'sts:GetCallerIdentity', 's3:HeadBucket'];

  before(async () => {
    dataDir = makeTempDir('sdk');
    writeFileSync(path.join(dataDir.path, 'images.json'), JSON.stringify({ images: { [PYTORCH_IMAGE.split(':')[0]]: { command: [PYTHON] } } }));
    emulator = await startEmulator({ dataDir: dataDir.path, runtime: { timing: FAST_TIMING, maxConcurrentJobs: 2 } });
    s3 = s3Client(emulator.url);
  });

  after(async () => {
    s3.destroy();
    await emulator.close();
    dataDir.remove();
  });

  it('Session.default_bucket(): names the bucket after the account (STS), finds it missing, creates it; then finds it', async () => {
    const first = await sdk<{ bucket: string }>('default-bucket');
    assert.equal(first.result.bucket, BUCKET);
    assert.deepEqual(operations(first.calls), ['sts:GetCallerIdentity', 's3:ListBuckets', 'sts:GetCallerIdentity', 's3:HeadBucket', 's3:CreateBucket']);
    assert.deepEqual(first.calls[3].params, ['Bucket', 'ExpectedBucketOwner']);
    await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
    const again = await sdk<{ bucket: string }>('default-bucket');
    assert.deepEqual(operations(again.calls), DEFAULT_BUCKET_EXISTS);
  });

  it('Estimator.fit(logs=True): uploads the data, creates the job and prints its log until it ends', async () => {
    const corpus = path.join(dataDir.path, 'tales.txt');
    writeFileSync(corpus, 'the cat sat on the mat. the dog sat on the log. '.repeat(30));
    const fit = await sdk<{ status: string; error: string | null; log: string[]; model_data: string; billable: number }>('estimator-fit', {
      job_name: 'sdk-gpt',
      image: BUILTIN_GPT_IMAGE,
      data_file: corpus,
      hyperparameters: { vocab_size: 270, layers: 1, heads: 2, width: 16, context: 16, steps: 3, batch_size: 2, micro_batch_size: 1, threads: 1 },
    });
    assert.equal(fit.result.status, 'Completed', fit.result.error ?? undefined);
    assert.equal(fit.result.error, null);
    assert.equal(fit.result.model_data, `s3://${BUCKET}/sdk-gpt/output/model.tar.gz`);
    assert.ok(fit.result.log.some((line) => line.startsWith('step=3 ')), fit.result.log.join('\n'));
    assert.ok(fit.result.billable >= 1);
    const calls = operations(fit.calls);
    assert.deepEqual(calls.slice(0, 10), [...DEFAULT_BUCKET_EXISTS, 'sts:GetCallerIdentity', 's3:PutObject', 'sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob']);
    assert.deepEqual(fit.calls[8].params, [
      'AlgorithmSpecification', 'DebugHookConfig', 'DebugRuleConfigurations', 'HyperParameters', 'InputDataConfig', 'OutputDataConfig',
      'ProfilerConfig', 'ProfilerRuleConfigurations', 'ResourceConfig', 'RoleArn', 'StoppingCondition', 'TrainingJobName',
    ]);
    // Then the log tail: streams found, events read, the job described until it ends.
    assert.deepEqual([...new Set(calls.slice(10))].sort(), ['logs:DescribeLogStreams', 'logs:GetLogEvents', 'sagemaker:DescribeTrainingJob']);
  });

  it('PyTorch(entry_point, source_dir).fit(): sourcedir.tar.gz and JSON-encoded hyperparameters, on 2 hosts', async () => {
    for (const name of ['a.txt', 'b.txt']) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `sdk-data/${name}`, Body: name }));
    const fit = await sdk<{ status: string; error: string | null; log: string[]; hyperparameters: Record<string, string> }>('framework-fit', {
      job_name: 'sdk-pytorch',
      image: PYTORCH_IMAGE,
      source_dir: path.join(FIXTURES, 'pytorch-style'),
      training: `s3://${BUCKET}/sdk-data`,
      instance_count: 2,
      hyperparameters: { backend: 'gloo', epochs: 2, lr: 0.05 },
    });
    assert.equal(fit.result.status, 'Completed', fit.result.error ?? undefined);
    assert.deepEqual(fit.result.hyperparameters, {
      backend: '"gloo"',
      epochs: '2',
      lr: '0.05',
      sagemaker_submit_directory: `"s3://${BUCKET}/sdk-pytorch/source/sourcedir.tar.gz"`,
      sagemaker_program: '"train.py"',
      sagemaker_container_log_level: '20',
      sagemaker_job_name: '"sdk-pytorch"',
      sagemaker_region: '"us-east-1"',
    });
    assert.deepEqual(operations(fit.calls).slice(0, 9), [...DEFAULT_BUCKET_EXISTS, 'sts:GetCallerIdentity', 's3:PutObject', 'sagemaker:CreateTrainingJob']);
    assert.ok(fit.result.log.includes('/usr/bin/python3 train.py --backend gloo --epochs 2 --lr 0.05'), fit.result.log.join('\n'));
    assert.ok(fit.result.log.includes('algo-1 done') && fit.result.log.includes('algo-2 done'), fit.result.log.join('\n'));
  });

  it('estimator.deploy() and predictor.predict(): model, endpoint configuration, endpoint, InService, an answer', async () => {
    const deployed = await sdk<{ status: string; prediction: Array<{ generated_text: string }>; content_type: string }>('deploy-predict', {
      job_name: 'sdk-gpt',
      image: BUILTIN_GPT_IMAGE,
      endpoint_name: 'sdk-gpt-endpoint',
      payload: { inputs: 'the cat', parameters: { max_new_tokens: 4, seed: 1 } },
    });
    assert.equal(deployed.result.status, 'InService');
    assert.equal(typeof deployed.result.prediction[0].generated_text, 'string');
    assert.equal(deployed.result.content_type, 'application/json');
    const calls = operations(deployed.calls);
    assert.deepEqual(calls.slice(0, 4), ['sagemaker:DescribeTrainingJob', 'sagemaker:CreateModel', 'sagemaker:CreateEndpointConfig', 'sagemaker:CreateEndpoint']);
    assert.deepEqual(calls.slice(4, -1).filter((call) => call !== 'sagemaker:DescribeEndpoint'), []);
    assert.equal(calls.at(-1), 'sagemaker-runtime:InvokeEndpoint');
    assert.deepEqual(deployed.calls.at(-1)!.params, ['Accept', 'Body', 'ContentType', 'EndpointName']);
  });

  it('estimator.transformer().transform(…, wait=True, logs=True): the job runs over the input and its log is printed', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk-transform/in.jsonl', Body: '{"inputs": "the dog", "parameters": {"max_new_tokens": 2, "seed": 1}}\n{"inputs": "a cat", "parameters": {"max_new_tokens": 2, "seed": 2}}\n' }));
    const transformed = await sdk<{ status: string; error: string | null; log: string[] }>('transform', {
      job_name: 'sdk-gpt',
      image: BUILTIN_GPT_IMAGE,
      model_name: 'sdk-gpt-transform-model',
      transform_job_name: 'sdk-gpt-transform',
      data: `s3://${BUCKET}/sdk-transform/`,
      output_path: `s3://${BUCKET}/sdk-transform-out/`,
    });
    assert.equal(transformed.result.status, 'Completed', transformed.result.error ?? undefined);
    assert.ok(transformed.result.log.some((line) => line.startsWith('listening on http://127.0.0.1:')), transformed.result.log.join('\n'));
    assert.deepEqual(operations(transformed.calls).slice(0, 4), ['sagemaker:DescribeTrainingJob', 'sagemaker:CreateModel', 'sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob']);
    const output = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sdk-transform-out/in.jsonl.out' }));
    // No AssembleWith (the SDK sends none): the two records' answers back to back.
    const answers = await output.Body!.transformToString();
    assert.equal(answers.match(/"generated_text"/g)?.length, 2, answers);
  });

  it('model.register(): Search falls back to ListModelPackageGroups, the group is created, the version registered', async () => {
    const registered = await sdk<{ arn: string; status: string; version: number }>('register', {
      group: 'sdk-gpt-models',
      image: BUILTIN_GPT_IMAGE,
      model_data: `s3://${BUCKET}/sdk-gpt/output/model.tar.gz`,
    });
    assert.deepEqual(operations(registered.calls), [
      'sagemaker:Search',
      'sagemaker:ListModelPackageGroups',
      'sagemaker:CreateModelPackageGroup',
      'sagemaker:CreateModelPackage',
      'sagemaker:DescribeModelPackage',
    ]);
    assert.equal(registered.result.arn, 'arn:aws:sagemaker:us-east-1:000000000000:model-package/sdk-gpt-models/1');
    assert.equal(registered.result.status, 'PendingManualApproval');
    assert.equal(registered.result.version, 1);
  });
});
