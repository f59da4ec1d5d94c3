import type { CreateTrainingJobCommandInput, CreateTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { AwsError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import { sagemakerArn } from './arns';
import { findTrainingJob, putTrainingJob, type TrainingJobRecord } from './trainingJobs';
import { startedTrainingJob } from './trainingJobState';

/** SageMaker's default when StoppingCondition is omitted: one day. */
const DEFAULT_MAX_RUNTIME_SECONDS = 86400;

export async function createTrainingJob(
  input: CreateTrainingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CreateTrainingJobCommandOutput>> {
  const name = input.TrainingJobName ?? '';
  const existing = findTrainingJob(context, name);
  if (existing) {
    throw new AwsError(
      'ResourceInUse',
      400,
      `Training job names must be unique within an AWS account and region, and a training job with this name already exists (${existing.arn})`,
    );
  }
  const job: TrainingJobRecord = {
    ...startedTrainingJob(context.now()),
    request: { ...input, StoppingCondition: input.StoppingCondition ?? { MaxRuntimeInSeconds: DEFAULT_MAX_RUNTIME_SECONDS } },
    arn: sagemakerArn(context, 'training-job', name),
    createdAt: context.now().getTime(),
  };
  await context.store.commit([putTrainingJob(context, job)]);
  return { TrainingJobArn: job.arn };
}
