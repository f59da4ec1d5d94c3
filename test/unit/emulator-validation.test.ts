// Unit tests of validate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../emulator/errors';
import { serviceModels } from '../../emulator/models';
import { validate } from '../../emulator/validation';

const sagemaker = serviceModels.sagemaker;

function messageOf(shape: string, input: object): string | undefined {
  try {
    validate(sagemaker, shape, input);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof AwsError);
    assert.equal(error.code, 'ValidationException');
    assert.equal(error.status, 400);
    return error.message;
  }
}

const VALID_JOB = {
  TrainingJobName: 'job',
  RoleArn: 'arn:aws:iam::123456789012:role/Role',
  OutputDataConfig: { S3OutputPath: 's3://bucket/out' },
};

describe('validate', () => {
  it('accepts a valid input', () => {
    assert.equal(messageOf('CreateTrainingJobRequest', VALID_JOB), undefined);
  });

  it('reports missing required members as null', () => {
    assert.equal(
      messageOf('CreateTrainingJobRequest', { TrainingJobName: 'job' }),
      "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'outputDataConfig' failed to satisfy constraint: Member must not be null",
    );
  });

  it('checks lengths, ranges, enums and patterns with nested camel-case paths', () => {
    const message = messageOf('CreateTrainingJobRequest', {
      ...VALID_JOB,
      RoleArn: 'arn:aws:iam::1:role/x',
      ResourceConfig: { InstanceCount: 1, KeepAlivePeriodInSeconds: 99999 },
      OutputDataConfig: { S3OutputPath: 's3://bucket/out', CompressionType: 'ZIP' },
    });
    assert.equal(
      message,
      '3 validation errors detected: ' +
        "Value 'arn:aws:iam::1:role/x' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+; " +
        "Value 'ZIP' at 'outputDataConfig.compressionType' failed to satisfy constraint: Member must satisfy enum value set: [GZIP, NONE]; " +
        "Value '99999' at 'resourceConfig.keepAlivePeriodInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600",
    );
  });

  it('numbers list elements from 1 and reports scalar lists and maps as a whole', () => {
    const message = messageOf('CreateTrainingJobRequest', {
      ...VALID_JOB,
      InputDataConfig: [{ ChannelName: 'train', DataSource: {} }, { ChannelName: 'bad name!', DataSource: {} }],
      VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet_1'] },
      Environment: { '1BAD': 'value' },
    });
    assert.equal(
      message,
      '3 validation errors detected: ' +
        "Value 'bad name!' at 'inputDataConfig.2.member.channelName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9\\.\\-_]+; " +
        "Value '[subnet_1]' at 'vpcConfig.subnets' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy regular expression pattern: ^[-0-9a-zA-Z]+]; " +
        "Value '[1BAD]' at 'environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ^[a-zA-Z_][a-zA-Z0-9_]*]",
    );
  });

  it('checks list sizes', () => {
    assert.match(
      messageOf('CreateTrainingJobRequest', { ...VALID_JOB, InputDataConfig: [] }) ?? '',
      /Value '\[\]' at 'inputDataConfig' failed to satisfy constraint: Member must have length greater than or equal to 1$/,
    );
  });

  it('uses patterns converted from Java (POSIX classes, \\A/\\z)', () => {
    const arn = (value: string) =>
      messageOf('CreateTrainingJobRequest', {
        ...VALID_JOB,
        AlgorithmSpecification: {
          TrainingInputMode: 'File',
          TrainingImageConfig: { TrainingRepositoryAccessMode: 'Vpc', TrainingRepositoryAuthConfig: { TrainingRepositoryCredentialsProviderArn: value } },
        },
      });
    assert.equal(arn('arn:aws:lambda:us-east-1:123456789012:function:creds'), undefined);
    assert.match(arn('arn:aws:lambda:us_east:123456789012:function:creds') ?? '', /\\p\{Alnum\}/);
    const runtime = serviceModels['sagemaker-runtime'];
    assert.doesNotThrow(() => validate(runtime, 'InvokeEndpointInput', { EndpointName: 'e', Body: new Uint8Array(1), InferenceId: 'id-1' }));
    assert.throws(() => validate(runtime, 'InvokeEndpointInput', { EndpointName: 'e', Body: new Uint8Array(1), InferenceId: ' leading space' }), /inferenceId/);
  });
});
