// Multipart uploads in progress, as the multipart operations (and DeleteBucket) share them: ids,
// lookup, committing parts, and discarding uploads with their parts.
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../../operations';
import { put, remove, type Store } from '../../../store/store';
import type { Change } from '../../../store/logFormat';
import { invalidArgument, noSuchUpload } from '../errors';
import type { StoredBody } from '../objectBodies';
import { type BucketRecord, type PartRecord, parts, removeBlobs, removeUncommittedBlobs, requireBucket, type UploadRecord, uploads } from '../state';

const MAX_PART_NUMBER = 10000;

/** The time part of the last upload id made: ids made in the same millisecond still increase. */
let lastIdTime = 0;

/**
 * A new upload id: a time in hex, then random hex. S3 lists the uploads of a key in initiation order
 * and resumes after an upload id compared as a string; increasing ids make both the same.
 */
export function newUploadId(now: Date): string {
  lastIdTime = Math.max(now.getTime(), lastIdTime + 1);
  return `${lastIdTime.toString(16).padStart(12, '0')}${randomBytes(24).toString('hex')}`;
}

/** The caller's bucket and the upload a request names (UploadId of Key), or that request's error. */
export function requireUploadOf(context: RequestContext, input: UploadRequest): { bucket: BucketRecord; upload: UploadRecord } {
  const bucket = requireBucket(context, input.Bucket);
  return { bucket, upload: requireUpload(context, bucket.name, input.Key ?? '', input.UploadId) };
}

/** As requireUploadOf, for a part's upload: the part number is checked between the bucket and the upload. */
export function requirePartTarget(
  context: RequestContext,
  input: UploadRequest & { PartNumber?: number },
): { bucket: BucketRecord; upload: UploadRecord; partNumber: number } {
  const bucket = requireBucket(context, input.Bucket);
  const partNumber = checkPartNumber(input.PartNumber);
  return { bucket, upload: requireUpload(context, bucket.name, input.Key ?? '', input.UploadId), partNumber };
}

/** The members that name an upload in the multipart operations' requests. */
interface UploadRequest {
  Bucket?: string;
  Key?: string;
  UploadId?: string;
}

/** The upload, or NoSuchUpload — also for an id of another key's upload, as S3 answers. */
function requireUpload(context: RequestContext, bucketName: string, key: string, uploadId: string | undefined): UploadRecord {
  const upload = uploadId === undefined ? undefined : context.store.get(uploads, bucketName, uploadId);
  if (!upload || upload.key !== key) throw noSuchUpload(uploadId ?? '');
  return upload;
}

export function checkPartNumber(partNumber: number | undefined): number {
  if (partNumber === undefined || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, 'partNumber', String(partNumber));
  }
  return partNumber;
}

/** The upload's parts in part-number order. */
export function uploadedParts(store: Store, uploadId: string): PartRecord[] {
  return store
    .entries(parts, uploadId)
    .map(([, part]) => part)
    .sort((a, b) => a.partNumber - b.partNumber);
}

/**
 * Commits a part whose body was just stored (UploadPart, UploadPartCopy), replacing the part with its
 * number, then deletes the replaced body, and returns the part's record. Its checksum is kept if it
 * is in the upload's algorithm. The upload is checked again here: it may have been completed or
 * aborted while the part was uploading, and then the new body is deleted instead.
 */
export async function commitPart(
  context: RequestContext,
  bucketName: string,
  upload: UploadRecord,
  partNumber: number,
  body: StoredBody,
): Promise<PartRecord> {
  const part: PartRecord = {
    partNumber,
    size: body.size,
    etag: `"${body.md5Hex}"`,
    lastModified: context.now().getTime(),
    blob: body.blob,
    checksum: upload.checksum && body.checksum?.algorithm === upload.checksum.algorithm ? body.checksum : undefined,
  };
  const key = String(part.partNumber);
  let replaced: PartRecord | undefined;
  try {
    requireUpload(context, bucketName, upload.key, upload.uploadId);
    replaced = context.store.get(parts, upload.uploadId, key);
    await context.store.commit([put(parts, upload.uploadId, key, part)]);
  } catch (error) {
    await removeUncommittedBlobs(context, error, [part.blob]);
    throw error;
  }
  if (replaced) await removeBlobs(context, [replaced.blob]);
  return part;
}

/** The changes that drop uploads with their parts, and the part bodies to delete once they are committed. */
export function discardUploads(store: Store, bucketName: string, uploadIds: readonly string[]): { changes: Change[]; blobs: string[] } {
  const changes: Change[] = [];
  const blobs: string[] = [];
  for (const uploadId of uploadIds) {
    changes.push(remove(uploads, bucketName, uploadId));
    for (const part of uploadedParts(store, uploadId)) {
      changes.push(remove(parts, uploadId, String(part.partNumber)));
      blobs.push(part.blob);
    }
  }
  return { changes, blobs };
}
