// The transform runtime's access to transform job records: it reads the request (and the model as
// it was when the job was created) and moves the job through its states, outside any API request.
import type { RegionalScope } from '../../operations';
import type { TransformJobDriver } from '../../runtime/transformRun';
import type { JobRepository } from '../../runtime/jobRepository';
import { jobRepository } from './jobRepository';
import type { Store } from '../../store/store';
import { advanceJob } from './jobStatus';
import { findResource, putResource } from './resources';
import { transformJobName, transformJobs, type TransformJobRecord } from './transformJobs';

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
