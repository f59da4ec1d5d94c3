// SageMaker ListTransformJobs: Lists transform jobs.
import type { ListTransformJobsCommandInput, ListTransformJobsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { defineJobListing } from '../common/jobs';
import { summarizeTransformJob, transformJobName, transformJobs } from './records';

const listing = defineJobListing(transformJobs, transformJobName, 'Descending');

export async function ListTransformJobs(
  input: ListTransformJobsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListTransformJobsCommandOutput>> {
  const { page, nextToken } = listing.page(context, input);
  return { TransformJobSummaries: page.map(summarizeTransformJob), NextToken: nextToken };
}
