// Whose regional resources: an account in a region, and the store partition that holds them. A
// request's context is one; a runtime that drives resources in-process (a job, an endpoint, their
// logs) makes one from the resource's ARN. Kept apart from operations.ts so that what stores
// regional records need not depend on the operation table (and, through it, on the runtimes).
import type { Store } from './store/store';

/** An account in a region. */
export interface AccountRegion {
  readonly accountId: string;
  readonly region: string;
}

/** An account in a region, and the store that holds its resources. */
export interface RegionalScope extends AccountRegion {
  readonly store: Store;
}

/** The store partition of a regional resource: resources are scoped to one account in one region. */
export function regionalPartition(context: AccountRegion): string {
  return `${context.accountId}:${context.region}`;
}
