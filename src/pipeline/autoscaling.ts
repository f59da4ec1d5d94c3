// Autoscaling of an endpoint variant, as the SageMaker console sets it up: the variant's desired
// instance count registered with Application Auto Scaling between a minimum and a maximum, and one
// target tracking policy on invocations per instance (or on CPU utilization), with cooldowns. Also
// what is configured now, the recent scaling activities, removing it, and setting the instance count
// by hand (UpdateEndpointWeightsAndCapacities).
import type {
  ApplicationAutoScalingClient,
  PutScalingPolicyCommandInput,
  RegisterScalableTargetCommandInput,
  ScalingPolicy,
} from '@aws-sdk/client-application-auto-scaling';
import type { SageMakerClient, UpdateEndpointWeightsAndCapacitiesCommandInput } from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';
import { about } from '../failures/resources';

export const VARIANT_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

/** `endpoint/<endpoint>/variant/<variant>`: how Application Auto Scaling names a variant. */
export function variantResourceId(endpointName: string, variantName: string): string {
  return `endpoint/${endpointName}/variant/${variantName}`;
}

export type ScalingMetric = 'invocations' | 'cpu';

/** The policy names the console gives, one per metric; Configure Autoscaling keeps exactly one of them. */
export const POLICY_NAMES: Record<ScalingMetric, string> = {
  invocations: 'SageMakerEndpointInvocationScalingPolicy',
  cpu: 'SageMakerEndpointCpuScalingPolicy',
};

export interface AutoscalingSettings {
  endpointName: string;
  variantName: string;
  minInstances: number;
  maxInstances: number;
  metric: ScalingMetric;
  /** Invocations per instance per minute, or CPU utilization in percent (of all the instance's cores). */
  targetValue: number;
  scaleInCooldownSeconds: number;
  scaleOutCooldownSeconds: number;
}

/** The console's defaults: scale in slowly (5 minutes), out quickly (1 minute). */
export const DEFAULT_COOLDOWNS = { scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 };

/** What is wrong with the settings, or undefined (Application Auto Scaling would refuse these). */
export function autoscalingProblem(settings: Pick<AutoscalingSettings, 'minInstances' | 'maxInstances' | 'targetValue' | 'metric'>): string | undefined {
  if (!Number.isInteger(settings.minInstances) || settings.minInstances < 1) return 'The minimum must be a whole number of instances, 1 or more.';
  if (!Number.isInteger(settings.maxInstances) || settings.maxInstances < settings.minInstances) return 'The maximum must be a whole number of instances, at least the minimum.';
  if (!(settings.targetValue > 0)) return 'The target must be above 0.';
  if (settings.metric === 'cpu' && settings.targetValue > 100) return 'A CPU utilization target is a percentage, 100 at most.';
  return undefined;
}

export function scalableTargetRequest(settings: AutoscalingSettings): RegisterScalableTargetCommandInput {
  return {
    ServiceNamespace: 'sagemaker',
    ResourceId: variantResourceId(settings.endpointName, settings.variantName),
    ScalableDimension: VARIANT_DIMENSION,
    MinCapacity: settings.minInstances,
    MaxCapacity: settings.maxInstances,
  };
}

export function scalingPolicyRequest(settings: AutoscalingSettings): PutScalingPolicyCommandInput {
  const metric =
    settings.metric === 'invocations'
      ? { PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' as const } }
      : {
          // SageMaker publishes instance CPU as a custom-namespace metric, so target tracking names it.
          CustomizedMetricSpecification: {
            MetricName: 'CPUUtilization',
            Namespace: '/aws/sagemaker/Endpoints',
            Dimensions: [
              { Name: 'EndpointName', Value: settings.endpointName },
              { Name: 'VariantName', Value: settings.variantName },
            ],
            Statistic: 'Average' as const,
            Unit: 'Percent',
          },
        };
  return {
    PolicyName: POLICY_NAMES[settings.metric],
    ServiceNamespace: 'sagemaker',
    ResourceId: variantResourceId(settings.endpointName, settings.variantName),
    ScalableDimension: VARIANT_DIMENSION,
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: settings.targetValue,
      ...metric,
      ScaleInCooldown: settings.scaleInCooldownSeconds,
      ScaleOutCooldown: settings.scaleOutCooldownSeconds,
    },
  };
}

/** What is configured for a variant now. */
export interface VariantScaling {
  minInstances: number;
  maxInstances: number;
  /** The target tracking policy this extension manages (or another one, as found). */
  policy?: {
    name: string;
    metric: ScalingMetric | 'other';
    targetValue?: number;
    scaleInCooldownSeconds?: number;
    scaleOutCooldownSeconds?: number;
    disableScaleIn?: boolean;
  };
}

/** The policy as settings: which metric it tracks and how. */
export function readPolicy(policy: ScalingPolicy): NonNullable<VariantScaling['policy']> {
  const tracking = policy.TargetTrackingScalingPolicyConfiguration;
  const predefined = tracking?.PredefinedMetricSpecification?.PredefinedMetricType;
  const custom = tracking?.CustomizedMetricSpecification?.MetricName;
  return {
    name: policy.PolicyName ?? '',
    metric: predefined === 'SageMakerVariantInvocationsPerInstance' ? 'invocations' : custom === 'CPUUtilization' ? 'cpu' : 'other',
    targetValue: tracking?.TargetValue,
    scaleInCooldownSeconds: tracking?.ScaleInCooldown,
    scaleOutCooldownSeconds: tracking?.ScaleOutCooldown,
    disableScaleIn: tracking?.DisableScaleIn,
  };
}

/** "2–4 instances, target 60 invocations per instance per minute, cooldowns in 300 s / out 60 s". */
export function describeScaling(scaling: VariantScaling): string {
  const bounds = `${scaling.minInstances}–${scaling.maxInstances} instances`;
  const policy = scaling.policy;
  if (!policy) return `${bounds}, no scaling policy`;
  const target =
    policy.metric === 'invocations'
      ? `target ${policy.targetValue} invocations per instance per minute`
      : policy.metric === 'cpu'
        ? `target ${policy.targetValue}% CPU utilization`
        : `policy ${policy.name}`;
  const cooldowns =
    policy.scaleInCooldownSeconds === undefined && policy.scaleOutCooldownSeconds === undefined
      ? ''
      : `, cooldowns in ${policy.scaleInCooldownSeconds ?? 300} s / out ${policy.scaleOutCooldownSeconds ?? 300} s`;
  return `${bounds}, ${target}${cooldowns}${policy.disableScaleIn ? ', never scales in' : ''}`;
}

/** Registers the variant (or changes its bounds) and puts the policy, removing our policy for the other metric. */
export async function configureAutoscaling(autoscaling: ApplicationAutoScalingClient, settings: AutoscalingSettings): Promise<void> {
  const sdk = await loadSdk();
  const endpoint = { kind: 'endpoint' as const, name: settings.endpointName };
  await about(endpoint, autoscaling.send(new sdk.RegisterScalableTargetCommand(scalableTargetRequest(settings))));
  await about({ kind: 'scalingPolicy', name: POLICY_NAMES[settings.metric] }, autoscaling.send(new sdk.PutScalingPolicyCommand(scalingPolicyRequest(settings))));
  const other: ScalingMetric = settings.metric === 'invocations' ? 'cpu' : 'invocations';
  await autoscaling
    .send(
      new sdk.DeleteScalingPolicyCommand({
        PolicyName: POLICY_NAMES[other],
        ServiceNamespace: 'sagemaker',
        ResourceId: variantResourceId(settings.endpointName, settings.variantName),
        ScalableDimension: VARIANT_DIMENSION,
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ObjectNotFoundException') throw error;
    });
}

/** The variant's bounds and target tracking policy, or undefined when it does not autoscale. */
export async function describeVariantScaling(autoscaling: ApplicationAutoScalingClient, endpointName: string, variantName: string): Promise<VariantScaling | undefined> {
  const sdk = await loadSdk();
  const resourceId = variantResourceId(endpointName, variantName);
  const { ScalableTargets: targets = [] } = await autoscaling.send(
    new sdk.DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', ResourceIds: [resourceId], ScalableDimension: VARIANT_DIMENSION }),
  );
  const target = targets[0];
  if (!target) return undefined;
  const { ScalingPolicies: policies = [] } = await autoscaling.send(
    new sdk.DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', ResourceId: resourceId, ScalableDimension: VARIANT_DIMENSION }),
  );
  const tracking = policies.filter((policy) => policy.PolicyType === 'TargetTrackingScaling');
  const ours = tracking.find((policy) => Object.values(POLICY_NAMES).includes(policy.PolicyName ?? '')) ?? tracking[0];
  return { minInstances: target.MinCapacity ?? 0, maxInstances: target.MaxCapacity ?? 0, policy: ours && readPolicy(ours) };
}

/** The resource IDs of every autoscaled SageMaker variant in the region (one call per 50). */
export async function autoscaledVariants(autoscaling: ApplicationAutoScalingClient): Promise<Set<string>> {
  const { DescribeScalableTargetsCommand } = await loadSdk();
  const ids = new Set<string>();
  let nextToken: string | undefined;
  do {
    // A dimension may only narrow a list of resource IDs, so the region's targets are filtered here.
    const page = await autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', NextToken: nextToken }));
    for (const target of page.ScalableTargets ?? []) if (target.ResourceId && target.ScalableDimension === VARIANT_DIMENSION) ids.add(target.ResourceId);
    nextToken = page.NextToken;
  } while (nextToken);
  return ids;
}

export interface ScalingActivitySummary {
  id: string;
  description: string;
  cause: string;
  status: string;
  statusMessage?: string;
  startedAt?: Date;
  endedAt?: Date;
}

/** The variant's scaling activities since `since`, newest first. */
export async function recentScalingActivities(
  autoscaling: ApplicationAutoScalingClient,
  endpointName: string,
  variantName: string,
  since: Date,
): Promise<ScalingActivitySummary[]> {
  const { DescribeScalingActivitiesCommand } = await loadSdk();
  const { ScalingActivities: activities = [] } = await autoscaling.send(
    new DescribeScalingActivitiesCommand({
      ServiceNamespace: 'sagemaker',
      ResourceId: variantResourceId(endpointName, variantName),
      ScalableDimension: VARIANT_DIMENSION,
      MaxResults: 20,
    }),
  );
  return activities
    .filter((activity) => (activity.StartTime?.getTime() ?? 0) >= since.getTime())
    .sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0))
    .map((activity) => ({
      id: activity.ActivityId ?? '',
      description: activity.Description ?? '',
      cause: activity.Cause ?? '',
      status: activity.StatusCode ?? '',
      statusMessage: activity.StatusMessage,
      startedAt: activity.StartTime,
      endedAt: activity.EndTime,
    }));
}

/** Deregisters the variant: Application Auto Scaling deletes its policies with it; the instance count stays where it is. */
export async function removeAutoscaling(autoscaling: ApplicationAutoScalingClient, endpointName: string, variantName: string): Promise<void> {
  const { DeregisterScalableTargetCommand } = await loadSdk();
  await about(
    { kind: 'endpoint', name: endpointName },
    autoscaling.send(new DeregisterScalableTargetCommand({ ServiceNamespace: 'sagemaker', ResourceId: variantResourceId(endpointName, variantName), ScalableDimension: VARIANT_DIMENSION })),
  );
}

export function instanceCountRequest(endpointName: string, variantName: string, instanceCount: number): UpdateEndpointWeightsAndCapacitiesCommandInput {
  return { EndpointName: endpointName, DesiredWeightsAndCapacities: [{ VariantName: variantName, DesiredInstanceCount: instanceCount }] };
}

export async function setInstanceCount(sageMaker: SageMakerClient, endpointName: string, variantName: string, instanceCount: number): Promise<void> {
  const { UpdateEndpointWeightsAndCapacitiesCommand } = await loadSdk();
  await about({ kind: 'endpoint', name: endpointName }, sageMaker.send(new UpdateEndpointWeightsAndCapacitiesCommand(instanceCountRequest(endpointName, variantName, instanceCount))));
}
