// SageMaker ListProcessingJobs: Lists processing jobs that satisfy various filters.
import type { ListProcessingJobsCommandInput, ListProcessingJobsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { defineJobListing } from '../common/jobs';
import { processingJobName, processingJobs, summarizeProcessingJob } from './records';

// AWS documents this listing's default order as Ascending, unlike the other job listings.
const listing = defineJobListing(processingJobs, processingJobName, 'Ascending');

export async function ListProcessingJobs(
  input: ListProcessingJobsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListProcessingJobsCommandOutput>> {
  const { page, nextToken } = listing.page(context, input);
  return { ProcessingJobSummaries: page.map(summarizeProcessingJob), NextToken: nextToken };
}
