// What the processes the emulator runs see of the machine: an emulator started with AWS secrets in
// its environment (as a developer's shell has them) runs a training job and an endpoint, and neither
// gets any of them — the job prints its whole environment into CloudWatch Logs and the endpoint
// answers with its own — while a script's plain boto3 client, with nothing configured by the test,
// reaches the emulator (listing a bucket made here) with credentials the emulator issued.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, CreateTrainingJobCommand, SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { type RunningEmulator, startEmulator } from '../../../../emulator/server';
import { makeTempDir } from '../../../../harness/emulatorClients';
import { FAST_TIMING, finishedTrainingJob, jobLogLines } from '../../runtimeTestHelpers';

const BUCKET = 'env-check-bucket';
/** What the emulator's own environment holds: none of it may reach a job. */
const HOST_SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAHOSTKEYABCDEFGHI',
  AWS_SECRET_ACCESS_KEY: 'host-secret-access-key-value-1234567890',
  AWS_SESSION_TOKEN: 'host-session-token-value-IQoJb3JpZ2luX2VjE',
  AWS_PROFILE: 'host-profile-name',
  AWS_SHARED_CREDENTIALS_FILE: '/home/someone/.aws/host-credentials-file',
  GITHUB_TOKEN: 'ghp_hostGitHubTokenValue0123456789',
};
/** The key pair the emulator verifies signatures with: it must not reach jobs either (it may be a real one). */
const CONFIGURED = { accessKeyId: 'AKIACONFIGUREDKEY123', secretAccessKey: 'configured-secret-the-jobs-never-see' };

/** A training script as a user writes it: boto3 with no endpoint, region or credentials of its own. */
const SCRIPT = `
import json, os, boto3
print('ENVIRONMENT ' + json.dumps(dict(os.environ), sort_keys=True), flush=True)
s3 = boto3.client('s3')
print('LISTED ' + ','.join(item['Key'] for item in s3.list_objects_v2(Bucket='${BUCKET}').get('Contents', [])), flush=True)
sagemaker = boto3.client('sagemaker')
print('STATUS ' + sagemaker.describe_training_job(TrainingJobName=os.environ['TRAINING_JOB_NAME'])['TrainingJobStatus'], flush=True)
`;

/** An inference container whose /invocations answers with its environment. */
const ENV_SERVER = `
const http = require('node:http');
http.createServer((request, response) => {
  if (request.url === '/ping') return response.writeHead(200).end();
  request.resume();
  request.on('end', () => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(process.env)));
}).listen(Number(process.env.SAGEMAKER_BIND_TO_PORT), '127.0.0.1');
`;

function assertNoHostSecrets(text: string, where: string): void {
  for (const [name, value] of Object.entries({ ...HOST_SECRETS, CONFIGURED_KEY: CONFIGURED.accessKeyId, CONFIGURED_SECRET: CONFIGURED.secretAccessKey })) {
    assert.ok(!text.includes(value), `${where} holds the host's ${name}`);
  }
}

describe('the environment of jobs and endpoints', () => {
  const scratch = makeTempDir('job-environment');
  const saved: Record<string, string | undefined> = {};
  let emulator: RunningEmulator;
  let s3: S3Client;
  let sagemaker: SageMakerClient;
  let logs: CloudWatchLogsClient;
  let runtime: SageMakerRuntimeClient;

  before(async () => {
    for (const name of [...Object.keys(HOST_SECRETS), 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_DEFAULT_REGION']) saved[name] = process.env[name];
    Object.assign(process.env, HOST_SECRETS);
    // Nothing in the test points a script at the emulator: the emulator has to.
    for (const name of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete process.env[name];
    emulator = await startEmulator({
      dataDir: path.join(scratch.path, 'data'),
      verifySignatures: [CONFIGURED],
      runtime: { maxConcurrentJobs: 1, timing: FAST_TIMING, endpointTiming: { healthCheckTimeoutMs: 20_000 } },
    });
    const config = { endpoint: emulator.url, region: 'us-east-1', credentials: CONFIGURED, maxAttempts: 1 };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sagemaker = new SageMakerClient(config);
    logs = new CloudWatchLogsClient(config);
    runtime = new SageMakerRuntimeClient(config);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'made-by-the-test.txt', Body: 'hello' }));
  });

  after(async () => {
    for (const client of [s3, sagemaker, logs, runtime]) client?.destroy();
    await emulator?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    scratch.remove();
  });

  it("gives a training job none of the host's secrets, and a boto3 that reaches the emulator", async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'code/script.py', Body: SCRIPT }));
    await sagemaker.send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'env-check',
        RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        // The script comes as a channel; an entry point argument is one line of at most 256 characters.
        AlgorithmSpecification: {
          TrainingImage: 'sagemaker-emulator/python:3',
          TrainingInputMode: 'File',
          ContainerEntrypoint: ['python3', '-c', "import os; exec(open(os.path.join(os.environ['SM_CHANNEL_CODE'], 'script.py')).read())"],
        },
        InputDataConfig: [{ ChannelName: 'code', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/code/` } } }],
        // The job's own Environment reaches it; its AWS credentials do not override the emulator's.
        Environment: { MY_SETTING: 'from-the-job', AWS_ACCESS_KEY_ID: 'AKIAJOBENVIRONMENTKY' },
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 300 },
      }),
    );
    const job = await finishedTrainingJob(sagemaker, 'env-check');
    const lines = await jobLogLines(logs, '/aws/sagemaker/TrainingJobs', 'env-check');
    const log = lines.join('\n');
    assert.equal(job.TrainingJobStatus, 'Completed', `${job.FailureReason}\n${log}`);
    assertNoHostSecrets(log, 'the job log');

    const environment = JSON.parse(lines.find((line) => line.startsWith('ENVIRONMENT '))!.slice('ENVIRONMENT '.length)) as Record<string, string>;
    assert.equal(environment.AWS_ENDPOINT_URL, emulator.url);
    assert.equal(environment.AWS_REGION, 'us-east-1');
    assert.equal(environment.AWS_ACCESS_KEY_ID, '000000000000', "credentials the emulator issued for the job's account");
    assert.equal(environment.MY_SETTING, 'from-the-job');
    assert.equal(environment.SM_CURRENT_HOST, 'algo-1', 'the contract is there');
    // The host's PATH (a pyenv shim may put its own folders first).
    assert.ok(environment.PATH.endsWith(process.env.PATH ?? '-'), environment.PATH);
    assert.equal(environment.HOME, process.env.HOME);
    for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'GITHUB_TOKEN']) assert.equal(environment[name], undefined, name);
    assert.notEqual(environment.AWS_SHARED_CREDENTIALS_FILE, HOST_SECRETS.AWS_SHARED_CREDENTIALS_FILE);
    assert.ok(lines.includes('LISTED code/script.py,made-by-the-test.txt'), log);
    assert.ok(lines.includes('STATUS InProgress'), log);
  });

  it("gives an endpoint's containers none of the host's secrets either", async () => {
    const root = path.join(scratch.path, 'model');
    mkdirSync(path.join(root, 'code'), { recursive: true });
    writeFileSync(path.join(root, 'code', 'serve.js'), ENV_SERVER);
    const archive = path.join(scratch.path, 'model.tar.gz');
    tar.create({ gzip: true, file: archive, cwd: root, sync: true, portable: true }, ['.']);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'model.tar.gz', Body: readFileSync(archive) }));
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: 'env-model',
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        PrimaryContainer: { Image: 'sagemaker-emulator/node', ModelDataUrl: `s3://${BUCKET}/model.tar.gz`, Environment: { SAGEMAKER_PROGRAM: 'serve.js' } },
      }),
    );
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'env-config',
        ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'env-model', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }],
      }),
    );
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'env-endpoint', EndpointConfigName: 'env-config' }));
    await waitUntilEndpointInService({ client: sagemaker, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { EndpointName: 'env-endpoint' });
    const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: 'env-endpoint', ContentType: 'application/json', Body: '{}' }));
    const text = Buffer.from(answer.Body!).toString('utf8');
    assertNoHostSecrets(text, "the container's environment");
    const environment = JSON.parse(text) as Record<string, string>;
    assert.equal(environment.AWS_ENDPOINT_URL, emulator.url);
    assert.equal(environment.SAGEMAKER_PROGRAM, 'serve.js');
    assert.ok(environment.SAGEMAKER_BIND_TO_PORT);
  });
});
