// Uploading local files and folders to S3 through lib-storage's Upload: a file larger than a part is
// sent as a multipart upload with its parts in parallel, several files at once, within one budget of
// concurrent requests. A cancelled upload leaves nothing behind — the objects it created are deleted
// and its multipart uploads aborted (ListMultipartUploads shows none of them); a failed one keeps the
// files it finished and leaves no partial object or open multipart upload.
import type { S3Client } from '@aws-sdk/client-s3';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadSdk } from '../../aws/clients';
import { RequestTracker } from './requestTracker';
import { TransferProgress, type TransferSnapshot } from './transferProgress';
import { commonPrefix, deleteKeys } from './s3Objects';

export interface UploadItem {
  localPath: string;
  key: string;
  size: number;
}

/** lib-storage's part size: 8 MiB, as the AWS CLI's multipart_chunksize. */
export const PART_SIZE = 8 * 1024 * 1024;
/** Requests in flight at once, over all files: the AWS CLI's max_concurrent_requests. */
export const MAX_CONCURRENT_REQUESTS = 10;
/** Parts of one file in flight at once (lib-storage's queueSize). */
const PARTS_PER_FILE = 4;
/** How long a cancelled upload waits for its requests in flight to land before cleaning up. */
const SETTLE_TIMEOUT_MS = 60_000;

/**
 * The objects that uploading `sources` (files and folders) under `prefix` makes: a file keeps its
 * name, a folder its name and its tree (`prefix/folder/sub/file`). Only regular files are uploaded.
 */
export async function planUpload(sources: readonly string[], prefix: string): Promise<UploadItem[]> {
  const items: UploadItem[] = [];
  for (const source of sources) {
    const info = await fs.stat(source);
    if (info.isFile()) {
      items.push({ localPath: source, key: `${prefix}${path.basename(source)}`, size: info.size });
      continue;
    }
    const root = `${prefix}${path.basename(source)}/`;
    const entries = await fs.readdir(source, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const localPath = path.join(entry.parentPath ?? source, entry.name);
      const relative = path.relative(source, localPath).split(path.sep).join('/');
      items.push({ localPath, key: `${root}${relative}`, size: (await fs.stat(localPath)).size });
    }
  }
  return items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The keys among `keys` that already exist in the bucket. */
export async function existingKeys(s3: S3Client, bucket: string, keys: readonly string[]): Promise<Set<string>> {
  const wanted = new Set(keys);
  const found = new Set<string>();
  if (wanted.size === 0) return found;
  const { listAllObjects } = await import('../datasets');
  for await (const page of listAllObjects(s3, bucket, commonPrefix(keys))) {
    for (const object of page) if (wanted.has(object.key)) found.add(object.key);
  }
  return found;
}

export interface UploadOptions {
  /** Keys not to upload (they exist and the user chose to keep them). */
  skip?: ReadonlySet<string>;
  /** Keys that existed before: a cancelled upload does not delete what it overwrote (it cannot restore it). */
  existing?: ReadonlySet<string>;
  signal?: AbortSignal;
  onProgress?: (snapshot: TransferSnapshot) => void;
  partSize?: number;
  maxConcurrentRequests?: number;
}

export interface UploadOutcome {
  uploaded: string[];
  skipped: string[];
  /** Set when cancelled: what this upload had created and then deleted again. */
  cancelled?: { removed: string[] };
  /** Set when a file failed: the others were stopped, finished ones kept. */
  failed?: { key: string; error: unknown };
  /** Multipart uploads of these keys still open after cleaning up (none unless S3 refused to abort one). */
  openUploads: number;
}

export async function uploadFiles(s3: S3Client, bucket: string, items: readonly UploadItem[], options: UploadOptions = {}): Promise<UploadOutcome> {
  const { Upload } = await loadSdk();
  const partSize = options.partSize ?? PART_SIZE;
  const budget = options.maxConcurrentRequests ?? MAX_CONCURRENT_REQUESTS;
  const skip = options.skip ?? new Set<string>();
  const progress = new TransferProgress(
    items.reduce((sum, item) => sum + item.size, 0),
    items.length,
  );
  const report = () => options.onProgress?.(progress.snapshot());
  const startedAt = new Date();
  const tracker = new RequestTracker(s3, bucket, new Set(items.map((item) => item.key)));
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) stop.abort();

  const uploaded: string[] = [];
  const skipped: string[] = [];
  const running = new Set<{ abort(): Promise<void> }>();
  let failed: UploadOutcome['failed'];
  let freeSlots = budget;
  const slotFreed: (() => void)[] = [];
  const waitForSlots = async (slots: number) => {
    while (freeSlots < slots && !stop.signal.aborted) await new Promise<void>((resolve) => slotFreed.push(resolve));
  };
  const release = (slots: number) => {
    freeSlots += slots;
    slotFreed.splice(0).forEach((resolve) => resolve());
  };
  stop.signal.addEventListener('abort', () => {
    slotFreed.splice(0).forEach((resolve) => resolve());
    for (const upload of running) void upload.abort();
  });

  const uploadOne = async (item: UploadItem, slots: number) => {
    try {
      const upload = new Upload({
        client: s3,
        params: {
          Bucket: bucket,
          Key: item.key,
          // A file of one part is read whole (one PutObject); a larger one streams in parts.
          Body: item.size <= partSize ? await fs.readFile(item.localPath) : createReadStream(item.localPath),
          ContentLength: item.size,
        },
        partSize,
        queueSize: slots,
        leavePartsOnError: false,
      });
      upload.on('httpUploadProgress', ({ loaded }) => {
        if (loaded !== undefined) {
          progress.update(item.key, loaded);
          report();
        }
      });
      running.add(upload);
      try {
        if (stop.signal.aborted) return;
        await upload.done();
      } finally {
        running.delete(upload);
      }
      progress.finish(item.key, item.size);
      uploaded.push(item.key);
      report();
    } catch (error) {
      if (!stop.signal.aborted) {
        failed ??= { key: item.key, error };
        stop.abort();
      }
    } finally {
      release(slots);
    }
  };

  const started: Promise<void>[] = [];
  try {
    for (const item of items) {
      if (skip.has(item.key)) {
        progress.skip(item.key, item.size);
        skipped.push(item.key);
        continue;
      }
      const slots = Math.min(Math.max(1, Math.ceil(item.size / partSize)), PARTS_PER_FILE, budget);
      await waitForSlots(slots);
      if (stop.signal.aborted) break;
      freeSlots -= slots;
      started.push(uploadOne(item, slots));
    }
    await Promise.all(started);
    report();
    const cancelled = options.signal?.aborted === true && !failed;
    if (!cancelled && !failed) return { uploaded, skipped, openUploads: 0 };

    // Clean up only once every request in flight has landed: one still going could open a multipart
    // upload or create an object after the cleanup looked.
    await tracker.settled(SETTLE_TIMEOUT_MS);
    const openUploads = await abortOpenUploads(s3, bucket, tracker, startedAt);
    if (failed) return { uploaded, skipped, failed, openUploads };
    const removable = [...tracker.created].filter((key) => !options.existing?.has(key));
    await deleteKeys(s3, bucket, removable);
    return { uploaded: uploaded.filter((key) => !removable.includes(key)), skipped, cancelled: { removed: removable }, openUploads };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    tracker.dispose();
  }
}

/**
 * Aborts the multipart uploads the transfer opened and did not finish, and any other upload of its
 * keys S3 lists as begun since it started (one whose CreateMultipartUpload answer was lost); then
 * lists again. Returns how many of its keys' uploads are still open (0 unless S3 refused an abort).
 */
async function abortOpenUploads(s3: S3Client, bucket: string, tracker: RequestTracker, since: Date): Promise<number> {
  const { AbortMultipartUploadCommand } = await loadSdk();
  const abort = (key: string, uploadId: string) =>
    s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch((error: { name?: string }) => {
      if (error.name !== 'NoSuchUpload') throw error;
    });
  for (const [key, ids] of tracker.openUploads) for (const id of [...ids]) await abort(key, id);
  for (const upload of await openUploadsOf(s3, bucket, tracker.keys, since)) await abort(upload.key, upload.uploadId);
  return (await openUploadsOf(s3, bucket, tracker.keys, since)).length;
}

/** Multipart uploads of `keys` begun at or after `since` (a minute's leeway for the clocks), from ListMultipartUploads. */
export async function openUploadsOf(s3: S3Client, bucket: string, keys: ReadonlySet<string>, since = new Date(0)): Promise<{ key: string; uploadId: string }[]> {
  const { ListMultipartUploadsCommand } = await loadSdk();
  const open: { key: string; uploadId: string }[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: commonPrefix([...keys]), KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
    for (const upload of page.Uploads ?? []) {
      if (!upload.Key || !upload.UploadId || !keys.has(upload.Key)) continue;
      if (upload.Initiated && upload.Initiated.getTime() < since.getTime() - 60_000) continue;
      open.push({ key: upload.Key, uploadId: upload.UploadId });
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
  } while (keyMarker);
  return open;
}
