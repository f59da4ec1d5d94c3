// SageMaker DescribeTrainingJob: Returns information about a training job.
import type { DescribeTrainingJobCommandInput, DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { requireResource } from '../common/resources';
import { describeTrainingJob as describe, trainingJobs } from './records';

export async function DescribeTrainingJob(
  input: DescribeTrainingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeTrainingJobCommandOutput>> {
  return describe(requireResource(context, trainingJobs, input.TrainingJobName));
}
