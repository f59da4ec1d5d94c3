import type { StopProcessingJobCommandInput, StopProcessingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../operations';
import { stopJob } from './jobs';
import { processingJobs } from './processingJobs';

export async function stopProcessingJob(
  input: StopProcessingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<StopProcessingJobCommandOutput>> {
  await stopJob(context, processingJobs, input.ProcessingJobName, context.runtimes.processing);
  return {};
}
