// S3's operation table: operation name → handler. Operations of the model missing here answer NotImplemented.
import type { OperationTable } from '../../operations';
import { createBucket } from './CreateBucket';
import { deleteBucket } from './DeleteBucket';
import { deleteObject } from './DeleteObject';
import { getObject } from './GetObject';
import { headBucket } from './HeadBucket';
import { headObject } from './HeadObject';
import { listBuckets } from './ListBuckets';
import { listObjectsV2 } from './ListObjectsV2';
import { putObject } from './PutObject';

export const s3Operations: OperationTable = {
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  DeleteObject: deleteObject,
  GetObject: getObject,
  HeadBucket: headBucket,
  HeadObject: headObject,
  ListBuckets: listBuckets,
  ListObjectsV2: listObjectsV2,
  PutObject: putObject,
};
