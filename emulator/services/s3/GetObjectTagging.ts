// S3 GetObjectTagging: This operation is not supported for directory buckets.
import type { GetObjectTaggingCommandInput, GetObjectTaggingCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { noSuchKey } from './errors';
import { objects, requireBucket } from './state';

/**
 * Objects here carry no tags (`x-amz-tagging` is not kept), so every object's tag set is empty. The
 * AWS CLI asks for it when it copies an object in parts, to copy its tags along.
 */
export async function getObjectTagging(
  input: GetObjectTaggingCommandInput,
  context: RequestContext,
): Promise<OperationOutput<GetObjectTaggingCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  if (!context.store.get(objects, bucket.name, input.Key ?? '')) throw noSuchKey(input.Key ?? '');
  return { TagSet: [] };
}
