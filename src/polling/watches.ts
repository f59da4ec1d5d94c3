// The resources more than one surface follows, each under one poller key so that they share its
// reads: a training job's description (its panel and its log editor).
import type { PollOutcome, PollWatch } from './poller';
import type { PollSchedule } from './schedules';
import { describeTrainingJob, type TrainingJobDescription } from '../pipeline/trainingJobs';
import type { Services } from '../services';

export function trainingJobKey(name: string): string {
  return `sagemaker/trainingJob/${name}`;
}

/** Follows DescribeTrainingJob of `name`, read once per tick for every surface that follows it. */
export function watchTrainingJob(
  services: Pick<Services, 'connection' | 'poller'>,
  name: string,
  listener: (outcome: PollOutcome<TrainingJobDescription>) => void,
  schedule: PollSchedule,
): PollWatch {
  return services.poller.watch(
    trainingJobKey(name),
    async () => describeTrainingJob(await services.connection.clients.sageMaker(), name),
    (outcome) => {
      services.connection.report('error' in outcome ? outcome.error : undefined);
      listener(outcome);
    },
    schedule,
  );
}
