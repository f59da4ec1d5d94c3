// The endpoint state machine. Operations start the moves a client asks for (create, update, delete);
// the endpoint runtime completes them once instances serve or fail, through the functions marked
// "Runtime" below. This module is the single place that says which moves are legal and stamps the
// times; it keeps no record of its own (endpointRecords.ts stores it inside the endpoint record).
//
//   Creating ──▶ InService ──▶ Updating ──▶ InService      (a failed update rolls back to InService
//      │             │            │                         with a FailureReason, as SageMaker does)
//      ▼             ▼            ▼
//    Failed ──▶   Deleting  ◀─────┘        (an endpoint with no instance yet is deleted at once)
import type { EndpointStatus } from '@aws-sdk/client-sagemaker';

// The records' shapes are the runtime's contract (what it reads of an endpoint), defined there.
import type { EndpointProgress, VariantProgress } from '../../../runtime/endpoints/endpointRuntime';

/** Moves allowed from each status; the statuses AWS reports for its own maintenance are never entered. */
const ALLOWED_NEXT: Record<EndpointStatus, readonly EndpointStatus[]> = {
  Creating: ['InService', 'Failed', 'Deleting'],
  InService: ['Updating', 'Deleting'],
  Updating: ['InService', 'Deleting'],
  Failed: ['Deleting'],
  Deleting: [],
  OutOfService: [],
  SystemUpdating: [],
  RollingBack: [],
  UpdateRollbackFailed: [],
};

/** A new endpoint: Creating, with the variants of its configuration desired and none serving yet. */
export function creatingEndpoint(configName: string, variants: VariantProgress[], at: Date): EndpointProgress {
  return { status: 'Creating', configName, variants, lastModifiedAt: at.getTime() };
}

/** UpdateEndpoint: deploy another configuration. */
export function updatingEndpoint<T extends EndpointProgress>(endpoint: T, configName: string, variants: VariantProgress[], at: Date): T {
  return { ...move(endpoint, 'Updating', at), pendingDeployment: { configName, variants, startedAt: at.getTime() } };
}

/** UpdateEndpointWeightsAndCapacities: new desired weights and instance counts for some variants. */
export function updatingVariants<T extends EndpointProgress>(
  endpoint: T,
  changes: ReadonlyMap<string, { weight?: number; instanceCount?: number }>,
  at: Date,
): T {
  const variants = endpoint.variants.map((variant) => {
    const change = changes.get(variant.name);
    return change
      ? { ...variant, desiredWeight: change.weight ?? variant.desiredWeight, desiredInstanceCount: change.instanceCount ?? variant.desiredInstanceCount }
      : variant;
  });
  return { ...move(endpoint, 'Updating', at), variants };
}

/** Whether the endpoint has instances to release before it is gone (else DeleteEndpoint removes it at once). */
export function hasInstances(endpoint: EndpointProgress): boolean {
  return endpoint.variants.some((variant) => (variant.currentInstanceCount ?? 0) > 0);
}

export function deletingEndpoint<T extends EndpointProgress>(endpoint: T, at: Date): T {
  return move(endpoint, 'Deleting', at);
}

/** Runtime: the instances serve what was asked for (created, or updated). */
export function endpointInService<T extends EndpointProgress>(endpoint: T, at: Date): T {
  const deployed = endpoint.pendingDeployment ?? { configName: endpoint.configName, variants: endpoint.variants };
  return {
    ...move(endpoint, 'InService', at),
    pendingDeployment: undefined,
    configName: deployed.configName,
    variants: deployed.variants.map((variant) => ({
      ...variant,
      currentWeight: variant.desiredWeight,
      currentInstanceCount: variant.desiredInstanceCount,
    })),
    failureReason: undefined,
  };
}

/**
 * Runtime: creating or updating failed. A new endpoint fails; an update is rolled back, leaving the
 * endpoint InService with what served before and the reason.
 */
export function endpointFailed<T extends EndpointProgress>(endpoint: T, reason: string, at: Date): T {
  if (endpoint.status === 'Creating') return { ...move(endpoint, 'Failed', at), failureReason: reason };
  return {
    ...move(endpoint, 'InService', at),
    pendingDeployment: undefined,
    variants: endpoint.variants.map((variant) => ({
      ...variant,
      desiredWeight: variant.currentWeight ?? variant.desiredWeight,
      desiredInstanceCount: variant.currentInstanceCount ?? variant.desiredInstanceCount,
    })),
    failureReason: reason,
  };
}

/**
 * Throws on a move the state machine does not allow (a runtime bug, not a client error: operations
 * check the status first and answer with AWS's error).
 */
function move<T extends EndpointProgress>(endpoint: T, next: EndpointStatus, at: Date): T {
  if (!ALLOWED_NEXT[endpoint.status].includes(next)) throw new Error(`endpoint cannot go from ${endpoint.status} to ${next}`);
  return { ...endpoint, status: next, lastModifiedAt: at.getTime() };
}
