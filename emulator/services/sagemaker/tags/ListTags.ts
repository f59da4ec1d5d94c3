// SageMaker ListTags: Returns the tags for the specified SageMaker resource.
import type { ListTagsCommandInput, ListTagsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { tagsOf } from '../common/resources';
import { requireTaggedResource } from './taggedResources';

/** A resource has at most 50 tags and MaxResults is at least 50, so there is only ever one page. */
export async function ListTags(input: ListTagsCommandInput, context: RequestContext): Promise<OperationOutput<ListTagsCommandOutput>> {
  return { Tags: tagsOf(context, requireTaggedResource(context, input.ResourceArn ?? '')) };
}
