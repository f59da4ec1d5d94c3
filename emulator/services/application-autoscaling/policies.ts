// Scaling policies: their record, keyed under their target, and what DescribeScalingPolicies shows.
// The emulator keeps policies and the names of the CloudWatch alarms AWS would create for them;
// target tracking policies scale their variants (runtime/endpoints/autoscaler.ts, through driver.ts).
import type { Alarm, PolicyType, PutScalingPolicyCommandInput, ScalingPolicy } from '@aws-sdk/client-application-auto-scaling';
import { type RegionalScope, regionalPartition } from '../../regionalScope';
import { defineTable, put, remove, type Store } from '../../store/store';
import type { Change } from '../../store/logFormat';
import { type TargetId, targetKey } from './targets';

export interface PolicyRecord {
  target: TargetId;
  name: string;
  arn: string;
  type: PolicyType;
  /** The PutScalingPolicy request, less the target, name and type. */
  configuration: Omit<PutScalingPolicyCommandInput, keyof TargetId | 'PolicyName' | 'PolicyType'>;
  alarms: Alarm[];
  /** Epoch milliseconds. */
  createdAt: number;
}

const policies = defineTable<PolicyRecord>('applicationAutoScaling.policies');

function policyKey(target: TargetId, name: string): string {
  return `${targetKey(target)}\n${name}`;
}

export function findPolicy(context: RegionalScope, target: TargetId, name: string): PolicyRecord | undefined {
  return context.store.get(policies, regionalPartition(context), policyKey(target, name));
}

export function allPolicies(context: RegionalScope): PolicyRecord[] {
  return context.store.entries(policies, regionalPartition(context)).map(([, policy]) => policy);
}

export function policiesOf(context: RegionalScope, target: TargetId): PolicyRecord[] {
  return allPolicies(context).filter((policy) => targetKey(policy.target) === targetKey(target));
}

/** Every account's and region's policies (the autoscaler evaluates them all). */
export function everyPolicy(store: Store): Iterable<PolicyRecord> {
  return store.scan(policies);
}

export function putPolicy(context: RegionalScope, policy: PolicyRecord): Change {
  return put(policies, regionalPartition(context), policyKey(policy.target, policy.name), policy);
}

export function removePolicy(context: RegionalScope, policy: PolicyRecord): Change {
  return remove(policies, regionalPartition(context), policyKey(policy.target, policy.name));
}

export function describePolicy(policy: PolicyRecord): ScalingPolicy {
  return {
    ...policy.configuration,
    ...policy.target,
    PolicyARN: policy.arn,
    PolicyName: policy.name,
    PolicyType: policy.type,
    Alarms: policy.alarms,
    CreationTime: new Date(policy.createdAt),
  };
}
