// Training jobs as the views and commands see them: one page of summaries at a time, newest first,
// and the full description on demand.
import type {
  CreateTrainingJobCommandInput,
  DescribeTrainingJobCommandOutput,
  SageMakerClient,
  TrainingJobStatus,
} from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';
import { about, type ResourceRef } from '../failures/resources';
import { exists } from './names';

export interface TrainingJobSummary {
  name: string;
  arn: string;
  status: TrainingJobStatus;
  createdAt?: Date;
  endedAt?: Date;
}

export interface TrainingJobPage {
  jobs: TrainingJobSummary[];
  nextToken?: string;
}

export async function listTrainingJobs(
  sageMaker: SageMakerClient,
  nextToken?: string,
  pageSize = 50,
  status?: TrainingJobStatus,
): Promise<TrainingJobPage> {
  const { ListTrainingJobsCommand } = await loadSdk();
  const page = await sageMaker.send(
    new ListTrainingJobsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: pageSize, NextToken: nextToken, StatusEquals: status }),
  );
  return {
    jobs: (page.TrainingJobSummaries ?? []).map((summary) => ({
      name: summary.TrainingJobName!,
      arn: summary.TrainingJobArn!,
      status: summary.TrainingJobStatus!,
      createdAt: summary.CreationTime,
      endedAt: summary.TrainingEndTime,
    })),
    nextToken: page.NextToken,
  };
}

export type TrainingJobDescription = Omit<DescribeTrainingJobCommandOutput, '$metadata'>;

export async function describeTrainingJob(sageMaker: SageMakerClient, name: string): Promise<TrainingJobDescription> {
  const { DescribeTrainingJobCommand } = await loadSdk();
  const { $metadata: _metadata, ...description } = await about(
    { kind: 'trainingJob', name },
    sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name })),
  );
  return description;
}

export function isActive(status: TrainingJobStatus): boolean {
  return status === 'InProgress' || status === 'Stopping';
}

/** SageMaker stops only a job in progress (StopTrainingJob refuses the others with a ValidationException). */
export function isStoppable(status: TrainingJobStatus): boolean {
  return status === 'InProgress';
}

export async function stopTrainingJob(sageMaker: SageMakerClient, name: string): Promise<void> {
  const { StopTrainingJobCommand } = await loadSdk();
  await about({ kind: 'trainingJob', name }, sageMaker.send(new StopTrainingJobCommand({ TrainingJobName: name })));
}

export async function createTrainingJob(sageMaker: SageMakerClient, input: CreateTrainingJobCommandInput): Promise<void> {
  const { CreateTrainingJobCommand } = await loadSdk();
  await about({ kind: 'trainingJob', name: input.TrainingJobName ?? '' }, sageMaker.send(new CreateTrainingJobCommand(input)));
}

/** The training job called `name`, if there is one: job names are used once per account and region. */
export async function trainingJobNameHolder(sageMaker: SageMakerClient, name: string): Promise<ResourceRef | undefined> {
  const { DescribeTrainingJobCommand } = await loadSdk();
  return (await exists(sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name })))) ? { kind: 'trainingJob', name } : undefined;
}
