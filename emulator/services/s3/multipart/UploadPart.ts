// S3 UploadPart: Uploads a part in a multipart upload.
import type { UploadPartCommandInput, UploadPartCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../../operations';
import { checksumMember } from '../checksums';
import { invalidRequest } from '../errors';
import { requestedChecksumAlgorithms, storeBody } from '../objectBodies';
import { commitPart, requirePartTarget } from './uploads';

/**
 * Stores a part like PutObject stores a body. If the upload has a checksum algorithm, the part's
 * checksum in it is kept (computed when the client sent none) for CompleteMultipartUpload.
 */
export async function uploadPart(
  input: UploadPartCommandInput,
  context: RequestContext,
): Promise<OperationOutput<UploadPartCommandOutput>> {
  const { bucket, upload, partNumber } = requirePartTarget(context, input);
  const algorithm = upload.checksum?.algorithm;
  const other = algorithm && requestedChecksumAlgorithms(input).find((requested) => requested !== algorithm);
  if (algorithm && other) {
    throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${other.toLowerCase()}`);
  }
  const body = await storeBody(context, { ...input, ChecksumAlgorithm: algorithm ?? input.ChecksumAlgorithm });
  const part = await commitPart(context, bucket.name, upload, partNumber, body);
  return { ETag: part.etag, ...(body.checksum && { [checksumMember(body.checksum.algorithm)]: body.checksum.value }) };
}
