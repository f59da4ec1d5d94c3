// S3 ListParts: Lists the parts that have been uploaded for a specific multipart upload.
import type { ListPartsCommandInput, ListPartsCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../../operations';
import { checksumMember } from '../checksums';
import { invalidArgument } from '../errors';
import { canonicalUserId } from '../state';
import { requireUploadOf, uploadedParts } from './uploads';

const MAX_PARTS = 1000;

export async function listParts(
  input: ListPartsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListPartsCommandOutput>> {
  const { bucket, upload } = requireUploadOf(context, input);
  if (input.MaxParts !== undefined && input.MaxParts < 0) {
    throw invalidArgument('Argument max-parts must be an integer between 0 and 2147483647', 'max-parts', String(input.MaxParts));
  }
  // The SDK types the marker as a string; the model (and so the parsed input) as an integer.
  const marker = Number(input.PartNumberMarker ?? 0);
  if (!Number.isSafeInteger(marker) || marker < 0) {
    throw invalidArgument('Argument part-number-marker must be an integer between 0 and 2147483647', 'part-number-marker', String(input.PartNumberMarker));
  }
  const maxParts = Math.min(input.MaxParts ?? MAX_PARTS, MAX_PARTS);
  const remaining = uploadedParts(context.store, upload.uploadId).filter((part) => part.partNumber > marker);
  const page = remaining.slice(0, maxParts);
  const isTruncated = remaining.length > page.length;
  const owner = { ID: canonicalUserId(bucket.ownerAccountId) };
  return {
    Bucket: bucket.name,
    Key: upload.key,
    UploadId: upload.uploadId,
    PartNumberMarker: String(marker),
    NextPartNumberMarker: isTruncated ? String(page.at(-1)?.partNumber) : undefined,
    MaxParts: maxParts,
    IsTruncated: isTruncated,
    Parts: page.map((part) => ({
      PartNumber: part.partNumber,
      LastModified: new Date(part.lastModified),
      ETag: part.etag,
      Size: part.size,
      ...(part.checksum && { [checksumMember(part.checksum.algorithm)]: part.checksum.value }),
    })),
    Initiator: owner,
    Owner: owner,
    StorageClass: 'STANDARD',
    ChecksumAlgorithm: upload.checksum?.algorithm,
    ChecksumType: upload.checksum?.type,
  };
}
