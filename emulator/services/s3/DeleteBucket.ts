import type { DeleteBucketCommandInput, DeleteBucketCommandOutput } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import { objects, removeBucket, requireBucket } from './state';

export async function deleteBucket(
  input: DeleteBucketCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DeleteBucketCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  if (context.store.count(objects, bucket.name) > 0) {
    throw new AwsError('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket.name });
  }
  await context.store.commit([removeBucket(bucket.name)]);
  return {};
}
