// The bucket (and object) configuration reads that clients make before or while they work — rclone
// probes versioning, s3cmd asks for the location, ACLs, CORS, policy and lifecycle, boto3 and the AWS
// CLI for the rest — answered as S3 answers them for a bucket created today with no configuration
// set: versioning never enabled, the owner's FULL_CONTROL ACL, SSE-S3 default encryption (since
// January 2023), Block Public Access on and BucketOwnerEnforced ownership (since April 2023), and
// the 404 that each absent configuration has. One file: each is a constant answer for an existing
// bucket, nothing more. The emulator keeps no such configuration; the Put… operations are not
// implemented (NotImplemented).
import type {
  GetBucketAccelerateConfigurationCommandOutput,
  GetBucketAclCommandOutput,
  GetBucketEncryptionCommandOutput,
  GetBucketLocationCommandOutput,
  GetBucketLoggingCommandOutput,
  GetBucketNotificationConfigurationCommandOutput,
  GetBucketOwnershipControlsCommandOutput,
  GetBucketRequestPaymentCommandOutput,
  GetBucketVersioningCommandOutput,
  GetObjectAclCommandOutput,
  GetPublicAccessBlockCommandOutput,
} from '@aws-sdk/client-s3';
import { AwsError } from '../../../errors';
import type { OperationHandler, OperationOutput, RequestContext } from '../../../operations';
import { noSuchKey } from '../errors';
import { type BucketRecord, canonicalUserId, objects, requireBucket } from '../state';

interface BucketInput {
  Bucket?: string;
}

/** A read answered from the bucket alone. */
function read<Output>(answer: (bucket: BucketRecord) => Output): (input: BucketInput, context: RequestContext) => Promise<Output> {
  return async (input, context) => answer(requireBucket(context, input.Bucket));
}

/** A read of a configuration the bucket does not have: S3's 404 for it, naming the bucket. */
function absent(code: string, message: string): OperationHandler {
  return async (input: BucketInput, context: RequestContext) => {
    const bucket = requireBucket(context, input.Bucket);
    throw new AwsError(code, 404, message, { BucketName: bucket.name });
  };
}

/** Only the owner, with FULL_CONTROL (ACLs disabled: BucketOwnerEnforced). */
function ownerAcl(bucket: BucketRecord): OperationOutput<GetBucketAclCommandOutput> {
  const id = canonicalUserId(bucket.ownerAccountId);
  return { Owner: { ID: id }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: id }, Permission: 'FULL_CONTROL' }] };
}

export const bucketConfigurationOperations = {
  /** us-east-1 has no location constraint: the element is empty. */
  GetBucketLocation: read((bucket): OperationOutput<GetBucketLocationCommandOutput> => ({
    LocationConstraint: bucket.region === 'us-east-1' ? undefined : (bucket.region as GetBucketLocationCommandOutput['LocationConstraint']),
  })),
  /** A bucket whose versioning was never enabled has no Status. */
  GetBucketVersioning: read((): OperationOutput<GetBucketVersioningCommandOutput> => ({})),
  GetBucketAcl: read(ownerAcl),
  GetObjectAcl: async (input: BucketInput & { Key?: string }, context: RequestContext): Promise<OperationOutput<GetObjectAclCommandOutput>> => {
    const bucket = requireBucket(context, input.Bucket);
    if (!context.store.get(objects, bucket.name, input.Key ?? '')) throw noSuchKey(input.Key ?? '');
    return ownerAcl(bucket);
  },
  GetBucketEncryption: read(
    (): OperationOutput<GetBucketEncryptionCommandOutput> => ({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] },
    }),
  ),
  GetPublicAccessBlock: read(
    (): OperationOutput<GetPublicAccessBlockCommandOutput> => ({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    }),
  ),
  GetBucketOwnershipControls: read(
    (): OperationOutput<GetBucketOwnershipControlsCommandOutput> => ({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }),
  ),
  GetBucketLogging: read((): OperationOutput<GetBucketLoggingCommandOutput> => ({})),
  GetBucketNotificationConfiguration: read((): OperationOutput<GetBucketNotificationConfigurationCommandOutput> => ({})),
  GetBucketRequestPayment: read((): OperationOutput<GetBucketRequestPaymentCommandOutput> => ({ Payer: 'BucketOwner' })),
  GetBucketAccelerateConfiguration: read((): OperationOutput<GetBucketAccelerateConfigurationCommandOutput> => ({})),
  GetBucketCors: absent('NoSuchCORSConfiguration', 'The CORS configuration does not exist'),
  GetBucketLifecycleConfiguration: absent('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'),
  GetBucketPolicy: absent('NoSuchBucketPolicy', 'The bucket policy does not exist'),
  // A bucket without a policy has no policy status either.
  GetBucketPolicyStatus: absent('NoSuchBucketPolicy', 'The bucket policy does not exist'),
  GetBucketTagging: absent('NoSuchTagSet', 'The TagSet does not exist'),
  GetBucketWebsite: absent('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'),
  GetBucketReplication: absent('ReplicationConfigurationNotFoundError', 'The replication configuration was not found'),
  GetObjectLockConfiguration: absent('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket'),
};
