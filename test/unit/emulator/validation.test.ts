// Unit tests of validate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../../emulator/errors';
import { serviceModels } from '../../../emulator/models';
import { validate } from '../../../emulator/validation';

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

  it('reports a required member sent as JSON null as missing', () => {
    assert.match(messageOf('CreateTrainingJobRequest', { ...VALID_JOB, RoleArn: null }) ?? '', /^1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null$/);
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

  describe('every limit at its edge: max accepted, max + 1 refused', () => {
    const single = (input: object) => messageOf('CreateTrainingJobRequest', { ...VALID_JOB, ...input });

    it('a name of 63 characters, not 64, and not an empty one', () => {
      assert.equal(single({ TrainingJobName: 'a'.repeat(63) }), undefined);
      assert.match(single({ TrainingJobName: 'a'.repeat(64) }) ?? '', new RegExp(`Value '${'a'.repeat(64)}' at 'trainingJobName' failed to satisfy constraint: Member must have length less than or equal to 63`));
      assert.match(single({ TrainingJobName: '' }) ?? '', /^2 validation errors detected: Value '' at 'trainingJobName' failed to satisfy constraint: Member must have length greater than or equal to 1/);
    });

    it('a number from its minimum to its maximum, not one past either', () => {
      for (const seconds of [0, 21600]) assert.equal(single({ ResourceConfig: { InstanceCount: 1, KeepAlivePeriodInSeconds: seconds } }), undefined, String(seconds));
      assert.equal(
        single({ ResourceConfig: { InstanceCount: 1, KeepAlivePeriodInSeconds: 21601 } }),
        "1 validation error detected: Value '21601' at 'resourceConfig.keepAlivePeriodInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600",
      );
      assert.equal(
        single({ ResourceConfig: { InstanceCount: 1, KeepAlivePeriodInSeconds: -1 } }),
        "1 validation error detected: Value '-1' at 'resourceConfig.keepAlivePeriodInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 0",
      );
    });

    it('a list of 50 tags, not 51, each tag printed as the Java services print it', () => {
      const tags = (count: number) => Array.from({ length: count }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
      assert.equal(single({ Tags: tags(50) }), undefined);
      const message = single({ Tags: tags(51) }) ?? '';
      assert.match(message, /^1 validation error detected: Value '\[\{Key=k0, Value=v\}, \{Key=k1, Value=v\}, /);
      assert.match(message, /' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/);
    });

    it('a map of 100 hyperparameters, not 101, its value cut after 256 characters', () => {
      const entries = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`h${index}`, '1']));
      assert.equal(single({ HyperParameters: entries(100) }), undefined);
      const message = single({ HyperParameters: entries(101) }) ?? '';
      const shown = /^1 validation error detected: Value '(.*)…' at 'hyperParameters' failed to satisfy constraint: Member must have length less than or equal to 100$/.exec(message);
      assert.ok(shown, message);
      assert.equal(shown[1].length, 256, 'the value is cut at 256 characters');
      assert.ok(shown[1].startsWith('{h0=1, h1=1, h2=1, '), shown[1]);
    });

    it('a request body of 6 MB, not a byte more (a blob)', () => {
      const runtime = serviceModels['sagemaker-runtime'];
      const max = 6 * 1024 * 1024;
      assert.doesNotThrow(() => validate(runtime, 'InvokeEndpointInput', { EndpointName: 'e', Body: new Uint8Array(max) }));
      assert.throws(() => validate(runtime, 'InvokeEndpointInput', { EndpointName: 'e', Body: new Uint8Array(max + 1) }), /at 'body' failed to satisfy constraint: Member must have length less than or equal to 6291456/);
    });
  });
});
