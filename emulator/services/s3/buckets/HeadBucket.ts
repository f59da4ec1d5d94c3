// S3 HeadBucket: You can use this operation to determine if a bucket exists and if you have permission to
// access it.
import type { HeadBucketCommandInput, HeadBucketCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../../operations';
import { requireBucket } from '../state';

export async function headBucket(
  input: HeadBucketCommandInput,
  context: RequestContext,
): Promise<OperationOutput<HeadBucketCommandOutput>> {
  return { BucketRegion: requireBucket(context, input.Bucket).region };
}
