// S3 CompleteMultipartUpload: Completes a multipart upload by assembling previously uploaded parts.
import type { CompletedPart, CompleteMultipartUploadCommandInput, CompleteMultipartUploadCommandOutput } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { AwsError } from '../../../errors';
import type { OperationOutput, RequestContext } from '../../../operations';
import { checksumMember, combineCrcs, compositeChecksum, objectChecksumMembers } from '../checksums';
import { malformedXml } from '../../../protocols/xml';
import { invalidRequest } from '../errors';
import { commitObject, headersOf, type ObjectChecksum, type ObjectRecord, type PartRecord, removeBlobs, type UploadRecord } from '../state';
import { discardUploads, requireUploadOf, uploadedParts } from './uploads';

/** S3's smallest part, except for the last one. */
const MIN_PART_BYTES = 5 * 1024 ** 2;

/**
 * Makes the listed parts the object's body: a metadata-only commit (the object record takes over the
 * parts' blobs in the same transaction that drops the upload), so completing costs no copy of the
 * data and is atomic. Parts uploaded but not listed are deleted.
 */
export async function completeMultipartUpload(
  input: CompleteMultipartUploadCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CompleteMultipartUploadCommandOutput>> {
  const { bucket, upload } = requireUploadOf(context, input);
  const key = upload.key;
  const chosen = chosenParts(upload, uploadedParts(context.store, upload.uploadId), input.MultipartUpload?.Parts ?? []);
  const size = chosen.reduce((total, part) => total + part.size, 0);
  if (input.MpuObjectSize !== undefined && input.MpuObjectSize !== size) {
    throw invalidRequest(`The provided 'x-amz-mp-object-size' header value "${input.MpuObjectSize}" does not match what was computed: "${size}"`);
  }
  const object: ObjectRecord = {
    key,
    size,
    etag: multipartEtag(chosen),
    lastModified: context.now().getTime(),
    body: chosen.map((part) => ({ name: part.blob, size: part.size })),
    ...headersOf(upload),
    checksum: await objectChecksum(upload, chosen, input),
    partChecksums: partChecksums(chosen),
  };
  const discarded = discardUploads(context.store, bucket.name, [upload.uploadId]);
  await commitObject(context, bucket.name, object, discarded.changes);
  const kept = new Set(chosen.map((part) => part.blob));
  await removeBlobs(context, discarded.blobs.filter((blob) => !kept.has(blob)));
  return {
    // Path-style and relative: the emulator does not know the host name its clients use.
    Location: `/${bucket.name}/${key.split('/').map(encodeURIComponent).join('/')}`,
    Bucket: bucket.name,
    Key: key,
    ETag: object.etag,
    ...objectChecksumMembers(object.checksum),
  };
}

/** The uploaded parts the request lists, checked as S3 checks them. */
function chosenParts(upload: UploadRecord, uploaded: readonly PartRecord[], requested: readonly CompletedPart[]): PartRecord[] {
  if (requested.length === 0) throw malformedXml();
  const byNumber = new Map(uploaded.map((part) => [part.partNumber, part]));
  const chosen = requested.map((entry, index) => {
    if (entry.PartNumber === undefined || entry.ETag === undefined) throw malformedXml();
    const previous = requested[index - 1]?.PartNumber;
    if (previous !== undefined && entry.PartNumber <= previous) {
      throw new AwsError('InvalidPartOrder', 400, 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', {
        UploadId: upload.uploadId,
      });
    }
    const part = byNumber.get(entry.PartNumber);
    if (!part || unquoted(entry.ETag) !== unquoted(part.etag)) throw invalidPart(upload, entry);
    checkPartChecksum(upload, part, entry);
    return part;
  });
  for (const part of chosen.slice(0, -1)) {
    if (part.size < MIN_PART_BYTES) {
      throw new AwsError('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', {
        ProposedSize: String(part.size),
        MinSizeAllowed: String(MIN_PART_BYTES),
        PartNumber: String(part.partNumber),
        ETag: part.etag,
      });
    }
  }
  return chosen;
}

/** An upload with a checksum algorithm needs each listed part's checksum, and it must be the part's. */
function checkPartChecksum(upload: UploadRecord, part: PartRecord, entry: CompletedPart): void {
  if (!upload.checksum) return;
  const sent = entry[checksumMember(upload.checksum.algorithm)];
  if (sent === undefined) {
    throw invalidRequest(
      `The upload was created using a ${upload.checksum.algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
    );
  }
  if (part.checksum && sent !== part.checksum.value) throw invalidPart(upload, entry);
}

function invalidPart(upload: UploadRecord, entry: CompletedPart): AwsError {
  return new AwsError(
    'InvalidPart',
    400,
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    { UploadId: upload.uploadId, PartNumber: String(entry.PartNumber), ETag: entry.ETag ?? '' },
  );
}

/** `"<MD5 of the concatenated binary MD5s of the parts>-<part count>"`, as S3 makes it. */
function multipartEtag(chosen: readonly PartRecord[]): string {
  const md5 = createHash('md5');
  for (const part of chosen) md5.update(Buffer.from(unquoted(part.etag), 'hex'));
  return `"${md5.digest('hex')}-${chosen.length}"`;
}

/**
 * The object's checksum, made from the parts' as the upload asked. A FULL_OBJECT value the request
 * sends must match.
 */
async function objectChecksum(
  upload: UploadRecord,
  chosen: readonly PartRecord[],
  input: CompleteMultipartUploadCommandInput,
): Promise<ObjectChecksum | undefined> {
  if (!upload.checksum) return undefined;
  const { algorithm, type } = upload.checksum;
  const runs = chosen.flatMap((part) => (part.checksum ? [{ ...part.checksum, size: part.size }] : []));
  const complete = runs.length === chosen.length;
  if (type === 'COMPOSITE') {
    const value = complete ? await compositeChecksum(algorithm, runs.map((run) => run.value)) : undefined;
    return value === undefined ? undefined : { algorithm, type, value };
  }
  const computed = complete ? combineCrcs(algorithm, runs) : undefined;
  const sent = input[checksumMember(algorithm)];
  if (computed !== undefined && sent !== undefined && sent !== computed) {
    throw new AwsError('BadDigest', 400, `The ${algorithm} you specified did not match the calculated checksum.`);
  }
  const value = computed ?? sent;
  return value === undefined ? undefined : { algorithm, type, value };
}

/** Each part's checksum (in the upload's algorithm), if every part has one. */
function partChecksums(chosen: readonly PartRecord[]): string[] | undefined {
  const values = chosen.flatMap((part) => (part.checksum ? [part.checksum.value] : []));
  return values.length === chosen.length ? values : undefined;
}

function unquoted(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}
