// SageMaker DeleteTags: Deletes the specified tags from an SageMaker resource.
import type { DeleteTagsCommandInput, DeleteTagsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { putTags, tagsOf } from '../common/resources';
import { requireTaggedResource } from './taggedResources';

/** Keys the resource does not have are ignored. */
export async function DeleteTags(input: DeleteTagsCommandInput, context: RequestContext): Promise<OperationOutput<DeleteTagsCommandOutput>> {
  const arn = requireTaggedResource(context, input.ResourceArn ?? '');
  const removed = new Set(input.TagKeys);
  await context.store.commit([putTags(context, arn, tagsOf(context, arn).filter((tag) => !removed.has(tag.Key ?? '')))]);
  return {};
}
