// SageMaker DescribeProcessingJob: Returns a description of a processing job.
import type { DescribeProcessingJobCommandInput, DescribeProcessingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { describeProcessingJob as describe, processingJobs } from './records';
import { requireResource } from '../common/resources';

export async function DescribeProcessingJob(
  input: DescribeProcessingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeProcessingJobCommandOutput>> {
  return describe(requireResource(context, processingJobs, input.ProcessingJobName));
}
