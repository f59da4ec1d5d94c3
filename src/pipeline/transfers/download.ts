// Downloading objects (one, or all under a prefix) into a local folder: several at once, each
// streamed into a temporary file renamed into place when whole, so a cancelled or failed download
// never leaves a half-written file. A cancelled download also removes the files it had finished.
import type { S3Client } from '@aws-sdk/client-s3';
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadSdk } from '../../aws/clients';
import type { DatasetObject } from '../datasets';
import { TransferProgress, type TransferSnapshot } from './transferProgress';

const CONCURRENT_DOWNLOADS = 8;

export interface DownloadItem extends DatasetObject {
  localPath: string;
}

/**
 * Where each object goes: under `folder`, the prefix's own last segment and the key's path below it
 * (`data/train/a/b.jsonl` from `data/train/` → `folder/train/a/b.jsonl`); a single object by its name.
 * Keys that would land outside `folder` (`..` segments) are refused.
 */
export function planDownload(objects: readonly DatasetObject[], prefix: string, folder: string): DownloadItem[] {
  const root = path.resolve(folder);
  const base = prefix.endsWith('/') ? path.posix.basename(prefix.slice(0, -1)) : '';
  return objects
    .filter((object) => !object.key.endsWith('/')) // folder markers
    .map((object) => {
      const relative = prefix.endsWith('/') ? `${base}/${object.key.slice(prefix.length)}` : path.posix.basename(object.key);
      const localPath = path.resolve(root, ...relative.split('/'));
      if (!localPath.startsWith(`${root}${path.sep}`)) throw new Error(`The key ${object.key} would be written outside ${folder}; not downloading it.`);
      return { ...object, localPath };
    });
}

export async function existingFiles(items: readonly DownloadItem[]): Promise<Set<string>> {
  const found = new Set<string>();
  await Promise.all(
    items.map((item) =>
      fs.access(item.localPath).then(
        () => found.add(item.localPath),
        () => undefined,
      ),
    ),
  );
  return found;
}

export interface DownloadOutcome {
  downloaded: string[];
  skipped: string[];
  cancelled?: { removed: string[] };
  failed?: { key: string; error: unknown };
}

export async function downloadFiles(
  s3: S3Client,
  items: readonly DownloadItem[],
  options: { skip?: ReadonlySet<string>; existing?: ReadonlySet<string>; signal?: AbortSignal; onProgress?: (snapshot: TransferSnapshot) => void } = {},
): Promise<DownloadOutcome> {
  const { GetObjectCommand } = await loadSdk();
  const progress = new TransferProgress(items.reduce((sum, item) => sum + item.size, 0), items.length);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) stop.abort();
  const downloaded: string[] = [];
  const skipped: string[] = [];
  let failed: DownloadOutcome['failed'];
  let next = 0;

  const downloadOne = async (item: DownloadItem) => {
    const temporary = `${item.localPath}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.partial`;
    try {
      await fs.mkdir(path.dirname(item.localPath), { recursive: true });
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: item.bucket, Key: item.key }), { abortSignal: stop.signal });
      const body = Body as Readable;
      let loaded = 0;
      body.on('data', (chunk: Buffer) => {
        loaded += chunk.length;
        progress.update(item.localPath, loaded);
        options.onProgress?.(progress.snapshot());
      });
      await pipeline(body, createWriteStream(temporary), { signal: stop.signal });
      await fs.rename(temporary, item.localPath);
      progress.finish(item.localPath, item.size);
      downloaded.push(item.localPath);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      if (!stop.signal.aborted) {
        failed ??= { key: item.key, error };
        stop.abort();
      }
    }
  };
  const worker = async () => {
    while (next < items.length && !stop.signal.aborted) {
      const item = items[next++];
      if (options.skip?.has(item.localPath)) {
        progress.skip(item.localPath, item.size);
        skipped.push(item.localPath);
        continue;
      }
      await downloadOne(item);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_DOWNLOADS, items.length) }, worker));
    options.onProgress?.(progress.snapshot());
    if (failed) return { downloaded, skipped, failed };
    if (options.signal?.aborted) {
      const removed = downloaded.filter((file) => !options.existing?.has(file));
      await Promise.all(removed.map((file) => fs.rm(file, { force: true })));
      return { downloaded: downloaded.filter((file) => !removed.includes(file)), skipped, cancelled: { removed } };
    }
    return { downloaded, skipped };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
