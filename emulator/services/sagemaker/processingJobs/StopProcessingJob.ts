// SageMaker StopProcessingJob: Stops a processing job.
import type { StopProcessingJobCommandInput, StopProcessingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { stopJob } from '../common/jobs';
import { processingJobs } from './records';

export async function StopProcessingJob(
  input: StopProcessingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<StopProcessingJobCommandOutput>> {
  await stopJob(context, processingJobs, input.ProcessingJobName, context.runtimes.processing);
  return {};
}
