// The training job to act on, from the palette: the region's jobs (newest first, only those in the
// statuses the command acts on), or a name typed in.
import type { TrainingJobStatus } from '@aws-sdk/client-sagemaker';
import { relativeTime } from '../format';
import { listTrainingJobs } from '../pipeline/trainingJobs';
import { nameProblem } from '../pipeline/names';
import type { Services } from '../services';
import { pickResource } from './pickResource';

/** Jobs in progress, for Stop; ended jobs, for Resume. */
export const IN_PROGRESS_JOBS: TrainingJobStatus[] = ['InProgress'];
export const ENDED_JOBS: TrainingJobStatus[] = ['Completed', 'Failed', 'Stopped'];

export async function pickTrainingJob(
  services: Pick<Services, 'connection'>,
  options: { title: string; statuses?: TrainingJobStatus[] },
): Promise<string | undefined> {
  const { connection } = services;
  const region = connection.settings.region;
  const statuses = options.statuses;
  return pickResource({
    title: options.title,
    placeholder: statuses ? `A training job that is ${statuses.join(' or ')} (or type its name)` : 'Training job name',
    load: async () => {
      const sageMaker = await connection.clients.sageMaker();
      // One status: the service filters; several: one listing filtered here.
      const page = await listTrainingJobs(sageMaker, undefined, 100, statuses?.length === 1 ? statuses[0] : undefined);
      return page.jobs
        .filter((job) => !statuses || statuses.includes(job.status))
        .map((job) => ({
          label: job.name,
          description: job.createdAt ? `${job.status} · ${relativeTime(job.createdAt)}` : job.status,
          resource: job.name,
        }));
    },
    typed: (name) => name,
    validate: nameProblem,
    nothingListed: statuses ? `No training job is ${statuses.join(' or ')} in ${region}.` : `No training jobs in ${region}.`,
  });
}
