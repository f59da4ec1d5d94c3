// The training runtime's access to training job records: it reads the request and moves the job
// through its state machine, outside any API request. Each change is durable before it resolves.
import type { Store } from '../../store/store';
import type { TrainingJobDriver } from '../../runtime/trainingRun';
import type { TrainingJobRepository } from '../../runtime/trainingRuntime';
import { parseSagemakerArn } from './arns';
import type { RegionalScope } from '../../operations';
import { findResource, putResource } from './resources';
import { jobName, trainingJobs, type TrainingJobRecord } from './trainingJobs';
import { advanceTrainingJob } from './trainingJobState';

export function trainingJobRepository(store: Store): TrainingJobRepository {
  return {
    activeJobs: () =>
      [...store.scan(trainingJobs.table)]
        .filter((job) => job.status === 'InProgress' || job.status === 'Stopping')
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((job) => job.arn),
    driver(arn) {
      const parsed = parseSagemakerArn(arn);
      if (!parsed) return undefined;
      const scope: RegionalScope = { store, accountId: parsed.accountId, region: parsed.region };
      const initial = findResource(scope, trainingJobs, parsed.resourceId);
      return initial && jobDriver(scope, initial);
    },
  };
}

function jobDriver(scope: RegionalScope, initial: TrainingJobRecord): TrainingJobDriver {
  const current = () => findResource(scope, trainingJobs, jobName(initial)) ?? initial;
  const save = (job: TrainingJobRecord) => scope.store.commit([putResource(scope, trainingJobs, job)]);
  return {
    request: initial.request,
    arn: initial.arn,
    secondaryStatus: initial.secondaryStatus,
    region: scope.region,
    async advance(status, details) {
      const job = current();
      if (job.secondaryStatus === status) return; // e.g. Stopping, already set by StopTrainingJob
      await save(advanceTrainingJob(job, status, new Date(), details));
    },
    async record(results) {
      await save({ ...current(), results });
    },
  };
}
