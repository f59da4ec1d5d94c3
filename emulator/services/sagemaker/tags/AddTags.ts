// SageMaker AddTags: Adds or overwrites one or more tags for the specified SageMaker resource.
import type { AddTagsCommandInput, AddTagsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { putTags, tagsOf } from '../common/resources';
import { assertTagLimit, requireTaggedResource } from './taggedResources';

/** A tag whose key the resource has already replaces its value. */
export async function AddTags(input: AddTagsCommandInput, context: RequestContext): Promise<OperationOutput<AddTagsCommandOutput>> {
  const arn = requireTaggedResource(context, input.ResourceArn ?? '');
  const added = input.Tags ?? [];
  const addedKeys = new Set(added.map((tag) => tag.Key));
  const tags = [...tagsOf(context, arn).filter((tag) => !addedKeys.has(tag.Key)), ...added];
  assertTagLimit(tags.length);
  await context.store.commit([putTags(context, arn, tags)]);
  return { Tags: tags };
}
