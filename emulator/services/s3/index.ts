// S3's operation table: operation name → handler. Operations of the model missing here answer NotImplemented.
import type { OperationTable } from '../../operations';
import { abortMultipartUpload } from './AbortMultipartUpload';
import { bucketConfigurationOperations } from './bucketConfiguration';
import { completeMultipartUpload } from './CompleteMultipartUpload';
import { copyObject } from './CopyObject';
import { createBucket } from './CreateBucket';
import { createMultipartUpload } from './CreateMultipartUpload';
import { deleteBucket } from './DeleteBucket';
import { deleteObject } from './DeleteObject';
import { deleteObjects } from './DeleteObjects';
import { getObject } from './GetObject';
import { getObjectTagging } from './GetObjectTagging';
import { headBucket } from './HeadBucket';
import { headObject } from './HeadObject';
import { listBuckets } from './ListBuckets';
import { listMultipartUploads } from './ListMultipartUploads';
import { listObjects } from './ListObjects';
import { listObjectsV2 } from './ListObjectsV2';
import { listParts } from './ListParts';
import { putObject } from './PutObject';
import { uploadPart } from './UploadPart';
import { uploadPartCopy } from './UploadPartCopy';

export const s3Operations: OperationTable = {
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
