import type { DescribeTrainingJobCommandInput, DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../operations';
import { describeTrainingJob as describe, requireTrainingJob } from './trainingJobs';

export async function describeTrainingJob(
  input: DescribeTrainingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeTrainingJobCommandOutput>> {
  return describe(requireTrainingJob(context, input.TrainingJobName));
}
