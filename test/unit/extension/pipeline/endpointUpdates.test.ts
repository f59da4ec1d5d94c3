// Unit tests of src's endpointUpdates: the pure logic behind the extension's endpointUpdates, without VS Code.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  deploymentOutcome,
  describeOutcome,
  modelFromVersionRequest,
  nameStamp,
  suffixedName,
  updatedConfigRequest,
  updateEndpointRequest,
  versionOfModel,
  versionUpdateNames,
} from '../../../../src/pipeline/endpointUpdates';
import { SAGEMAKER_NAME } from '../../../../src/pipeline/names';

const version3 = 'arn:aws:sagemaker:us-east-1:000000000000:model-package/chat-gpt/3';

it('makes a model of a registered version whose container names the version', () => {
  assert.deepEqual(modelFromVersionRequest('chat-v3', version3, 'arn:aws:iam::000000000000:role/R'), {
    ModelName: 'chat-v3',
    ExecutionRoleArn: 'arn:aws:iam::000000000000:role/R',
    PrimaryContainer: { ModelPackageName: version3 },
  });
  assert.equal(versionOfModel({ PrimaryContainer: { ModelPackageName: version3 } }), version3);
  assert.equal(versionOfModel({ Containers: [{}, { ModelPackageName: version3 }] }), version3);
  assert.equal(versionOfModel({ PrimaryContainer: {} }), undefined);
});

it('names the update\'s model and configuration after the endpoint, the version and the time, within 63 characters', () => {
  const at = new Date('2026-12-02T01:07:42.123Z');
  assert.equal(nameStamp(at), '20261202-010742');
  assert.deepEqual(versionUpdateNames('chat', version3, at), { modelName: 'chat-v3-20261202-010742', configName: 'chat-20261202-010742' });
  const long = versionUpdateNames('e'.repeat(70), version3, at);
  assert.equal(long.modelName.length, 63);
  assert.match(long.modelName, SAGEMAKER_NAME);
  assert.match(long.configName, SAGEMAKER_NAME);
  assert.equal(suffixedName('my_endpoint-', 'x'), 'my-endpoint-x');
});

it('copies the endpoint\'s configuration with one variant serving the new model, and updates blue/green keeping scaled counts', () => {
  const current = {
    EndpointConfigName: 'chat',
    EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/chat',
    CreationTime: new Date(),
    ProductionVariants: [
      { VariantName: 'AllTraffic', ModelName: 'chat', InstanceType: 'ml.g5.xlarge' as const, InitialInstanceCount: 1, InitialVariantWeight: 1 },
      { VariantName: 'canary', ModelName: 'chat-old', InstanceType: 'ml.g5.xlarge' as const, InitialInstanceCount: 1, InitialVariantWeight: 0.1 },
    ],
    DataCaptureConfig: { InitialSamplingPercentage: 10, DestinationS3Uri: 's3://capture/', CaptureOptions: [{ CaptureMode: 'Input' as const }] },
    KmsKeyId: 'key-1',
  };
  assert.deepEqual(updatedConfigRequest(current, 'AllTraffic', 'chat-v3-x', 'chat-x'), {
    EndpointConfigName: 'chat-x',
    ProductionVariants: [
      { VariantName: 'AllTraffic', ModelName: 'chat-v3-x', InstanceType: 'ml.g5.xlarge', InitialInstanceCount: 1, InitialVariantWeight: 1 },
      { VariantName: 'canary', ModelName: 'chat-old', InstanceType: 'ml.g5.xlarge', InitialInstanceCount: 1, InitialVariantWeight: 0.1 },
    ],
    DataCaptureConfig: current.DataCaptureConfig,
    KmsKeyId: 'key-1',
  });
  assert.throws(() => updatedConfigRequest(current, 'blue', 'm', 'c'), /Endpoint configuration chat has no variant blue/);
  assert.deepEqual(updateEndpointRequest('chat', 'chat-x'), { EndpointName: 'chat', EndpointConfigName: 'chat-x', RetainAllVariantProperties: true });
});

it('tells an update that went InService from one SageMaker rolled back, and says why', () => {
  assert.equal(deploymentOutcome('chat-x', { EndpointStatus: 'Updating', EndpointConfigName: 'chat' }), undefined);
  assert.equal(deploymentOutcome('chat-x', { EndpointStatus: 'Creating' }), undefined);
  assert.deepEqual(deploymentOutcome('chat-x', { EndpointStatus: 'InService', EndpointConfigName: 'chat-x' }), { kind: 'inService', configName: 'chat-x' });
  const rolledBack = deploymentOutcome('chat-x', { EndpointStatus: 'InService', EndpointConfigName: 'chat', FailureReason: 'The container exited' })!;
  assert.deepEqual(rolledBack, { kind: 'rolledBack', configName: 'chat', reason: 'The container exited' });
  assert.equal(
    describeOutcome('chat', rolledBack, version3),
    'Endpoint chat could not move to chat-gpt v3: SageMaker rolled back to chat, which still serves. Reason: The container exited',
  );
  assert.deepEqual(deploymentOutcome('chat-x', { EndpointStatus: 'Failed', FailureReason: 'no capacity' }), { kind: 'failed', status: 'Failed', reason: 'no capacity' });
  assert.deepEqual(deploymentOutcome('chat-x', undefined), { kind: 'gone' });
  assert.deepEqual(deploymentOutcome('chat-x', { EndpointStatus: 'Deleting', EndpointConfigName: 'chat-x' }), { kind: 'gone' }, 'a deletion ends the wait');
  assert.equal(describeOutcome('chat', { kind: 'gone' }), 'Endpoint chat was deleted.');
  assert.equal(describeOutcome('chat', { kind: 'inService', configName: 'chat-x' }, version3), 'Endpoint chat is InService with chat-gpt v3.');
});
