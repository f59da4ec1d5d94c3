// SageMaker DescribeTransformJob: Returns information about a transform job.
import type { DescribeTransformJobCommandInput, DescribeTransformJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { requireResource } from '../common/resources';
import { describeTransformJob as describe, transformJobs } from './records';

export async function DescribeTransformJob(
  input: DescribeTransformJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeTransformJobCommandOutput>> {
  return describe(requireResource(context, transformJobs, input.TransformJobName));
}
