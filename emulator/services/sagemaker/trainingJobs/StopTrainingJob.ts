// SageMaker StopTrainingJob: Stops a training job.
import type { StopTrainingJobCommandInput, StopTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { assertStoppable } from '../common/jobStatus';
import { putResource, requireResource } from '../common/resources';
import { trainingJobs } from './records';
import { advanceTrainingJob } from './state';

export async function StopTrainingJob(
  input: StopTrainingJobCommandInput,
  context: RequestContext,
): Promise<OperationOutput<StopTrainingJobCommandOutput>> {
  const job = requireResource(context, trainingJobs, input.TrainingJobName);
  assertStoppable(trainingJobs, job.status);
  const now = context.now();
  await context.store.commit([putResource(context, trainingJobs, advanceTrainingJob(job, 'Stopping', now))]);
  // The runtime moves a running job on to Stopped once its hosts have exited and its checkpoints
  // and model are uploaded; a job it does not run (queued, or left by a crash) stops at once.
  if (!context.runtimes.training.stop(job.arn)) {
    const stopping = requireResource(context, trainingJobs, job.arn);
    await context.store.commit([putResource(context, trainingJobs, advanceTrainingJob(stopping, 'Stopped', now))]);
  }
  return {};
}
