import type { CreateTrainingJobCommandInput, CreateTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../operations';
import { claimName, createResource } from './resources';
import { type TrainingJobRecord, trainingJobs } from './trainingJobs';
import { startedTrainingJob } from './trainingJobState';

/** SageMaker's default when StoppingCondition is omitted: one day. */
const DEFAULT_MAX_RUNTIME_SECONDS = 86400;

export async function createTrainingJob(
  input: CreateTrainingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CreateTrainingJobCommandOutput>> {
  const { Tags: tags, ...request } = input;
  const now = context.now();
  const job: TrainingJobRecord = {
    ...startedTrainingJob(now),
    request: { ...request, StoppingCondition: request.StoppingCondition ?? { MaxRuntimeInSeconds: DEFAULT_MAX_RUNTIME_SECONDS } },
    arn: claimName(context, trainingJobs, input.TrainingJobName ?? ''),
    createdAt: now.getTime(),
  };
  await context.store.commit(createResource(context, trainingJobs, job, tags));
  context.runtimes.training.submit(job.arn);
  return { TrainingJobArn: job.arn };
}
