// Deleting and copying S3 objects in bulk: DeleteObjects in batches of 1,000 (S3's limit per call),
// and server-side copies (CopyObject up to 5 GiB, UploadPartCopy in parallel ranges beyond), so a
// checkpoint of any size is copied without passing through this machine.
import type { S3Client } from '@aws-sdk/client-s3';
import { loadSdk } from '../../aws/clients';
import { listAllObjects, type DatasetObject } from '../datasets';

/** S3's limit of keys per DeleteObjects call. */
export const DELETE_BATCH = 1000;
/** S3's limit for a single CopyObject. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
const COPY_PART_BYTES = 512 * 1024 ** 2;
const PARALLEL_COPY_PARTS = 4;

/** The longest prefix all keys share, cut back to a `/` so that it lists as few others as it can. */
export function commonPrefix(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  let prefix = keys[0];
  for (const key of keys) {
    let length = 0;
    while (length < prefix.length && length < key.length && prefix[length] === key[length]) length++;
    prefix = prefix.slice(0, length);
  }
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

export interface DeleteFailure {
  key: string;
  code?: string;
  message?: string;
}

/** Deletes `keys` with DeleteObjects, 1,000 per call; returns the keys S3 refused to delete, with why. */
export async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[], onDeleted?: (count: number) => void): Promise<DeleteFailure[]> {
  const { DeleteObjectsCommand } = await loadSdk();
  const failures: DeleteFailure[] = [];
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const batch = keys.slice(start, start + DELETE_BATCH);
    const { Errors = [] } = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((key) => ({ Key: key })), Quiet: true } }),
    );
    failures.push(...Errors.map((error) => ({ key: error.Key ?? '', code: error.Code, message: error.Message })));
    onDeleted?.(batch.length - Errors.length);
  }
  return failures;
}

export interface DeleteOutcome {
  deleted: number;
  failures: DeleteFailure[];
}

/**
 * Deletes every object under `prefix` (an object's key when it is one object), a listed page — up to
 * 1,000 keys — per DeleteObjects call; stops between batches when `signal` aborts.
 */
export async function deletePrefix(s3: S3Client, bucket: string, prefix: string, options: { signal?: AbortSignal; onDeleted?: (total: number) => void } = {}): Promise<DeleteOutcome> {
  let deleted = 0;
  const failures: DeleteFailure[] = [];
  // Each page is deleted before the next is listed: S3 lists after the last key it returned, so the
  // deletions do not disturb the listing.
  for await (const page of listAllObjects(s3, bucket, prefix)) {
    if (options.signal?.aborted) break;
    failures.push(
      ...(await deleteKeys(s3, bucket, page.map((object) => object.key), (count) => {
        deleted += count;
        options.onDeleted?.(deleted);
      })),
    );
  }
  return { deleted, failures };
}

/** A key as a CopySource: the bucket, then the key URL-encoded with its slashes kept. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
}

/** The byte ranges (`bytes=first-last`) of a multipart copy of `size` bytes in parts of `partBytes`. */
export function copyRanges(size: number, partBytes: number): string[] {
  const ranges: string[] = [];
  for (let first = 0; first < size; first += partBytes) ranges.push(`bytes=${first}-${Math.min(first + partBytes, size) - 1}`);
  return ranges;
}

/**
 * Copies `objects` to `toBucket` under `toPrefix`, each keeping its key below `fromPrefix`, server-side.
 * `singleCopyLimit` (S3's 5 GiB by default) is where copies switch to UploadPartCopy.
 */
export async function copyObjects(
  s3: S3Client,
  objects: readonly DatasetObject[],
  fromPrefix: string,
  toBucket: string,
  toPrefix: string,
  options: { onCopied?: (bytes: number) => void; singleCopyLimit?: number; partBytes?: number } = {},
): Promise<string[]> {
  const { CopyObjectCommand } = await loadSdk();
  const limit = options.singleCopyLimit ?? MAX_SINGLE_COPY_BYTES;
  const copied: string[] = [];
  for (const object of objects) {
    if (!object.key.startsWith(fromPrefix)) throw new Error(`${object.key} is not under ${fromPrefix}`);
    const key = `${toPrefix}${object.key.slice(fromPrefix.length)}`;
    if (object.size <= limit) {
      await s3.send(new CopyObjectCommand({ Bucket: toBucket, Key: key, CopySource: copySource(object.bucket, object.key) }));
    } else {
      await multipartCopy(s3, object, toBucket, key, options.partBytes ?? COPY_PART_BYTES);
    }
    copied.push(key);
    options.onCopied?.(object.size);
  }
  return copied;
}

async function multipartCopy(s3: S3Client, object: DatasetObject, bucket: string, key: string, partBytes: number): Promise<void> {
  const { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCopyCommand } = await loadSdk();
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  try {
    const ranges = copyRanges(object.size, partBytes);
    const parts: { PartNumber: number; ETag?: string }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < ranges.length) {
        const index = next++;
        const { CopyPartResult } = await s3.send(
          new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: index + 1, CopySource: copySource(object.bucket, object.key), CopySourceRange: ranges[index] }),
        );
        parts[index] = { PartNumber: index + 1, ETag: CopyPartResult?.ETag };
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_COPY_PARTS, ranges.length) }, worker));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  } catch (error) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
    throw error;
  }
}
