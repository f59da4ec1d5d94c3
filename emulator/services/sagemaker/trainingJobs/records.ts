// The training job record and its views: what DescribeTrainingJob and ListTrainingJobs return.
import type { CreateTrainingJobCommandInput, DescribeTrainingJobCommandOutput, TrainingJobSummary } from '@aws-sdk/client-sagemaker';
import type { OperationOutput } from '../../../operations';
import type { TrainingResults } from '../../../runtime/jobs/trainingRun';
import { defineResourceKind, type ResourceRecord } from '../common/resources';
import type { TrainingJobProgress } from './state';
import { optionalDate } from '../common/views';

export interface TrainingJobRecord extends ResourceRecord, TrainingJobProgress {
  /** The CreateTrainingJob request, with SageMaker's defaults filled in; its Tags live with the other tags. */
  request: Omit<CreateTrainingJobCommandInput, 'Tags'>;
  /** What the runtime reported when the job ended: model, metrics, times. */
  results?: TrainingResults;
}

export const trainingJobs = defineResourceKind<TrainingJobRecord>('sagemaker.trainingJobs', 'training-job', 'training job', 'trainingJob');

export function jobName(job: TrainingJobRecord): string {
  return job.request.TrainingJobName ?? '';
}

export function describeTrainingJob(job: TrainingJobRecord): OperationOutput<DescribeTrainingJobCommandOutput> {
  return {
    ...job.request,
    TrainingJobName: jobName(job),
    TrainingJobArn: job.arn,
    ModelArtifacts: job.results?.modelArtifacts ? { S3ModelArtifacts: job.results.modelArtifacts } : undefined,
    FinalMetricDataList: job.results?.finalMetrics?.map((metric) => ({ ...metric, Timestamp: new Date(metric.timestamp) })),
    TrainingTimeInSeconds: job.results?.trainingSeconds,
    BillableTimeInSeconds: job.results?.billableSeconds,
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
