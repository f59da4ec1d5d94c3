// Unit tests of endpoint state machine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  creatingEndpoint,
  deletingEndpoint,
  endpointFailed,
  endpointInService,
  hasInstances,
  updatingEndpoint,
  updatingVariants,
} from '../../../../../../emulator/services/sagemaker/hosting/state';

const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, seconds));
const blue = { name: 'blue', desiredWeight: 1, desiredInstanceCount: 2 };

describe('endpoint state machine', () => {
  it('creates, then the runtime serves what was desired', () => {
    const creating = creatingEndpoint('config-1', [blue], at(0));
    assert.deepEqual(creating, { status: 'Creating', configName: 'config-1', variants: [blue], lastModifiedAt: at(0).getTime() });
    assert.equal(hasInstances(creating), false);
    const serving = endpointInService(creating, at(10));
    assert.equal(serving.status, 'InService');
    assert.equal(serving.lastModifiedAt, at(10).getTime());
    assert.deepEqual(serving.variants, [{ ...blue, currentWeight: 1, currentInstanceCount: 2 }]);
    assert.equal(hasInstances(serving), true);
  });

  it('fails a new endpoint with its reason', () => {
    const failed = endpointFailed(creatingEndpoint('config-1', [blue], at(0)), 'the container exited', at(5));
    assert.equal(failed.status, 'Failed');
    assert.equal(failed.failureReason, 'the container exited');
    assert.throws(() => endpointInService(failed, at(6)), /cannot go from Failed to InService/);
  });

  it('deploys another configuration, or rolls back a failed update to what served', () => {
    const serving = endpointInService(creatingEndpoint('config-1', [blue], at(0)), at(1));
    const green = { name: 'green', desiredWeight: 1, desiredInstanceCount: 1 };
    const updating = updatingEndpoint(serving, 'config-2', [green], at(2));
    assert.equal(updating.status, 'Updating');
    assert.equal(updating.configName, 'config-1', 'the old configuration serves until the new one does');
    assert.deepEqual(updating.pendingDeployment, { configName: 'config-2', variants: [green], startedAt: at(2).getTime() });

    const updated = endpointInService(updating, at(3));
    assert.equal(updated.configName, 'config-2');
    assert.equal(updated.pendingDeployment, undefined);
    assert.deepEqual(updated.variants, [{ ...green, currentWeight: 1, currentInstanceCount: 1 }]);

    const rolledBack = endpointFailed(updatingEndpoint(serving, 'config-2', [green], at(4)), 'image not found', at(5));
    assert.equal(rolledBack.status, 'InService');
    assert.equal(rolledBack.configName, 'config-1');
    assert.equal(rolledBack.failureReason, 'image not found');
    assert.deepEqual(rolledBack.variants, serving.variants);
  });

  it('changes weights and instance counts, the current values following once served', () => {
    const serving = endpointInService(creatingEndpoint('config-1', [blue], at(0)), at(1));
    const updating = updatingVariants(serving, new Map([['blue', { instanceCount: 4 }]]), at(2));
    assert.deepEqual(updating.variants, [{ ...blue, desiredInstanceCount: 4, currentWeight: 1, currentInstanceCount: 2 }]);
    const failed = endpointFailed(updating, 'no capacity', at(3));
    assert.deepEqual(failed.variants, serving.variants, 'a failed scaling keeps what served');
    assert.deepEqual(endpointInService(updating, at(3)).variants, [{ ...blue, desiredInstanceCount: 4, currentWeight: 1, currentInstanceCount: 4 }]);
  });

  it('deletes from any status but Deleting, and refuses updates while not InService', () => {
    const creating = creatingEndpoint('config-1', [blue], at(0));
    const deleting = deletingEndpoint(endpointInService(creating, at(1)), at(2));
    assert.equal(deleting.status, 'Deleting');
    assert.throws(() => deletingEndpoint(deleting, at(3)), /cannot go from Deleting to Deleting/);
    assert.throws(() => updatingEndpoint(creating, 'config-2', [blue], at(1)), /cannot go from Creating to Updating/);
  });
});
