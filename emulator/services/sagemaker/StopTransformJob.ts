import type { StopTransformJobCommandInput, StopTransformJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../operations';
import { stopJob } from './jobs';
import { transformJobs } from './transformJobs';

export async function stopTransformJob(
  input: StopTransformJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<StopTransformJobCommandOutput>> {
  await stopJob(context, transformJobs, input.TransformJobName, context.runtimes.transform);
  return {};
}
