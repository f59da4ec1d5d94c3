// S3 CreateBucket: This action creates an Amazon S3 bucket.
import type { CreateBucketCommandInput, CreateBucketCommandOutput } from '@aws-sdk/client-s3';
import { AwsError } from '../../../errors';
import type { OperationOutput, RequestContext } from '../../../operations';
import { findBucket, putBucket } from '../state';

export async function createBucket(
  input: CreateBucketCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CreateBucketCommandOutput>> {
  const name = input.Bucket ?? '';
  if (!isValidBucketName(name)) {
    throw new AwsError('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
  }
  const constraint = input.CreateBucketConfiguration?.LocationConstraint;
  if (constraint !== undefined && constraint !== context.region) {
    throw new AwsError(
      'IllegalLocationConstraintException',
      400,
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  const existing = findBucket(context.store, name);
  // Unlike S3 in us-east-1 (which answers 200 for legacy reasons), every region answers 409 here.
  if (existing?.ownerAccountId === context.accountId) {
    throw new AwsError('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', {
      BucketName: name,
    });
  }
  if (existing) {
    throw new AwsError(
      'BucketAlreadyExists',
      409,
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      { BucketName: name },
    );
  }
  await context.store.commit([
    putBucket({ name, ownerAccountId: context.accountId, region: context.region, createdAt: context.now().getTime() }),
  ]);
  return { Location: `/${name}` };
}

/** The naming rules of general purpose buckets. */
function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)
  );
}
