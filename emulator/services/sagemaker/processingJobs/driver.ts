// The processing runtime's access to processing job records: it reads the request and moves the job
// through its states, outside any API request. Each change is durable before it resolves.
import type { RegionalScope } from '../../../regionalScope';
import type { ProcessingJobDriver } from '../../../runtime/jobs/processingRun';
import type { JobRepository } from '../../../runtime/jobs/jobRepository';
import { jobRepository } from '../common/jobDrivers';
import type { Store } from '../../../store/store';
import { advanceJob } from '../common/jobStatus';
import { processingJobName, processingJobs, type ProcessingJobRecord } from './records';
import { findResource, putResource } from '../common/resources';

export function processingJobRepository(store: Store): JobRepository<ProcessingJobDriver> {
  return jobRepository(store, processingJobs, jobDriver);
}

function jobDriver(scope: RegionalScope, initial: ProcessingJobRecord): ProcessingJobDriver {
  const current = () => findResource(scope, processingJobs, processingJobName(initial)) ?? initial;
  return {
    request: initial.request,
    arn: initial.arn,
    region: scope.region,
    status: initial.status,
    started: initial.startedAt !== undefined,
    async advance(status, details = {}) {
      const job = current();
      // The start of the work: a job stopped meanwhile (StopProcessingJob) is not moved back.
      if (status === 'InProgress' && job.status !== 'InProgress') return;
      const advanced = advanceJob(job, status, new Date(), { failureReason: details.failureReason });
      await scope.store.commit([putResource(scope, processingJobs, { ...advanced, exitMessage: details.exitMessage ?? job.exitMessage })]);
    },
  };
}
