// S3 CreateMultipartUpload: End of support notice: As of October 1, 2025, Amazon S3 has discontinued support
// for Email Grantee Access Control Lists (ACLs).
import type { CreateMultipartUploadCommandInput, CreateMultipartUploadCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../../operations';
import { put } from '../../../store/store';
import { isChecksumAlgorithm } from '../checksums';
import { invalidRequest } from '../errors';
import { objectHeaders, requireNewObjectTarget, type UploadRecord, uploads } from '../state';
import { newUploadId } from './uploads';

export async function createMultipartUpload(
  input: CreateMultipartUploadCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CreateMultipartUploadCommandOutput>> {
  const { bucket, key } = requireNewObjectTarget(context, input);
  const now = context.now();
  const upload: UploadRecord = {
    uploadId: newUploadId(now),
    key,
    initiated: now.getTime(),
    ...objectHeaders(input),
    checksum: uploadChecksum(input.ChecksumAlgorithm, input.ChecksumType),
  };
  await context.store.commit([put(uploads, bucket.name, upload.uploadId, upload)]);
  return {
    Bucket: bucket.name,
    Key: key,
    UploadId: upload.uploadId,
    ChecksumAlgorithm: upload.checksum?.algorithm,
    ChecksumType: upload.checksum?.type,
  };
}

/** A full-object checksum is combined from the parts' checksums, which only CRCs allow. */
const FULL_OBJECT_ALGORITHMS: readonly string[] = ['CRC32', 'CRC32C', 'CRC64NVME'];

/**
 * The algorithm of the parts' checksums and how the object's is made of them. S3's default type is
 * COMPOSITE, except for CRC64NVME, which has only FULL_OBJECT.
 */
function uploadChecksum(algorithm: string | undefined, type: string | undefined): UploadRecord['checksum'] {
  if (algorithm === undefined) {
    if (type !== undefined) throw invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
    return undefined;
  }
  if (!isChecksumAlgorithm(algorithm)) throw invalidRequest(`Checksum algorithm ${algorithm} is not supported.`);
  const resolvedType = type ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (resolvedType !== 'COMPOSITE' && resolvedType !== 'FULL_OBJECT') throw invalidRequest(`Checksum type ${resolvedType} is not supported.`);
  const allowed = resolvedType === 'FULL_OBJECT' ? FULL_OBJECT_ALGORITHMS.includes(algorithm) : algorithm !== 'CRC64NVME';
  if (!allowed) {
    throw invalidRequest(`The ${resolvedType} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
  }
  return { algorithm, type: resolvedType };
}
