// The Endpoints view's calls (src/pipeline/endpoints.ts) against an in-process emulator through the
// real SDK (endpoints are not run: their state is what is read): newest first a page at a time, one
// described by name, its variants from the endpoint and its configuration, delete (refused while it is
// changing); which statuses are
// still changing and which may be deleted.
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DeleteEndpointConfigCommand, EndpointStatus } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resourceOf } from '../../../../src/failures/resources';
import { deleteEndpoint, describeEndpoint, isDeletable, isInProgress, listEndpoints, listVariants } from '../../../../src/pipeline/endpoints';
import { clockPast, startTestEmulator, type TestEmulator } from '../../../emulator/helpers';

const ROLE = 'arn:aws:iam::000000000000:role/SageMakerRole';

describe('endpoints against the emulator', () => {
  let emulator: TestEmulator;

  before(async () => {
    emulator = await startTestEmulator();
    const { sagemaker } = emulator;
    for (const model of ['model-a', 'model-b']) {
      await sagemaker.send(new CreateModelCommand({ ModelName: model, ExecutionRoleArn: ROLE, PrimaryContainer: { Image: 'sagemaker-emulator/builtin-gpt:latest' } }));
    }
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'two-variants',
        ProductionVariants: [
          { VariantName: 'blue', ModelName: 'model-a', InstanceType: 'ml.m5.large', InitialInstanceCount: 2, InitialVariantWeight: 3 },
          { VariantName: 'green', ModelName: 'model-b', ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 1 } },
        ],
      }),
    );
    for (const name of ['first', 'second', 'third']) {
      await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: 'two-variants' }));
      await clockPast(`${name}'s CreationTime`, (await describeEndpoint(sagemaker, name)).createdAt);
    }
  });
  after(() => emulator.close());

  it('lists endpoints newest first, a page at a time, until a page without a token', async () => {
    const first = await listEndpoints(emulator.sagemaker, { pageSize: 2 });
    assert.deepEqual(first.endpoints.map((endpoint) => endpoint.name), ['third', 'second']);
    assert.match(first.endpoints[0].arn, /^arn:aws:sagemaker:us-east-1:\d{12}:endpoint\/third$/);
    assert.ok(first.nextToken);
    const second = await listEndpoints(emulator.sagemaker, { pageSize: 2, nextToken: first.nextToken });
    assert.deepEqual(second.endpoints.map((endpoint) => endpoint.name), ['first']);
    assert.equal(second.nextToken, undefined);
    const status = first.endpoints[0].status;
    assert.deepEqual((await listEndpoints(emulator.sagemaker, { status })).endpoints.map((endpoint) => endpoint.name), ['third', 'second', 'first'], `filtered by ${status}`);
  });

  it("describes an endpoint by name, and names it when it is not there", async () => {
    const endpoint = await describeEndpoint(emulator.sagemaker, 'second');
    assert.equal(endpoint.name, 'second');
    assert.match(endpoint.arn, /endpoint\/second$/);
    assert.ok(endpoint.createdAt instanceof Date);
    const error = await describeEndpoint(emulator.sagemaker, 'missing').then(
      () => assert.fail('described a missing endpoint'),
      (failure: unknown) => failure,
    );
    assert.deepEqual(resourceOf(error), { kind: 'endpoint', name: 'missing' });
  });

  it("lists an endpoint's variants with the model, instance type, counts and weights its configuration gives them", async () => {
    const variants = await listVariants(emulator.sagemaker, 'first');
    const byName = new Map(variants.map((variant) => [variant.name, variant]));
    assert.deepEqual([...byName.keys()].sort(), ['blue', 'green']);
    const blue = byName.get('blue')!;
    assert.deepEqual([blue.modelName, blue.instanceType, blue.desiredInstanceCount, blue.desiredWeight], ['model-a', 'ml.m5.large', 2, 3]);
    const green = byName.get('green')!;
    assert.deepEqual([green.modelName, green.instanceType], ['model-b', 'serverless']);
    for (const variant of variants) assert.ok(Array.isArray(variant.statusMessages));
  });

  it('still lists the variants the endpoint has once its configuration is deleted, without their model', async () => {
    await emulator.sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'two-variants' }));
    const variants = await listVariants(emulator.sagemaker, 'first');
    for (const variant of variants) assert.equal(variant.modelName, undefined, variant.name);
    const error = await listVariants(emulator.sagemaker, 'missing').then(
      () => assert.fail('listed a missing endpoint'),
      (failure: unknown) => failure,
    );
    assert.deepEqual(resourceOf(error), { kind: 'endpoint', name: 'missing' });
  });

  it('is refused deleting an endpoint that is still changing, as isDeletable says, naming it', async () => {
    // Without the endpoint runtime an endpoint stays Creating.
    const { status } = await describeEndpoint(emulator.sagemaker, 'third');
    assert.deepEqual([status, isDeletable(status)], ['Creating', false]);
    for (const name of ['third', 'missing']) {
      const error = await deleteEndpoint(emulator.sagemaker, name).then(
        () => assert.fail(`deleted ${name}`),
        (failure: unknown) => failure,
      );
      assert.deepEqual(resourceOf(error), { kind: 'endpoint', name });
    }
    assert.ok((await listEndpoints(emulator.sagemaker)).endpoints.some((endpoint) => endpoint.name === 'third'), 'the refused endpoint is still there');
  });
});

describe('endpoint statuses', () => {
  it('counts Creating, Updating, SystemUpdating, RollingBack and Deleting as changing, and every other status as deletable', () => {
    const changing = ['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting'];
    for (const status of Object.values(EndpointStatus)) {
      assert.equal(isInProgress(status), changing.includes(status), status);
      assert.equal(isDeletable(status), !changing.includes(status), status);
    }
  });
});
