// What the job runtimes' repositories share: a job's driver by ARN (in the ARN's account and region)
// and the jobs a previous emulator process left InProgress or Stopping.
import type { RegionalScope } from '../../../regionalScope';
import type { JobRepository } from '../../../runtime/jobs/jobRepository';
import type { Store } from '../../../store/store';
import { parseSagemakerArn } from './arns';
import { findResource, type ResourceKind, type ResourceRecord } from './resources';

export function jobRepository<Record extends ResourceRecord & { status: string }, Driver>(
  store: Store,
  kind: ResourceKind<Record>,
  makeDriver: (scope: RegionalScope, record: Record) => Driver,
): JobRepository<Driver> {
  return {
    activeJobs: () =>
      [...store.scan(kind.table)]
        .filter((job) => job.status === 'InProgress' || job.status === 'Stopping')
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((job) => job.arn),
    driver(arn) {
      const parsed = parseSagemakerArn(arn);
      if (!parsed) return undefined;
      const scope: RegionalScope = { store, accountId: parsed.accountId, region: parsed.region };
      const record = findResource(scope, kind, parsed.resourceId);
      return record && makeDriver(scope, record);
    },
  };
}
