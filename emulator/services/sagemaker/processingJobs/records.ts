// The processing job record and its views: what DescribeProcessingJob and ListProcessingJobs return.
import type { CreateProcessingJobCommandInput, DescribeProcessingJobCommandOutput, ProcessingJobSummary } from '@aws-sdk/client-sagemaker';
import type { OperationOutput } from '../../../operations';
import type { JobRecord } from '../common/jobs';
import { defineResourceKind } from '../common/resources';
import { optionalDate } from '../common/views';

export interface ProcessingJobRecord extends JobRecord<Omit<CreateProcessingJobCommandInput, 'Tags'>> {
  /** The first 1 KB of what the instances wrote to /opt/ml/output/message, once the job ended. */
  exitMessage?: string;
}

export const processingJobs = defineResourceKind<ProcessingJobRecord>('sagemaker.processingJobs', 'processing-job', 'processing job', 'job');

export function processingJobName(job: ProcessingJobRecord): string {
  return job.request.ProcessingJobName ?? '';
}

export function describeProcessingJob(job: ProcessingJobRecord): OperationOutput<DescribeProcessingJobCommandOutput> {
  return {
    ...job.request,
    ProcessingJobName: processingJobName(job),
    ProcessingJobArn: job.arn,
    ProcessingJobStatus: job.status,
    ExitMessage: job.exitMessage,
    FailureReason: job.failureReason,
    CreationTime: new Date(job.createdAt),
    ProcessingStartTime: optionalDate(job.startedAt),
    ProcessingEndTime: optionalDate(job.endedAt),
    LastModifiedTime: new Date(job.lastModifiedAt),
  };
}

export function summarizeProcessingJob(job: ProcessingJobRecord): ProcessingJobSummary {
  return {
    ProcessingJobName: processingJobName(job),
    ProcessingJobArn: job.arn,
    CreationTime: new Date(job.createdAt),
    ProcessingEndTime: optionalDate(job.endedAt),
    LastModifiedTime: new Date(job.lastModifiedAt),
    ProcessingJobStatus: job.status,
    FailureReason: job.failureReason,
  };
}
