// SageMaker StopTransformJob: Stops a batch transform job.
import type { StopTransformJobCommandInput, StopTransformJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { stopJob } from '../common/jobs';
import { transformJobs } from './records';

export async function StopTransformJob(
  input: StopTransformJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<StopTransformJobCommandOutput>> {
  await stopJob(context, transformJobs, input.TransformJobName, context.runtimes.transform);
  return {};
}
