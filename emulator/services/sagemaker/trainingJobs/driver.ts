// The training runtime's access to training job records: it reads the request and moves the job
// through its state machine, outside any API request. Each change is durable before it resolves.
import type { Store } from '../../../store/store';
import type { TrainingJobDriver } from '../../../runtime/jobs/trainingRun';
import type { JobRepository } from '../../../runtime/jobs/jobRepository';
import { jobRepository } from '../common/jobDrivers';
import type { RegionalScope } from '../../../regionalScope';
import { findResource, putResource } from '../common/resources';
import { jobName, trainingJobs, type TrainingJobRecord } from './records';
import { advanceTrainingJob, primaryStatus } from './state';
import { TRAINING_METRIC_NAMESPACE } from '../../../runtime/jobs/metrics';
import { publishMetrics } from '../../cloudwatch/metrics';

export function trainingJobRepository(store: Store): JobRepository<TrainingJobDriver> {
  return jobRepository(store, trainingJobs, jobDriver);
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
      // A step of the work reported after StopTrainingJob: the job stays Stopping, to end Stopped.
      if (job.status === 'Stopping' && primaryStatus(status) === 'InProgress') return;
      await save(advanceTrainingJob(job, status, new Date(), details));
    },
    async record(results) {
      await save({ ...current(), results });
    },
    publishMetrics: (samples) =>
      publishMetrics(
        scope,
        samples.map(({ name, value, timestamp, host }) => ({
          namespace: TRAINING_METRIC_NAMESPACE,
          name,
          dimensions: { Host: `${jobName(initial)}/${host}` },
          timestamp,
          value,
        })),
      ),
  };
}
