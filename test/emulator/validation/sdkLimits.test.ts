// The limits users meet most, at max and max+1 (and min-1 where the model declares only a lower
// bound), sent as users send them: through the real AWS SDK v3 clients. Each limit is read from the
// API model, not written here, so the test follows the model as validation does. At the edge the
// request is taken and what was sent is read back whole; one past it is refused with the service's
// validation error naming the member and the limit in AWS's words (modelLimits.test.ts covers every
// limit of every operation on the wire; this file is the user's view of the ones that matter most).
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  DescribeEndpointConfigCommand,
  DescribeTrainingJobCommand,
  ListModelsCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  type Channel,
  type ProductionVariant,
  type Tag,
} from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serviceModels, type ServiceModel, type Shape } from '../../../emulator/models';
import { rejection, startTestEmulator, type TestEmulator } from '../helpers';
import { trainingJobRequest, endpointConfigRequest, modelRequest, variant } from '../../../harness/requests';
import { clientConfig } from '../../../harness/emulatorClients';
import { violationsOf } from './modelRequests';

const sagemaker = serviceModels.sagemaker;

/** The shape at `path` in the operation's input (`[]` steps into a list's element, `{}` into a map's value). */
function shapeAt(model: ServiceModel, operation: string, ...path: string[]): Shape {
  let shape = model.shapes[model.operations[operation].input!];
  for (const step of path) {
    const next = step === '[]' && shape.type === 'list' ? shape.member.shape : step === '{}' && shape.type === 'map' ? shape.value.shape : shape.type === 'structure' ? shape.members[step]?.shape : undefined;
    if (!next) throw new Error(`${operation} has no ${path.join('.')}`);
    shape = model.shapes[next];
  }
  return shape;
}

/** The shape's upper bound, which the model must declare for the test to mean anything. */
function maxOf(shape: Shape): number {
  assert.ok(shape.max !== undefined, `the model declares a maximum (${JSON.stringify(shape)})`);
  return shape.max;
}

function minOf(shape: Shape): number {
  assert.ok(shape.min !== undefined, `the model declares a minimum (${JSON.stringify(shape)})`);
  return shape.min;
}

/** Fails unless `error` is the service's validation error naming `path` with `constraint` (exactly, or matching). */
function assertRefused(error: Error & { $metadata: { httpStatusCode?: number } }, code: string, path: string, constraint: string | RegExp): void {
  assert.equal(error.name, code, error.message);
  assert.equal(error.$metadata.httpStatusCode, 400);
  const violations = violationsOf(error.message);
  assert.ok(
    violations.some((violation) => violation.path === path && (typeof constraint === 'string' ? violation.constraint === constraint : constraint.test(violation.constraint))),
    `expected "${constraint}" at '${path}', got: ${error.message}`,
  );
}

const refusedBySageMaker = (error: Error & { $metadata: { httpStatusCode?: number } }, path: string, constraint: string | RegExp) =>
  assertRefused(error, 'ValidationException', path, constraint);

function channels(count: number): Channel[] {
  return Array.from({ length: count }, (_, index) => ({
    ChannelName: `channel-${index}`,
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://training/data/${index}/` } },
  }));
}

function tags(count: number): Tag[] {
  return Array.from({ length: count }, (_, index) => ({ Key: `key-${index}`, Value: `value-${index}` }));
}

describe('the limits users meet most, at their edges, through the SDK', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  it('a training job name at its maximum length is taken; one character more is refused', async () => {
    const max = maxOf(shapeAt(sagemaker, 'CreateTrainingJob', 'TrainingJobName'));
    const longest = `a${'-b'.repeat((max - 1) / 2)}`.padEnd(max, 'c');
    assert.equal(longest.length, max);
    await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest(longest)));
    assert.equal((await emulator.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: longest }))).TrainingJobName, longest);

    const tooLong = `${longest}d`;
    const error = await rejection(emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest(tooLong))));
    refusedBySageMaker(error, 'trainingJobName', `Member must have length less than or equal to ${max}`);
  });

  it('the most hyperparameters a job may have are taken and read back; one more is refused', async () => {
    const max = maxOf(shapeAt(sagemaker, 'CreateTrainingJob', 'HyperParameters'));
    const hyperParameters = Object.fromEntries(Array.from({ length: max }, (_, index) => [`hp_${index}`, String(index)]));
    await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('most-hyperparameters', { HyperParameters: hyperParameters })));
    const described = await emulator.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'most-hyperparameters' }));
    assert.deepEqual(described.HyperParameters, hyperParameters);

    const error = await rejection(
      emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('too-many-hyperparameters', { HyperParameters: { ...hyperParameters, one_more: 'x' } }))),
    );
    refusedBySageMaker(error, 'hyperParameters', `Member must have length less than or equal to ${max}`);
  });

  it('a hyperparameter value of the longest length is read back whole; one character more is refused', async () => {
    const max = maxOf(shapeAt(sagemaker, 'CreateTrainingJob', 'HyperParameters', '{}'));
    // A JSON value, as the SageMaker Python SDK writes a structured hyperparameter.
    const value = JSON.stringify({ prompt: 'x'.repeat(max - JSON.stringify({ prompt: '' }).length) });
    assert.equal(value.length, max);
    await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('longest-value', { HyperParameters: { config: value } })));
    const described = await emulator.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'longest-value' }));
    assert.equal(described.HyperParameters?.config, value);

    const error = await rejection(
      emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('too-long-value', { HyperParameters: { config: `${value} ` } }))),
    );
    // A map's values are named by the map, the broken limit inside the value's constraint set.
    refusedBySageMaker(error, 'hyperParameters', new RegExp(`^Map value must satisfy constraint: \\[.*Member must have length less than or equal to ${max}\\b`));
  });

  it('the most input channels are taken and read back in order; one more is refused', async () => {
    const max = maxOf(shapeAt(sagemaker, 'CreateTrainingJob', 'InputDataConfig'));
    await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('most-channels', { InputDataConfig: channels(max) })));
    const described = await emulator.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'most-channels' }));
    assert.deepEqual(described.InputDataConfig?.map((channel) => channel.ChannelName), channels(max).map((channel) => channel.ChannelName));

    const error = await rejection(emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('too-many-channels', { InputDataConfig: channels(max + 1) }))));
    refusedBySageMaker(error, 'inputDataConfig', `Member must have length less than or equal to ${max}`);
  });

  it('the most tags are taken and listed; one more is refused', async () => {
    const max = maxOf(shapeAt(sagemaker, 'CreateTrainingJob', 'Tags'));
    await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('most-tags', { Tags: tags(max) })));
    const { TrainingJobArn } = await emulator.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'most-tags' }));
    const listed = await emulator.sagemaker.send(new ListTagsCommand({ ResourceArn: TrainingJobArn, MaxResults: 100 }));
    assert.deepEqual(listed.Tags, tags(max));

    const error = await rejection(emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('too-many-tags', { Tags: tags(max + 1) }))));
    refusedBySageMaker(error, 'tags', `Member must have length less than or equal to ${max}`);
  });

  it('instance counts below their minimum are refused; the minimum is taken', async () => {
    const trainingMin = minOf(shapeAt(sagemaker, 'CreateTrainingJob', 'ResourceConfig', 'InstanceCount'));
    const resources = (count: number) => ({ ResourceConfig: { InstanceType: 'ml.m5.large' as const, InstanceCount: count, VolumeSizeInGB: 10 } });
    const training = await rejection(emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('negative-count', resources(trainingMin - 1)))));
    refusedBySageMaker(training, 'resourceConfig.instanceCount', `Member must have value greater than or equal to ${trainingMin}`);

    const variantMin = minOf(shapeAt(sagemaker, 'CreateEndpointConfig', 'ProductionVariants', '[]', 'InitialInstanceCount'));
    await emulator.sagemaker.send(new CreateModelCommand(modelRequest('counted')));
    await emulator.sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('fewest-instances', [variant('blue', 'counted', { InitialInstanceCount: variantMin })])));
    const described = await emulator.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'fewest-instances' }));
    assert.equal(described.ProductionVariants?.[0].InitialInstanceCount, variantMin);
    const hosting = await rejection(
      emulator.sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('no-instances', [variant('blue', 'counted', { InitialInstanceCount: variantMin - 1 })]))),
    );
    refusedBySageMaker(hosting, 'productionVariants.1.member.initialInstanceCount', `Member must have value greater than or equal to ${variantMin}`);
  });

  it('the most production variants are taken and read back; one more is refused', async () => {
    const max = maxOf(shapeAt(sagemaker, 'CreateEndpointConfig', 'ProductionVariants'));
    await emulator.sagemaker.send(new CreateModelCommand(modelRequest('variants')));
    const variants = (count: number): ProductionVariant[] => Array.from({ length: count }, (_, index) => variant(`variant-${index}`, 'variants'));
    await emulator.sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('most-variants', variants(max))));
    const described = await emulator.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'most-variants' }));
    assert.deepEqual(described.ProductionVariants?.map((production) => production.VariantName), variants(max).map((production) => production.VariantName));

    const error = await rejection(emulator.sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('too-many-variants', variants(max + 1)))));
    refusedBySageMaker(error, 'productionVariants', `Member must have length less than or equal to ${max}`);
  });

  it('listings take MaxResults at its maximum (and return that many); one more, or one less than the minimum, is refused', async () => {
    const max = maxOf(shapeAt(sagemaker, 'ListTrainingJobs', 'MaxResults'));
    const min = minOf(shapeAt(sagemaker, 'ListTrainingJobs', 'MaxResults'));
    // More jobs than one page holds, so a page of `max` is full.
    for (let index = 0; index <= max; index++) await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest(`page-${index}`)));
    const full = await emulator.sagemaker.send(new ListTrainingJobsCommand({ MaxResults: max, NameContains: 'page-' }));
    assert.equal(full.TrainingJobSummaries?.length, max);
    assert.ok(full.NextToken, 'the one job past the page is on the next');
    refusedBySageMaker(await rejection(emulator.sagemaker.send(new ListTrainingJobsCommand({ MaxResults: max + 1 }))), 'maxResults', `Member must have value less than or equal to ${max}`);
    refusedBySageMaker(await rejection(emulator.sagemaker.send(new ListTrainingJobsCommand({ MaxResults: min - 1 }))), 'maxResults', `Member must have value greater than or equal to ${min}`);

    const modelsMax = maxOf(shapeAt(sagemaker, 'ListModels', 'MaxResults'));
    await emulator.sagemaker.send(new ListModelsCommand({ MaxResults: modelsMax }));
    refusedBySageMaker(await rejection(emulator.sagemaker.send(new ListModelsCommand({ MaxResults: modelsMax + 1 }))), 'maxResults', `Member must have value less than or equal to ${modelsMax}`);
  });

  it('CloudWatch Logs takes a DescribeLogGroups limit at its maximum; one more is refused with its own error code', async () => {
    const logsModel = serviceModels.logs;
    const max = maxOf(shapeAt(logsModel, 'DescribeLogGroups', 'limit'));
    const logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    try {
      await logs.send(new DescribeLogGroupsCommand({ limit: max }));
      const error = await rejection(logs.send(new DescribeLogGroupsCommand({ limit: max + 1 })));
      assertRefused(error, logsModel.validationErrorCode ?? 'ValidationException', 'limit', `Member must have value less than or equal to ${max}`);
    } finally {
      logs.destroy();
    }
  });
});
