// Scalable targets: what they are keyed by, their record, and what DescribeScalableTargets shows. The
// emulator scales SageMaker endpoint variants only (sagemakerVariants.ts checks the resource).
import type { RegisterScalableTargetCommandInput, ScalableDimension, ScalableTarget, ServiceNamespace } from '@aws-sdk/client-application-auto-scaling';
import { type RegionalScope, regionalPartition } from '../../regionalScope';
import { defineTable, put, remove, type Store } from '../../store/store';
import type { Change } from '../../store/logFormat';

/** What names a scalable target, and everything attached to it. */
export interface TargetId {
  ServiceNamespace: ServiceNamespace;
  ResourceId: string;
  ScalableDimension: ScalableDimension;
}

export interface TargetRecord {
  id: TargetId;
  arn: string;
  minCapacity: number;
  maxCapacity: number;
  roleArn: string;
  suspendedState: NonNullable<RegisterScalableTargetCommandInput['SuspendedState']>;
  tags?: Record<string, string>;
  /** Epoch milliseconds. */
  createdAt: number;
}

const targets = defineTable<TargetRecord>('applicationAutoScaling.targets');

/** The target a Register, Deregister, PutScalingPolicy or DeleteScalingPolicy request names. */
export function targetIdOf(input: Partial<TargetId>): TargetId {
  return { ServiceNamespace: required(input.ServiceNamespace), ResourceId: required(input.ResourceId), ScalableDimension: required(input.ScalableDimension) };
}

/** These requests' models require the three members, and inputs reach handlers validated. */
function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a member the model requires is missing from a validated request');
  return value;
}

/** As AWS's messages name a target. */
export function describeTarget(id: TargetId): string {
  return `service namespace: ${id.ServiceNamespace}, resource ID: ${id.ResourceId}, scalable dimension: ${id.ScalableDimension}`;
}

/** Also the prefix of the keys of the target's policies. */
export function targetKey(id: TargetId): string {
  return [id.ServiceNamespace, id.ResourceId, id.ScalableDimension].join('\n');
}

export function findTarget(context: RegionalScope, id: TargetId): TargetRecord | undefined {
  return context.store.get(targets, regionalPartition(context), targetKey(id));
}

export function allTargets(context: RegionalScope): TargetRecord[] {
  return context.store.entries(targets, regionalPartition(context)).map(([, target]) => target);
}

/** Every account's and region's targets (the autoscaler evaluates them all). */
export function everyTarget(store: Store): Iterable<TargetRecord> {
  return store.scan(targets);
}

export function putTarget(context: RegionalScope, target: TargetRecord): Change {
  return put(targets, regionalPartition(context), targetKey(target.id), target);
}

export function removeTarget(context: RegionalScope, target: TargetRecord): Change {
  return remove(targets, regionalPartition(context), targetKey(target.id));
}

/** Whether a Describe* request's ResourceId(s) and ScalableDimension filters keep `id`. */
export function matchesFilters(id: TargetId, filters: { ServiceNamespace?: string; ResourceIds?: string[]; ScalableDimension?: string }): boolean {
  return (
    id.ServiceNamespace === filters.ServiceNamespace &&
    (filters.ResourceIds === undefined || filters.ResourceIds.includes(id.ResourceId)) &&
    (filters.ScalableDimension === undefined || filters.ScalableDimension === id.ScalableDimension)
  );
}

export function describeScalableTarget(target: TargetRecord): ScalableTarget {
  return {
    ...target.id,
    MinCapacity: target.minCapacity,
    MaxCapacity: target.maxCapacity,
    RoleARN: target.roleArn,
    CreationTime: new Date(target.createdAt),
    SuspendedState: target.suspendedState,
    ScalableTargetARN: target.arn,
  };
}
