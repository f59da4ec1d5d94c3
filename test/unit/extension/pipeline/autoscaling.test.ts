// Unit tests of src's autoscaling: the pure logic behind the extension's autoscaling, without VS Code.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  autoscalingProblem,
  describeScaling,
  instanceCountRequest,
  readPolicy,
  scalableTargetRequest,
  scalingPolicyRequest,
  variantResourceId,
  type AutoscalingSettings,
} from '../../../../src/pipeline/autoscaling';

const settings: AutoscalingSettings = {
  endpointName: 'chat',
  variantName: 'AllTraffic',
  minInstances: 1,
  maxInstances: 4,
  metric: 'invocations',
  targetValue: 70,
  scaleInCooldownSeconds: 300,
  scaleOutCooldownSeconds: 60,
};

it('registers the variant\'s desired instance count between the bounds', () => {
  assert.equal(variantResourceId('chat', 'AllTraffic'), 'endpoint/chat/variant/AllTraffic');
  assert.deepEqual(scalableTargetRequest(settings), {
    ServiceNamespace: 'sagemaker',
    ResourceId: 'endpoint/chat/variant/AllTraffic',
    ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    MinCapacity: 1,
    MaxCapacity: 4,
  });
});

it('tracks invocations per instance with the predefined metric, or CPU with SageMaker\'s endpoint metric', () => {
  const invocations = scalingPolicyRequest(settings);
  assert.deepEqual(invocations, {
    PolicyName: 'SageMakerEndpointInvocationScalingPolicy',
    ServiceNamespace: 'sagemaker',
    ResourceId: 'endpoint/chat/variant/AllTraffic',
    ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: 70,
      PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
      ScaleInCooldown: 300,
      ScaleOutCooldown: 60,
    },
  });
  const cpu = scalingPolicyRequest({ ...settings, metric: 'cpu', targetValue: 50 });
  assert.equal(cpu.PolicyName, 'SageMakerEndpointCpuScalingPolicy');
  assert.deepEqual(cpu.TargetTrackingScalingPolicyConfiguration?.CustomizedMetricSpecification, {
    MetricName: 'CPUUtilization',
    Namespace: '/aws/sagemaker/Endpoints',
    Dimensions: [
      { Name: 'EndpointName', Value: 'chat' },
      { Name: 'VariantName', Value: 'AllTraffic' },
    ],
    Statistic: 'Average',
    Unit: 'Percent',
  });
  // Read back as the settings it was made from.
  assert.deepEqual(readPolicy({ ...invocations, PolicyARN: 'arn', CreationTime: new Date() } as never), {
    name: 'SageMakerEndpointInvocationScalingPolicy',
    metric: 'invocations',
    targetValue: 70,
    scaleInCooldownSeconds: 300,
    scaleOutCooldownSeconds: 60,
    disableScaleIn: undefined,
  });
  assert.equal(readPolicy({ ...cpu } as never).metric, 'cpu');
});

it('refuses bounds and targets Application Auto Scaling would refuse, at the edges', () => {
  assert.equal(autoscalingProblem(settings), undefined);
  assert.equal(autoscalingProblem({ ...settings, minInstances: 4, maxInstances: 4 }), undefined);
  assert.match(autoscalingProblem({ ...settings, minInstances: 5, maxInstances: 4 }) ?? '', /maximum must be .* at least the minimum/);
  assert.match(autoscalingProblem({ ...settings, minInstances: 0 }) ?? '', /minimum must be .* 1 or more/);
  assert.match(autoscalingProblem({ ...settings, minInstances: 1.5 }) ?? '', /whole number/);
  assert.match(autoscalingProblem({ ...settings, targetValue: 0 }) ?? '', /above 0/);
  assert.equal(autoscalingProblem({ ...settings, metric: 'cpu', targetValue: 100 }), undefined);
  assert.match(autoscalingProblem({ ...settings, metric: 'cpu', targetValue: 101 }) ?? '', /100 at most/);
});

it('says what is configured in one line, and sets an instance count by hand', () => {
  assert.equal(
    describeScaling({ minInstances: 1, maxInstances: 4, policy: { name: 'p', metric: 'invocations', targetValue: 70, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 } }),
    '1–4 instances, target 70 invocations per instance per minute, cooldowns in 300 s / out 60 s',
  );
  assert.equal(describeScaling({ minInstances: 2, maxInstances: 2 }), '2–2 instances, no scaling policy');
  assert.equal(describeScaling({ minInstances: 1, maxInstances: 3, policy: { name: 'p', metric: 'cpu', targetValue: 50, disableScaleIn: true } }), '1–3 instances, target 50% CPU utilization, never scales in');
  assert.deepEqual(instanceCountRequest('chat', 'AllTraffic', 3), { EndpointName: 'chat', DesiredWeightsAndCapacities: [{ VariantName: 'AllTraffic', DesiredInstanceCount: 3 }] });
});
