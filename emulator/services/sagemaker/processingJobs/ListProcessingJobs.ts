// SageMaker ListProcessingJobs: Lists processing jobs that satisfy various filters.
import type { ListProcessingJobsCommandInput, ListProcessingJobsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { listJobs } from '../common/jobs';
import { processingJobName, processingJobs, summarizeProcessingJob } from './records';

export async function ListProcessingJobs(
  input: ListProcessingJobsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListProcessingJobsCommandOutput>> {
  // AWS documents this listing's default order as Ascending, unlike the other job listings.
  const { page, nextToken } = listJobs(context, processingJobs, processingJobName, input, 'Ascending');
  return { ProcessingJobSummaries: page.map(summarizeProcessingJob), NextToken: nextToken };
}
