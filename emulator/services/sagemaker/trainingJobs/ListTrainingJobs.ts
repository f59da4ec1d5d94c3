// SageMaker ListTrainingJobs: Lists training jobs.
import type { ListTrainingJobsCommandInput, ListTrainingJobsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { defineListing } from '../common/listing';
import { jobName, summarizeTrainingJob, trainingJobs } from './records';

const listing = defineListing('ListTrainingJobs', trainingJobs, (job) => ({
  name: jobName(job),
  createdAt: job.createdAt,
  lastModifiedAt: job.lastModifiedAt,
  status: job.status,
}));

export async function ListTrainingJobs(
  input: ListTrainingJobsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListTrainingJobsCommandOutput>> {
  const { page, nextToken } = listing.page(context, input);
  return { TrainingJobSummaries: page.map(summarizeTrainingJob), NextToken: nextToken };
}
