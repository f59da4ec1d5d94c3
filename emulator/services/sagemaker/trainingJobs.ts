// The training job record and its views: what DescribeTrainingJob and ListTrainingJobs return.
import type { CreateTrainingJobCommandInput, DescribeTrainingJobCommandOutput, TrainingJobSummary } from '@aws-sdk/client-sagemaker';
import { type OperationOutput, type RequestContext, regionalPartition } from '../../operations';
import { defineTable, put, type Change } from '../../store/store';
import { resourceNotFound } from './errors';
import type { TrainingJobProgress } from './trainingJobState';

export interface TrainingJobRecord extends TrainingJobProgress {
  /** The CreateTrainingJob request, with SageMaker's defaults filled in. */
  request: CreateTrainingJobCommandInput;
  arn: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** Keyed by lower-case name: names are unique regardless of case, as their ARNs are lower-case. */
const trainingJobs = defineTable<TrainingJobRecord>('sagemaker.trainingJobs');

export function findTrainingJob(context: RequestContext, name: string): TrainingJobRecord | undefined {
  return context.store.get(trainingJobs, regionalPartition(context), name.toLowerCase());
}

export function requireTrainingJob(context: RequestContext, name: string | undefined): TrainingJobRecord {
  const job = name === undefined ? undefined : findTrainingJob(context, name);
  if (!job) throw resourceNotFound();
  return job;
}

export function allTrainingJobs(context: RequestContext): TrainingJobRecord[] {
  return context.store.entries(trainingJobs, regionalPartition(context)).map(([, job]) => job);
}

export function putTrainingJob(context: RequestContext, job: TrainingJobRecord): Change {
  return put(trainingJobs, regionalPartition(context), jobName(job).toLowerCase(), job);
}

export function jobName(job: TrainingJobRecord): string {
  return job.request.TrainingJobName ?? '';
}

export function describeTrainingJob(job: TrainingJobRecord): OperationOutput<DescribeTrainingJobCommandOutput> {
  const { Tags: _tags, ...configuration } = job.request;
  return {
    ...configuration,
    TrainingJobName: jobName(job),
    TrainingJobArn: job.arn,
    // Set once a runtime has uploaded the job's model.
    ModelArtifacts: undefined,
    StoppingCondition: job.request.StoppingCondition,
    TrainingJobStatus: job.status,
    SecondaryStatus: job.secondaryStatus,
    FailureReason: job.failureReason,
    CreationTime: new Date(job.createdAt),
    TrainingStartTime: optionalDate(job.trainingStartedAt),
    TrainingEndTime: optionalDate(job.trainingEndedAt),
    LastModifiedTime: new Date(job.lastModifiedAt),
    SecondaryStatusTransitions: job.transitions.map((transition) => ({
      Status: transition.status,
      StartTime: new Date(transition.startTime),
      EndTime: optionalDate(transition.endTime),
      StatusMessage: transition.message,
    })),
  };
}

export function summarizeTrainingJob(job: TrainingJobRecord): TrainingJobSummary {
  return {
    TrainingJobName: jobName(job),
    TrainingJobArn: job.arn,
    CreationTime: new Date(job.createdAt),
    TrainingEndTime: optionalDate(job.trainingEndedAt),
    LastModifiedTime: new Date(job.lastModifiedAt),
    TrainingJobStatus: job.status,
    SecondaryStatus: job.secondaryStatus,
  };
}

function optionalDate(epochMilliseconds: number | undefined): Date | undefined {
  return epochMilliseconds === undefined ? undefined : new Date(epochMilliseconds);
}
