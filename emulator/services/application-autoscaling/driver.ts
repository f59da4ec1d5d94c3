// The autoscaler's access to Application Auto Scaling's records: which variants target tracking
// policies watch (SageMakerVariantInvocationsPerInstance), and scaling one — the endpoint's desired
// instance count changes, as UpdateEndpointWeightsAndCapacities would, with a scaling activity.
import type { AutoscalingRepository, TrackedVariant } from '../../runtime/endpoints/autoscaler';
import type { EndpointRuntime } from '../../runtime/endpoints/endpointRuntime';
import type { RegionalScope } from '../../regionalScope';
import type { Store } from '../../store/store';
import { endpoints } from '../sagemaker/hosting/endpointRecords';
import { updatingVariants } from '../sagemaker/hosting/state';
import { findResource, putResource } from '../sagemaker/common/resources';
import { recordActivity } from './activities';
import { everyPolicy } from './policies';
import { everyTarget, targetKey, type TargetRecord } from './targets';

/** SageMaker's default target tracking cooldowns when a policy leaves them out. */
const DEFAULT_COOLDOWN_SECONDS = 300;
const VARIANT_RESOURCE = /^endpoint\/([^/]+)\/variant\/([^/]+)$/;

export function autoscalingRepository(store: Store, endpointRuntime: EndpointRuntime): AutoscalingRepository {
  const scopeOf = (arn: string): RegionalScope => {
    const [, , , region, accountId] = arn.split(':');
    return { store, accountId, region };
  };
  return {
    trackedVariants() {
      const targets = new Map<string, TargetRecord>();
      for (const target of everyTarget(store)) targets.set(`${scopeKey(target.arn)}\n${targetKey(target.id)}`, target);
      const tracked: TrackedVariant[] = [];
      for (const policy of everyPolicy(store)) {
        const tracking = policy.configuration.TargetTrackingScalingPolicyConfiguration;
        if (policy.type !== 'TargetTrackingScaling' || tracking?.PredefinedMetricSpecification?.PredefinedMetricType !== 'SageMakerVariantInvocationsPerInstance') continue;
        const target = targets.get(`${scopeKey(policy.arn)}\n${targetKey(policy.target)}`);
        const resource = VARIANT_RESOURCE.exec(policy.target.ResourceId);
        if (!target || !resource || tracking.TargetValue === undefined) continue;
        const endpoint = findResource(scopeOf(policy.arn), endpoints, resource[1]);
        const variant = endpoint?.variants.find((candidate) => candidate.name === resource[2]);
        if (!endpoint || !variant) continue;
        tracked.push({
          key: `${policy.arn}`,
          endpointArn: endpoint.arn,
          variantName: variant.name,
          instanceCount: endpoint.status === 'InService' ? variant.currentInstanceCount : undefined,
          minCapacity: target.minCapacity,
          maxCapacity: target.maxCapacity,
          targetValue: tracking.TargetValue,
          scaleOutCooldownMs: (tracking.ScaleOutCooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
          scaleInCooldownMs: (tracking.ScaleInCooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
          scaleInDisabled: tracking.DisableScaleIn === true || target.suspendedState.DynamicScalingInSuspended === true,
          scaleOutDisabled: target.suspendedState.DynamicScalingOutSuspended === true,
        });
      }
      return tracked;
    },
    async scale(tracked, desired, cause) {
      const scope = scopeOf(tracked.endpointArn);
      const endpoint = findResource(scope, endpoints, tracked.endpointArn);
      if (endpoint?.status !== 'InService') return; // changed since the evaluation began
      const resourceId = `endpoint/${endpoint.request.EndpointName}/variant/${tracked.variantName}`;
      const now = new Date();
      await store.commit([
        putResource(scope, endpoints, updatingVariants(endpoint, new Map([[tracked.variantName, { instanceCount: desired }]]), now)),
        recordActivity(
          { ...scope, now: () => now },
          { ServiceNamespace: 'sagemaker', ResourceId: resourceId, ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' },
          `Setting desired instance count to ${desired}.`,
          `monitor alarm TargetTracking-${resourceId}-${desired > (tracked.instanceCount ?? 0) ? 'AlarmHigh' : 'AlarmLow'} in state ALARM triggered policy: ${cause}`,
          `Successfully set desired instance count to ${desired}. Change successfully fulfilled by sagemaker.`,
        ),
      ]);
      endpointRuntime.changed(endpoint.arn);
    },
  };
}

/** Account and region of an ARN. */
function scopeKey(arn: string): string {
  const [, , , region, accountId] = arn.split(':');
  return `${accountId}:${region}`;
}
