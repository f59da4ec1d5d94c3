// Application Auto Scaling PutScalingPolicy: Creates or updates a scaling policy for an Application Auto
// Scaling scalable target.
import type { Alarm, PutScalingPolicyCommandInput, PutScalingPolicyCommandOutput } from '@aws-sdk/client-application-auto-scaling';
import { randomUUID } from 'node:crypto';
import { validationError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import { targetNotRegistered } from './errors';
import { findPolicy, type PolicyRecord, putPolicy } from './policies';
import { VARIANT_METRICS } from './sagemakerVariants';
import { findTarget, type TargetId, targetIdOf } from './targets';

/**
 * Creates a policy, or replaces the configuration of an existing one of that name (which keeps its
 * ARN and alarms). Variants scale by target tracking or by steps; predictive scaling is ECS's only.
 */
export async function putScalingPolicy(input: PutScalingPolicyCommandInput, context: RequestContext): Promise<OperationOutput<PutScalingPolicyCommandOutput>> {
  const target = targetIdOf(input);
  if (!findTarget(context, target)) throw targetNotRegistered(target);
  const { ServiceNamespace: _namespace, ResourceId: _resource, ScalableDimension: _dimension, PolicyName: name = '', PolicyType: type, ...configuration } = input;
  const existing = findPolicy(context, target, name);
  const policyType = type ?? existing?.type;
  if (policyType === undefined) throw validationError('PolicyType is required to create a scaling policy.');
  assertConfigured(policyType, input);

  const arn = existing?.arn ?? `arn:aws:autoscaling:${context.region}:${context.accountId}:scalingPolicy:${randomUUID()}:resource/${target.ServiceNamespace}/${target.ResourceId}:policyName/${name}`;
  const policy: PolicyRecord = {
    target,
    name,
    arn,
    type: policyType,
    configuration,
    alarms: policyType === 'TargetTrackingScaling' ? (existing?.alarms ?? trackingAlarms(context, target, input)) : [],
    createdAt: existing?.createdAt ?? context.now().getTime(),
  };
  await context.store.commit([putPolicy(context, policy)]);
  return { PolicyARN: policy.arn, Alarms: policy.alarms };
}

function assertConfigured(type: string, input: PutScalingPolicyCommandInput): void {
  if (type === 'PredictiveScaling') throw validationError('PredictiveScaling policies are not supported for service namespace sagemaker.');
  if (type === 'StepScaling' && !input.StepScalingPolicyConfiguration) {
    throw validationError('StepScalingPolicyConfiguration is required for a StepScaling policy.');
  }
  if (type !== 'TargetTrackingScaling') return;
  const tracking = input.TargetTrackingScalingPolicyConfiguration;
  if (!tracking) throw validationError('TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy.');
  const metric = tracking.PredefinedMetricSpecification?.PredefinedMetricType;
  if (metric === undefined && !tracking.CustomizedMetricSpecification) {
    throw validationError('Either a PredefinedMetricSpecification or a CustomizedMetricSpecification is required.');
  }
  if (metric !== undefined && !VARIANT_METRICS.includes(metric)) {
    throw validationError(`Unsupported metric type ${metric} for scalable dimension ${input.ScalableDimension}.`);
  }
}

/** The CloudWatch alarms AWS creates for target tracking: one to scale out, one to scale in unless that is disabled. */
function trackingAlarms(context: RequestContext, target: TargetId, input: PutScalingPolicyCommandInput): Alarm[] {
  const kinds = input.TargetTrackingScalingPolicyConfiguration?.DisableScaleIn ? ['AlarmHigh'] : ['AlarmHigh', 'AlarmLow'];
  return kinds.map((kind) => {
    const name = `TargetTracking-${target.ResourceId}-${kind}-${randomUUID()}`;
    return { AlarmName: name, AlarmARN: `arn:aws:cloudwatch:${context.region}:${context.accountId}:alarm:${name}` };
  });
}
