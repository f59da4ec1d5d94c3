// Training jobs as the views and commands see them: one page of summaries at a time, newest first,
// and the full description on demand.
import type {
  CreateTrainingJobCommandInput,
  DescribeTrainingJobCommandOutput,
  SageMakerClient,
  TrainingJobStatus,
} from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';

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
): Promise<TrainingJobPage> {
  const { ListTrainingJobsCommand } = await loadSdk();
  const page = await sageMaker.send(
    new ListTrainingJobsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: pageSize, NextToken: nextToken }),
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
  const { $metadata: _metadata, ...description } = await sageMaker.send(
    new DescribeTrainingJobCommand({ TrainingJobName: name }),
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
  await sageMaker.send(new StopTrainingJobCommand({ TrainingJobName: name }));
}

export async function createTrainingJob(sageMaker: SageMakerClient, input: CreateTrainingJobCommandInput): Promise<void> {
  const { CreateTrainingJobCommand } = await loadSdk();
  await sageMaker.send(new CreateTrainingJobCommand(input));
}
