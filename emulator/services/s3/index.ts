// S3's operation table: operation name → handler. Operations of the model missing here answer NotImplemented.
import type { OperationHandler, OperationTable, RequestContext } from '../../operations';
import { abortMultipartUpload } from './multipart/AbortMultipartUpload';
import { bucketConfigurationOperations } from './buckets/bucketConfiguration';
import { completeMultipartUpload } from './multipart/CompleteMultipartUpload';
import { copyObject } from './CopyObject';
import { createBucket } from './buckets/CreateBucket';
import { createMultipartUpload } from './multipart/CreateMultipartUpload';
import { deleteBucket } from './buckets/DeleteBucket';
import { deleteObject } from './DeleteObject';
import { deleteObjects } from './DeleteObjects';
import { getObject } from './GetObject';
import { getObjectTagging } from './GetObjectTagging';
import { headBucket } from './buckets/HeadBucket';
import { headObject } from './HeadObject';
import { listBuckets } from './buckets/ListBuckets';
import { listMultipartUploads } from './multipart/ListMultipartUploads';
import { listObjects } from './ListObjects';
import { listObjectsV2 } from './ListObjectsV2';
import { listParts } from './multipart/ListParts';
import { putObject } from './PutObject';
import { uploadPart } from './multipart/UploadPart';
import { uploadPartCopy } from './multipart/UploadPartCopy';
import { accessDenied } from './errors';
import { findBucket } from './state';

const operations: OperationTable = {
  AbortMultipartUpload: abortMultipartUpload,
  CompleteMultipartUpload: completeMultipartUpload,
  CopyObject: copyObject,
  CreateBucket: createBucket,
  CreateMultipartUpload: createMultipartUpload,
  DeleteBucket: deleteBucket,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  GetObject: getObject,
  GetObjectTagging: getObjectTagging,
  HeadBucket: headBucket,
  HeadObject: headObject,
  ListBuckets: listBuckets,
  ListMultipartUploads: listMultipartUploads,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListParts: listParts,
  PutObject: putObject,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  ...bucketConfigurationOperations,
};

interface OwnerExpectations {
  Bucket?: string;
  ExpectedBucketOwner?: string;
  CopySource?: string;
  ExpectedSourceBucketOwner?: string;
}

/**
 * `x-amz-expected-bucket-owner` (and `x-amz-source-expected-bucket-owner` for a copy's source), which
 * the SDKs send to make sure a bucket is whose they think (the SageMaker Python SDK does for its
 * default bucket): a bucket of another account is refused with 403 AccessDenied, as S3 refuses it.
 */
function checkingExpectedOwners(handler: OperationHandler): OperationHandler {
  return async (input: OwnerExpectations, context: RequestContext) => {
    const owner = (bucket: string | undefined) => (bucket === undefined ? undefined : findBucket(context.store, bucket)?.ownerAccountId);
    const mismatch = (bucket: string | undefined, expected: string | undefined) => expected !== undefined && owner(bucket) !== undefined && owner(bucket) !== expected;
    const sourceBucket = input.CopySource === undefined ? undefined : decodeURIComponent(input.CopySource.replace(/^\//, '').split('/')[0]);
    if (mismatch(input.Bucket, input.ExpectedBucketOwner) || mismatch(sourceBucket, input.ExpectedSourceBucketOwner)) throw accessDenied();
    return handler(input as never, context);
  };
}

export const s3Operations: OperationTable = Object.fromEntries(Object.entries(operations).map(([name, handler]) => [name, checkingExpectedOwners(handler)]));
