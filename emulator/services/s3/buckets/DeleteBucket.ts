// S3 DeleteBucket: Deletes the S3 bucket.
import type { DeleteBucketCommandInput, DeleteBucketCommandOutput } from '@aws-sdk/client-s3';
import { AwsError } from '../../../errors';
import type { OperationOutput, RequestContext } from '../../../operations';
import { objects, removeBlobs, removeBucket, requireBucket, uploads } from '../state';
import { discardUploads } from '../multipart/uploads';

/** Uploads still in progress go with the bucket: a bucket created later with its name must not inherit them. */
export async function deleteBucket(
  input: DeleteBucketCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DeleteBucketCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  if (context.store.count(objects, bucket.name) > 0) {
    throw new AwsError('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket.name });
  }
  const uploadIds = context.store.entries(uploads, bucket.name).map(([uploadId]) => uploadId);
  const discarded = discardUploads(context.store, bucket.name, uploadIds);
  await context.store.commit([removeBucket(bucket.name), ...discarded.changes]);
  await removeBlobs(context, discarded.blobs);
  return {};
}
