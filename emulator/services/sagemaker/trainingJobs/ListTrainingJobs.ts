// SageMaker ListTrainingJobs: Lists training jobs.
import type { ListTrainingJobsCommandInput, ListTrainingJobsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { listPage } from '../common/listing';
import { allResources } from '../common/resources';
import { jobName, summarizeTrainingJob, trainingJobs } from './records';

export async function ListTrainingJobs(
  input: ListTrainingJobsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListTrainingJobsCommandOutput>> {
  const { page, nextToken } = listPage(
    'ListTrainingJobs',
    allResources(context, trainingJobs),
    (job) => ({ name: jobName(job), createdAt: job.createdAt, lastModifiedAt: job.lastModifiedAt, status: job.status }),
    input,
  );
  return { TrainingJobSummaries: page.map(summarizeTrainingJob), NextToken: nextToken };
}
