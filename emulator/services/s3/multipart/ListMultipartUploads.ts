// S3 ListMultipartUploads: This operation lists in-progress multipart uploads in a bucket.
import type { ListMultipartUploadsCommandInput, ListMultipartUploadsCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../../operations';
import { invalidArgument } from '../errors';
import { compareKeys, keyEncoding, listEntries } from '../listing';
import { canonicalUserId, requireBucket, type UploadRecord, uploads } from '../state';

const MAX_UPLOADS = 1000;

/**
 * Uploads in key order, those of one key in initiation order (which their ids sort in, see
 * newUploadId). Paging resumes after `key-marker`, or after the upload `upload-id-marker` of that key.
 */
export async function listMultipartUploads(
  input: ListMultipartUploadsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListMultipartUploadsCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  if (input.MaxUploads !== undefined && input.MaxUploads < 0) {
    throw invalidArgument('Argument max-uploads must be an integer between 0 and 2147483647', 'max-uploads', String(input.MaxUploads));
  }
  const encode = keyEncoding(input.EncodingType);
  const maxUploads = Math.min(input.MaxUploads ?? MAX_UPLOADS, MAX_UPLOADS);
  const { KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker } = input;
  const sorted = context.store
    .entries(uploads, bucket.name)
    .map(([, upload]) => upload)
    .sort((a, b) => compareKeys(a.key, b.key) || compareKeys(a.uploadId, b.uploadId));
  // Without a key marker S3 ignores the upload id marker.
  const listedBefore = (upload: UploadRecord) =>
    keyMarker !== undefined &&
    (compareKeys(upload.key, keyMarker) < 0 || (upload.key === keyMarker && (uploadIdMarker === undefined || upload.uploadId <= uploadIdMarker)));
  const page = listEntries(sorted, (upload) => upload.key, listedBefore, {
    prefix: input.Prefix ?? '',
    delimiter: input.Delimiter,
    after: keyMarker,
    maxKeys: maxUploads,
  });
  const lastUpload = page.entries.at(-1);
  // A page may end with a common prefix; the next one then resumes after it, at any upload.
  const endsWithUpload = lastUpload !== undefined && page.last === lastUpload.key;
  const owner = { ID: canonicalUserId(bucket.ownerAccountId) };
  return {
    Bucket: bucket.name,
    KeyMarker: encode(keyMarker ?? ''),
    UploadIdMarker: uploadIdMarker ?? '',
    NextKeyMarker: page.isTruncated && page.last !== undefined ? encode(page.last) : undefined,
    NextUploadIdMarker: page.isTruncated && endsWithUpload ? lastUpload.uploadId : undefined,
    Prefix: encode(input.Prefix ?? ''),
    Delimiter: input.Delimiter === undefined ? undefined : encode(input.Delimiter),
    MaxUploads: maxUploads,
    IsTruncated: page.isTruncated,
    EncodingType: input.EncodingType,
    Uploads: page.entries.map((upload) => ({
      UploadId: upload.uploadId,
      Key: encode(upload.key),
      Initiated: new Date(upload.initiated),
      StorageClass: 'STANDARD',
      Owner: owner,
      Initiator: owner,
      ChecksumAlgorithm: upload.checksum?.algorithm,
      ChecksumType: upload.checksum?.type,
    })),
    CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
  };
}
