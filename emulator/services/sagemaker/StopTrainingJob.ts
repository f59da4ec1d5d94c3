import type { StopTrainingJobCommandInput, StopTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { validationError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import { putTrainingJob, requireTrainingJob } from './trainingJobs';
import { advanceTrainingJob } from './trainingJobState';

export async function stopTrainingJob(
  input: StopTrainingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<StopTrainingJobCommandOutput>> {
  const job = requireTrainingJob(context, input.TrainingJobName);
  if (job.status !== 'InProgress') {
    throw validationError(`The request was rejected because the training job is in status ${job.status}.`);
  }
  const now = context.now();
  const stopping = advanceTrainingJob(job, 'Stopping', now);
  // No process runs jobs yet, so the stop completes at once; with a runtime, Stopped follows its exit.
  const stopped = advanceTrainingJob(stopping, 'Stopped', now);
  await context.store.commit([putTrainingJob(context, stopped)]);
  return {};
}
