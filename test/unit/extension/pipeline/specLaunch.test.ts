// Launching a spec file (src/pipeline/specs/launch.ts) against an in-process emulator through the
// real SDK: the request a spec is (less `$schema`), its job's name, Create*Job of each kind, a taken
// name recognised, and the checks Validate runs that need the service — an input with no data, a
// bucket that does not exist, a name already used — each at the path of the spec it is about.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJob, isNameTaken, jobExists, jobNameHolder, jobNameOf, requestOf, serviceProblems } from '../../../../src/pipeline/specs/launch';
import { formatOf } from '../../../../src/pipeline/specs/specDocument';
import { startTestEmulator, type TestEmulator } from '../../../emulator/helpers';
import { trainingJobRequest } from '../../../../harness/requests';

const ROLE = 'arn:aws:iam::000000000000:role/SageMakerRole';

function processingRequest(name: string, inputUri: string, outputUri: string): Record<string, unknown> {
  return {
    ProcessingJobName: name,
    RoleArn: ROLE,
    AppSpecification: { ImageUri: 'sagemaker-emulator/node:20' },
    ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
    ProcessingInputs: [{ InputName: 'data', S3Input: { S3Uri: inputUri, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix', S3InputMode: 'File' } }],
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'out', S3Output: { S3Uri: outputUri, LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
  };
}

describe('launching specs against the emulator', () => {
  let emulator: TestEmulator;
  const clients = () => ({ s3: emulator.s3, sageMaker: emulator.sagemaker });

  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'specs' }));
    await emulator.s3.send(new PutObjectCommand({ Bucket: 'specs', Key: 'data/train.jsonl', Body: '{}' }));
  });
  after(() => emulator.close());

  it('creates a training and a processing job from a spec under the name given, returning its ARN', async () => {
    const training = requestOf({ $schema: './training-job.schema.json', ...trainingJobRequest('spec-named-this') });
    assert.equal('$schema' in training, false, 'the editor schema is not sent');
    const arn = await createJob(emulator.sagemaker, 'training', training, 'launched-training');
    assert.match(arn ?? '', /:training-job\/launched-training$/);
    assert.equal(await jobExists(emulator.sagemaker, 'training', 'launched-training'), true);
    assert.equal(await jobExists(emulator.sagemaker, 'training', 'spec-named-this'), false, 'the name given wins over the spec’s');

    const processing = processingRequest('unused', 's3://specs/data/', 's3://specs/out/');
    assert.match((await createJob(emulator.sagemaker, 'processing', processing, 'launched-processing')) ?? '', /:processing-job\/launched-processing$/);
    assert.deepEqual(await jobNameHolder(emulator.sagemaker, 'processing', 'launched-processing'), { kind: 'processingJob', name: 'launched-processing' });
    assert.equal(await jobNameHolder(emulator.sagemaker, 'processing', 'launched-training'), undefined, 'names are per kind');
    assert.deepEqual(await jobNameHolder(emulator.sagemaker, 'training', 'launched-training'), { kind: 'trainingJob', name: 'launched-training' });

    const taken = await createJob(emulator.sagemaker, 'training', training, 'launched-training').then(
      () => assert.fail('created a job under a taken name'),
      (error: unknown) => error,
    );
    assert.equal(isNameTaken(taken), true, (taken as Error).message);
  });

  it('finds no problem in a spec whose inputs hold data, whose buckets exist and whose name is free', async () => {
    const spec = trainingJobRequest('free-name', {
      InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://specs/data/' } } }],
      OutputDataConfig: { S3OutputPath: 's3://specs/output' },
      CheckpointConfig: { S3Uri: 's3://specs/checkpoints/' },
    });
    assert.deepEqual(await serviceProblems(clients(), 'training', spec as unknown as Record<string, unknown>), []);
  });

  it('says which input has no data, which bucket does not exist, and that the name is taken, each at its path', async () => {
    const spec = trainingJobRequest('launched-training', {
      InputDataConfig: [
        { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://specs/data/' } } },
        { ChannelName: 'valid', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://specs/empty/' } } },
      ],
      OutputDataConfig: { S3OutputPath: 's3://no-such-bucket/output' },
      CheckpointConfig: { S3Uri: 's3://no-such-bucket/checkpoints/' },
    });
    const problems = await serviceProblems(clients(), 'training', spec as unknown as Record<string, unknown>);
    assert.deepEqual(
      problems.map((problem) => [problem.path.join('.'), problem.severity]),
      [
        ['InputDataConfig.1.DataSource.S3DataSource.S3Uri', 'error'],
        ['OutputDataConfig.S3OutputPath', 'error'],
        ['CheckpointConfig.S3Uri', 'error'],
        ['TrainingJobName', 'warning'],
      ],
    );
    assert.equal(problems[0].message, 'No objects under s3://specs/empty/: the job would have no data here.');
    assert.equal(problems[1].message, 'The bucket no-such-bucket does not exist (or is not yours) in this account.');
    assert.match(problems[3].message, /^A training job named launched-training already exists \(names are used once per account and region\): Launch will propose a free name\.$/);

    const processing = processingRequest('launched-processing', 's3://specs/nothing-here/', 's3://missing-out/out/');
    assert.deepEqual(
      (await serviceProblems(clients(), 'processing', processing)).map((problem) => [problem.path.join('.'), problem.severity]),
      [
        ['ProcessingInputs.0.S3Input.S3Uri', 'error'],
        ['ProcessingOutputConfig.Outputs.0.S3Output.S3Uri', 'error'],
        ['ProcessingJobName', 'warning'],
      ],
    );
  });
});

describe('spec requests without a service', () => {
  it("reads the job's name from the member of its kind, and nothing else", () => {
    assert.equal(jobNameOf('training', { TrainingJobName: 'a', ProcessingJobName: 'b' }), 'a');
    assert.equal(jobNameOf('processing', { TrainingJobName: 'a', ProcessingJobName: 'b' }), 'b');
    assert.equal(jobNameOf('training', { TrainingJobName: 42 }), undefined);
    assert.equal(jobNameOf('training', {}), undefined);
  });

  it("recognises SageMaker's ways of saying a name is taken, and only those", () => {
    assert.equal(isNameTaken({ name: 'ResourceInUse', message: 'Training job names must be unique within an AWS account and region' }), true);
    assert.equal(isNameTaken({ name: 'ValidationException', message: 'Job name already exists' }), true);
    assert.equal(isNameTaken({ name: 'ValidationException', message: 'The name MUST BE UNIQUE' }), true);
    assert.equal(isNameTaken({ name: 'ValidationException', message: '1 validation error detected' }), false);
    assert.equal(isNameTaken({ name: 'ThrottlingException', message: 'already exists' }), false);
    assert.equal(isNameTaken(undefined), false);
  });

  it('reads .yaml and .yml files as YAML, whatever their case, and everything else as JSON', () => {
    assert.deepEqual(['a.yaml', 'b.YML', 'train.training.yml'].map(formatOf), ['yaml', 'yaml', 'yaml']);
    assert.deepEqual(['a.json', 'a.yaml.json', 'yaml', 'a.yamlx'].map(formatOf), ['json', 'json', 'json', 'json']);
  });
});
