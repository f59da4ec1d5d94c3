// S3 UploadPartCopy: Uploads a part by copying data from an existing object as data source.
import type { UploadPartCopyCommandInput, UploadPartCopyCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../../operations';
import type { ByteRange } from '../../../store/blobs';
import { checksumMember } from '../checksums';
import { copyBody, copySourceObject } from '../copySources';
import { invalidArgument, invalidRequest } from '../errors';
import { MAX_BODY_BYTES } from '../objectBodies';
import { commitPart, requirePartTarget } from './uploads';

/**
 * Stores a part copied from an object (or from `x-amz-copy-source-range` of it), streamed from the
 * source's blobs into the part's own, as UploadPart stores a body: the part's ETag is the MD5 of the
 * copied bytes, and its checksum is in the upload's algorithm, if it has one.
 */
export async function uploadPartCopy(
  input: UploadPartCopyCommandInput,
  context: RequestContext,
): Promise<OperationOutput<UploadPartCopyCommandOutput>> {
  const { bucket, upload, partNumber } = requirePartTarget(context, input);
  const { object: source } = copySourceObject(context, input);
  const range = input.CopySourceRange === undefined ? undefined : parseCopySourceRange(input.CopySourceRange, source.size);
  if (!range && source.size > MAX_BODY_BYTES) {
    throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_BODY_BYTES}`);
  }
  const body = await copyBody(context, source, range, upload.checksum?.algorithm);
  const part = await commitPart(context, bucket.name, upload, partNumber, body);
  return {
    CopyPartResult: {
      ETag: part.etag,
      LastModified: new Date(part.lastModified),
      ...(part.checksum && { [checksumMember(part.checksum.algorithm)]: part.checksum.value }),
    },
  };
}

/**
 * `bytes=first-last`, both given, within the source: unlike a GET's Range, S3 neither clamps nor
 * ignores a copy range it cannot take.
 */
function parseCopySourceRange(header: string, size: number): ByteRange {
  const match = /^bytes=(\d+)-(\d+)$/.exec(header);
  const [first, last] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!match || first > last) {
    throw invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      header,
    );
  }
  if (last >= size) throw invalidArgument(`Range specified is not valid for source object of size: ${size}`, 'x-amz-copy-source-range', header);
  return { start: first, end: last };
}
