// SageMaker CreateProcessingJob: Creates a processing job.
import type { CreateProcessingJobCommandInput, CreateProcessingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { createJob } from '../common/jobs';
import { processingJobs } from './records';

export async function CreateProcessingJob(
  input: CreateProcessingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CreateProcessingJobCommandOutput>> {
  const { Tags: tags, ...request } = input;
  const arn = await createJob(context, processingJobs, input.ProcessingJobName ?? '', request, tags);
  context.runtimes.processing.submit(arn);
  return { ProcessingJobArn: arn };
}
