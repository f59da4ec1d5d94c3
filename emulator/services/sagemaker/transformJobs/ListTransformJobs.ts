// SageMaker ListTransformJobs: Lists transform jobs.
import type { ListTransformJobsCommandInput, ListTransformJobsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { listJobs } from '../common/jobs';
import { summarizeTransformJob, transformJobName, transformJobs } from './records';

export async function ListTransformJobs(
  input: ListTransformJobsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListTransformJobsCommandOutput>> {
  const { page, nextToken } = listJobs(context, transformJobs, transformJobName, input, 'Descending');
  return { TransformJobSummaries: page.map(summarizeTransformJob), NextToken: nextToken };
}
