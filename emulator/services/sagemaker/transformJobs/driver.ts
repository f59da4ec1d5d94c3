// The transform runtime's access to transform job records: it reads the request (and the model as
// it was when the job was created) and moves the job through its states, outside any API request.
import type { RegionalScope } from '../../../regionalScope';
import type { TransformJobDriver } from '../../../runtime/jobs/transformRun';
import type { JobRepository } from '../../../runtime/jobs/jobRepository';
import { jobRepository } from '../common/jobDrivers';
import type { Store } from '../../../store/store';
import { advanceJob } from '../common/jobStatus';
import { findResource, putResource } from '../common/resources';
import { transformJobName, transformJobs, type TransformJobRecord } from './records';

export function transformJobRepository(store: Store): JobRepository<TransformJobDriver> {
  return jobRepository(store, transformJobs, jobDriver);
}

function jobDriver(scope: RegionalScope, initial: TransformJobRecord): TransformJobDriver {
  const current = () => findResource(scope, transformJobs, transformJobName(initial)) ?? initial;
  return {
    request: initial.request,
    arn: initial.arn,
    model: initial.model,
    status: initial.status,
    started: initial.startedAt !== undefined,
    async advance(status, details = {}) {
      const job = current();
      // The start of the work: a job stopped meanwhile (StopTransformJob) is not moved back.
      if (status === 'InProgress' && job.status !== 'InProgress') return;
      await scope.store.commit([putResource(scope, transformJobs, advanceJob(job, status, new Date(), details))]);
    },
  };
}
