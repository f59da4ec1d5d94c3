// The transform job record and its views: what DescribeTransformJob and ListTransformJobs return.
import type { CreateTransformJobCommandInput, DescribeTransformJobCommandOutput, TransformJobSummary } from '@aws-sdk/client-sagemaker';
import type { OperationOutput } from '../../../operations';
import type { ModelDefinition } from '../../../runtime/hosts/modelFleet';
import type { JobRecord } from '../common/jobs';
import { defineResourceKind } from '../common/resources';
import { optionalDate } from '../common/views';

export interface TransformJobRecord extends JobRecord<Omit<CreateTransformJobCommandInput, 'Tags'>> {
  /** The model as it was when the job was created: the job runs it even if the model is deleted meanwhile. */
  model?: ModelDefinition;
}

export const transformJobs = defineResourceKind<TransformJobRecord>('sagemaker.transformJobs', 'transform-job', 'transform job', 'job');

export function transformJobName(job: TransformJobRecord): string {
  return job.request.TransformJobName ?? '';
}

export function describeTransformJob(job: TransformJobRecord): OperationOutput<DescribeTransformJobCommandOutput> {
  return {
    ...job.request,
    TransformJobName: transformJobName(job),
    TransformJobArn: job.arn,
    TransformJobStatus: job.status,
    FailureReason: job.failureReason,
    CreationTime: new Date(job.createdAt),
    TransformStartTime: optionalDate(job.startedAt),
    TransformEndTime: optionalDate(job.endedAt),
  };
}

export function summarizeTransformJob(job: TransformJobRecord): TransformJobSummary {
  return {
    TransformJobName: transformJobName(job),
    TransformJobArn: job.arn,
    CreationTime: new Date(job.createdAt),
    TransformEndTime: optionalDate(job.endedAt),
    LastModifiedTime: new Date(job.lastModifiedAt),
    TransformJobStatus: job.status,
    FailureReason: job.failureReason,
  };
}
