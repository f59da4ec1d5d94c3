// Emulator tests (a running emulator, the real AWS SDK v3 clients) of Application Auto Scaling of SageMaker endpoint variants.
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  paginateDescribeScalableTargets,
  paginateDescribeScalingPolicies,
  PutScalingPolicyCommand,
  type PutScalingPolicyCommandInput,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand } from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejection, startTestEmulator, type TestEmulator } from '../../helpers';
import { clientConfig } from '../../../../harness/emulatorClients';
import { allPages } from '../../../../harness/waiting';
import { endpointConfigRequest, modelRequest, variant } from '../../../../harness/requests';

const DIMENSION = 'sagemaker:variant:DesiredInstanceCount';
const target = (endpoint: string, variantName = 'blue') =>
  ({ ServiceNamespace: 'sagemaker', ResourceId: `endpoint/${endpoint}/variant/${variantName}`, ScalableDimension: DIMENSION }) as const;
const trackingPolicy = (name: string, endpoint: string, targetValue = 70): PutScalingPolicyCommandInput => ({
  ...target(endpoint),
  PolicyName: name,
  PolicyType: 'TargetTrackingScaling',
  TargetTrackingScalingPolicyConfiguration: {
    TargetValue: targetValue,
    PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
    ScaleInCooldown: 300,
    ScaleOutCooldown: 60,
  },
});

describe('Application Auto Scaling of SageMaker endpoint variants', () => {
  let emulator: TestEmulator;
  let autoscaling: ApplicationAutoScalingClient;
  before(async () => {
    emulator = await startTestEmulator();
    autoscaling = new ApplicationAutoScalingClient(clientConfig(emulator.url));
    await emulator.sagemaker.send(new CreateModelCommand(modelRequest('model')));
    await emulator.sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('config', [variant('blue', 'model'), variant('green', 'model')])));
    for (const name of ['ep-1', 'ep-2', 'ep-3']) await emulator.sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: 'config' }));
  });
  after(async () => {
    autoscaling.destroy();
    await emulator.close();
  });

  describe('scalable targets', () => {
    it('registers a variant, and updates only the members given', async () => {
      const { ScalableTargetARN } = await autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-1'), MinCapacity: 1, MaxCapacity: 4 }));
      assert.match(ScalableTargetARN ?? '', /^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{36}$/);
      const again = await autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-1'), MaxCapacity: 6 }));
      assert.equal(again.ScalableTargetARN, ScalableTargetARN);

      const { ScalableTargets } = await autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', ResourceIds: [target('ep-1').ResourceId] }));
      assert.equal(ScalableTargets?.length, 1);
      const [registered] = ScalableTargets ?? [];
      assert.equal(registered.MinCapacity, 1);
      assert.equal(registered.MaxCapacity, 6);
      assert.equal(registered.ScalableDimension, DIMENSION);
      assert.equal(
        registered.RoleARN,
        'arn:aws:iam::000000000000:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
      );
      assert.deepEqual(registered.SuspendedState, { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false });
      assert.ok(registered.CreationTime instanceof Date);
      // The endpoint is not InService, so nothing was scaled.
      const { ScalingActivities } = await autoscaling.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker' }));
      assert.deepEqual(ScalingActivities, []);
    });

    it('refuses what cannot be scaled', async () => {
      const noBounds = await rejection(autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-2') })));
      assert.equal(noBounds.name, 'ValidationException');
      assert.equal(noBounds.$metadata.httpStatusCode, 400);
      const inverted = await rejection(autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-2'), MinCapacity: 5, MaxCapacity: 2 })));
      assert.equal(inverted.message, 'Minimum capacity cannot be greater than maximum capacity');
      const badResource = await rejection(autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-2'), ResourceId: 'endpoint/ep-2', MinCapacity: 1, MaxCapacity: 2 })));
      assert.equal(badResource.name, 'ValidationException');
      const badDimension = await rejection(
        autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-2'), ScalableDimension: 'sagemaker:variant:DesiredProvisionedConcurrency', MinCapacity: 1, MaxCapacity: 2 })),
      );
      assert.equal(badDimension.name, 'ValidationException');
      const noEndpoint = await rejection(autoscaling.send(new RegisterScalableTargetCommand({ ...target('nope'), MinCapacity: 1, MaxCapacity: 2 })));
      assert.equal(noEndpoint.message, 'Could not find endpoint "arn:aws:sagemaker:us-east-1:000000000000:endpoint/nope".');
      const noVariant = await rejection(autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-2', 'red'), MinCapacity: 1, MaxCapacity: 2 })));
      assert.equal(noVariant.name, 'ValidationException');
      const otherService = await rejection(
        autoscaling.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/cluster/web', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 2 })),
      );
      assert.equal(otherService.name, 'NotImplemented');
      const badEnum = await rejection(
        autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-2'), ServiceNamespace: 'nope' as 'sagemaker', MinCapacity: 1, MaxCapacity: 2 })),
      );
      assert.match(badEnum.message, /^1 validation error detected: Value 'nope' at 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    });

    it('describes targets by dimension, pages to the end, and refuses forged tokens', async () => {
      await autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-2'), MinCapacity: 1, MaxCapacity: 2 }));
      await autoscaling.send(new RegisterScalableTargetCommand({ ...target('ep-3', 'green'), MinCapacity: 1, MaxCapacity: 2 }));
      const seen: string[] = [];
      for (const page of await allPages('scalable targets', paginateDescribeScalableTargets({ client: autoscaling, pageSize: 2 }, { ServiceNamespace: 'sagemaker', ScalableDimension: DIMENSION, ResourceIds: [target('ep-1').ResourceId, target('ep-2').ResourceId, target('ep-3', 'green').ResourceId] }), 3)) {
        seen.push(...(page.ScalableTargets ?? []).map((scalable) => scalable.ResourceId ?? ''));
      }
      assert.deepEqual(seen, ['endpoint/ep-1/variant/blue', 'endpoint/ep-2/variant/blue', 'endpoint/ep-3/variant/green']);
      const dimensionAlone = await rejection(autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', ScalableDimension: DIMENSION })));
      assert.equal(dimensionAlone.name, 'ValidationException');
      const forged = await rejection(autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', NextToken: 'forged' })));
      assert.equal(forged.name, 'InvalidNextTokenException');
      const tooMany = await rejection(autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', MaxResults: 51 })));
      assert.equal(tooMany.name, 'ValidationException');
    });
  });

  describe('scaling policies', () => {
    it('puts a target tracking policy on invocations per instance, with its alarms, and updates it in place', async () => {
      const created = await autoscaling.send(new PutScalingPolicyCommand(trackingPolicy('invocations', 'ep-1')));
      assert.match(
        created.PolicyARN ?? '',
        /^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:resource\/sagemaker\/endpoint\/ep-1\/variant\/blue:policyName\/invocations$/,
      );
      assert.deepEqual(created.Alarms?.map((alarm) => /^TargetTracking-endpoint\/ep-1\/variant\/blue-(AlarmHigh|AlarmLow)-/.exec(alarm.AlarmName ?? '')?.[1]), ['AlarmHigh', 'AlarmLow']);
      assert.ok(created.Alarms?.every((alarm) => alarm.AlarmARN === `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${alarm.AlarmName}`));

      const updated = await autoscaling.send(new PutScalingPolicyCommand(trackingPolicy('invocations', 'ep-1', 100)));
      assert.equal(updated.PolicyARN, created.PolicyARN);
      assert.deepEqual(updated.Alarms, created.Alarms);
      const { ScalingPolicies } = await autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', PolicyNames: ['invocations'] }));
      assert.equal(ScalingPolicies?.length, 1);
      const [policy] = ScalingPolicies ?? [];
      assert.equal(policy.PolicyType, 'TargetTrackingScaling');
      assert.equal(policy.ResourceId, 'endpoint/ep-1/variant/blue');
      assert.equal(policy.TargetTrackingScalingPolicyConfiguration?.TargetValue, 100);
      assert.equal(policy.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification?.PredefinedMetricType, 'SageMakerVariantInvocationsPerInstance');
      assert.ok(policy.CreationTime instanceof Date);
    });

    it('refuses a policy for an unregistered target, a metric of another service, or no configuration', async () => {
      const unregistered = await rejection(autoscaling.send(new PutScalingPolicyCommand(trackingPolicy('p', 'ep-3'))));
      assert.equal(unregistered.name, 'ObjectNotFoundException');
      assert.equal(
        unregistered.message,
        'No scalable target registered for service namespace: sagemaker, resource ID: endpoint/ep-3/variant/blue, scalable dimension: sagemaker:variant:DesiredInstanceCount',
      );
      const ecsMetric = trackingPolicy('p', 'ep-1');
      ecsMetric.TargetTrackingScalingPolicyConfiguration = { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } };
      assert.equal((await rejection(autoscaling.send(new PutScalingPolicyCommand(ecsMetric)))).name, 'ValidationException');
      const unconfigured = await rejection(autoscaling.send(new PutScalingPolicyCommand({ ...target('ep-1'), PolicyName: 'p', PolicyType: 'TargetTrackingScaling' })));
      assert.equal(unconfigured.name, 'ValidationException');
    });

    it('describes policies by resource, pages to the end, and deletes them', async () => {
      await autoscaling.send(new PutScalingPolicyCommand(trackingPolicy('second', 'ep-1')));
      await autoscaling.send(new PutScalingPolicyCommand(trackingPolicy('other', 'ep-2')));
      const names: string[] = [];
      for (const page of await allPages('the scaling policies of ep-1', paginateDescribeScalingPolicies({ client: autoscaling, pageSize: 1 }, { ServiceNamespace: 'sagemaker', ResourceId: target('ep-1').ResourceId }), 3)) {
        names.push(...(page.ScalingPolicies ?? []).map((policy) => policy.PolicyName ?? ''));
      }
      assert.deepEqual(names, ['invocations', 'second']);

      await autoscaling.send(new DeleteScalingPolicyCommand({ ...target('ep-1'), PolicyName: 'second' }));
      const missing = await rejection(autoscaling.send(new DeleteScalingPolicyCommand({ ...target('ep-1'), PolicyName: 'second' })));
      assert.equal(missing.name, 'ObjectNotFoundException');
      assert.equal(
        missing.message,
        'No scaling policy found for service namespace: sagemaker, resource ID: endpoint/ep-1/variant/blue, scalable dimension: sagemaker:variant:DesiredInstanceCount, policy name: second',
      );
    });

    it('deregisters a target with its policies', async () => {
      await autoscaling.send(new DeregisterScalableTargetCommand(target('ep-1')));
      const { ScalingPolicies } = await autoscaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', ResourceId: target('ep-1').ResourceId }));
      assert.deepEqual(ScalingPolicies, []);
      const again = await rejection(autoscaling.send(new DeregisterScalableTargetCommand(target('ep-1'))));
      assert.equal(again.name, 'ObjectNotFoundException');
      assert.equal(again.message, 'No scalable target found for service namespace: sagemaker, resource ID: endpoint/ep-1/variant/blue, scalable dimension: sagemaker:variant:DesiredInstanceCount');
    });
  });
});
