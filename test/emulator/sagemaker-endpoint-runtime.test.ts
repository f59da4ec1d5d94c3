// An endpoint driven the way the endpoint runtime will drive it: through the state machine's runtime
// moves, committed to the emulator's store in-process; clients see each move through the real SDK.
import { ApplicationAutoScalingClient, DescribeScalingActivitiesCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  type SageMakerClient,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegionalScope } from '../../emulator/operations';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { type EndpointRecord, endpoints } from '../../emulator/services/sagemaker/endpoints';
import { endpointFailed, endpointInService } from '../../emulator/services/sagemaker/endpointState';
import { deleteResource, findResource, putResource } from '../../emulator/services/sagemaker/resources';
import { type Change, Store } from '../../emulator/store/store';
import { clientConfig, makeTempDir, rejection, sagemakerClient } from './helpers';
import { endpointConfigRequest, modelRequest, variant } from './sagemakerFixtures';

const ENDPOINT = 'driven';
const TARGET = { ServiceNamespace: 'sagemaker', ResourceId: `endpoint/${ENDPOINT}/variant/blue`, ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' } as const;

describe('an endpoint driven by a runtime', () => {
  const dataDir = makeTempDir('emulator-endpoint');
  let running: RunningEmulator;
  let sagemaker: SageMakerClient;
  let autoscaling: ApplicationAutoScalingClient;

  async function start(): Promise<void> {
    running = await startEmulator({ dataDir: dataDir.path });
    sagemaker = sagemakerClient(running.url);
    autoscaling = new ApplicationAutoScalingClient(clientConfig(running.url));
  }
  async function stop(): Promise<void> {
    sagemaker.destroy();
    autoscaling.destroy();
    await running.close();
  }
  /** What a runtime does: read the endpoint, move it, commit — while no emulator has the store open. */
  async function drive(move: (endpoint: EndpointRecord, scope: RegionalScope) => Change[]): Promise<void> {
    await stop();
    const store = await Store.open(join(dataDir.path, 'store'));
    const scope = { store, accountId: '000000000000', region: 'us-east-1' };
    const endpoint = findResource(scope, endpoints, ENDPOINT);
    assert.ok(endpoint);
    await store.commit(move(endpoint, scope));
    await store.close();
    await start();
  }
  const describeEndpoint = () => sagemaker.send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));

  before(async () => {
    await start();
    await sagemaker.send(new CreateModelCommand(modelRequest('served-model')));
    await sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('config-1', [variant('blue', 'served-model', { InitialInstanceCount: 2 })])));
    await sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('config-2', [variant('blue', 'served-model', { InitialInstanceCount: 1 })])));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: 'config-1' }));
  });
  after(async () => {
    await stop();
    dataDir.remove();
  });

  it('goes InService when the runtime reports its instances serving', async () => {
    await drive((endpoint, scope) => [putResource(scope, endpoints, endpointInService(endpoint, new Date()))]);
    const endpoint = await describeEndpoint();
    assert.equal(endpoint.EndpointStatus, 'InService');
    assert.equal(endpoint.PendingDeploymentSummary, undefined);
    assert.deepEqual(endpoint.ProductionVariants, [{ VariantName: 'blue', CurrentWeight: 1, DesiredWeight: 1, CurrentInstanceCount: 2, DesiredInstanceCount: 2 }]);
    assert.ok((endpoint.LastModifiedTime?.getTime() ?? 0) >= (endpoint.CreationTime?.getTime() ?? 0));
  });

  it('scales a variant: Updating with the desired count, InService with it current', async () => {
    const unknown = await rejection(
      sagemaker.send(new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: ENDPOINT, DesiredWeightsAndCapacities: [{ VariantName: 'red', DesiredInstanceCount: 1 }] })),
    );
    assert.equal(unknown.message, 'The variant name(s) "red" is/are not present within endpoint configuration "config-1".');

    await sagemaker.send(new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: ENDPOINT, DesiredWeightsAndCapacities: [{ VariantName: 'blue', DesiredInstanceCount: 4 }] }));
    const updating = await describeEndpoint();
    assert.equal(updating.EndpointStatus, 'Updating');
    assert.deepEqual(updating.ProductionVariants?.map((summary) => [summary.CurrentInstanceCount, summary.DesiredInstanceCount]), [[2, 4]]);
    await drive((endpoint, scope) => [putResource(scope, endpoints, endpointInService(endpoint, new Date()))]);
    assert.deepEqual((await describeEndpoint()).ProductionVariants?.map((summary) => summary.CurrentInstanceCount), [4]);
  });

  it('is scaled into the bounds of a new scalable target, as an activity', async () => {
    await autoscaling.send(new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 3 }));
    const endpoint = await describeEndpoint();
    assert.equal(endpoint.EndpointStatus, 'Updating');
    assert.deepEqual(endpoint.ProductionVariants?.map((summary) => summary.DesiredInstanceCount), [3]);
    const { ScalingActivities } = await autoscaling.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker', ResourceId: TARGET.ResourceId }));
    assert.equal(ScalingActivities?.length, 1);
    assert.equal(ScalingActivities?.[0].Description, 'Setting desired instance count to 3.');
    assert.equal(ScalingActivities?.[0].Cause, 'maximum capacity was set to 3');
    assert.equal(ScalingActivities?.[0].StatusCode, 'Successful');
    await drive((served, scope) => [putResource(scope, endpoints, endpointInService(served, new Date()))]);
  });

  it('rolls a failed update back to what served, with the reason', async () => {
    await sagemaker.send(new UpdateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: 'config-2' }));
    const updating = await describeEndpoint();
    assert.equal(updating.EndpointStatus, 'Updating');
    assert.equal(updating.EndpointConfigName, 'config-1');
    assert.equal(updating.PendingDeploymentSummary?.EndpointConfigName, 'config-2');
    await drive((endpoint, scope) => [putResource(scope, endpoints, endpointFailed(endpoint, 'The model server did not answer /ping', new Date()))]);
    const rolledBack = await describeEndpoint();
    assert.equal(rolledBack.EndpointStatus, 'InService');
    assert.equal(rolledBack.EndpointConfigName, 'config-1');
    assert.equal(rolledBack.FailureReason, 'The model server did not answer /ping');
    assert.deepEqual(rolledBack.ProductionVariants?.map((summary) => summary.CurrentInstanceCount), [3]);
  });

  it('is Deleting until the runtime has released its instances', async () => {
    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: ENDPOINT }));
    assert.equal((await describeEndpoint()).EndpointStatus, 'Deleting');
    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: ENDPOINT }));
    await drive((endpoint, scope) => deleteResource(scope, endpoints, endpoint));
    assert.equal((await rejection(describeEndpoint())).name, 'ValidationException');
  });
});
