// SageMaker CreateTrainingJob: Starts a model training job.
import type { CreateTrainingJobCommandInput, CreateTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { claimName, createResource } from '../common/resources';
import { type TrainingJobRecord, trainingJobs } from './records';
import { startedTrainingJob } from './state';

/** SageMaker's default when StoppingCondition is omitted: one day. */
const DEFAULT_MAX_RUNTIME_SECONDS = 86400;

export async function CreateTrainingJob(
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
