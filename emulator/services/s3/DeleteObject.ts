// S3 DeleteObject: Removes an object from a bucket.
import type { DeleteObjectCommandInput, DeleteObjectCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { removeObjects, requireBucket } from './state';

/** Deleting a key that does not exist succeeds too, as in S3. */
export async function deleteObject(
  input: DeleteObjectCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DeleteObjectCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  await removeObjects(context, bucket.name, [input.Key ?? '']);
  return {};
}
