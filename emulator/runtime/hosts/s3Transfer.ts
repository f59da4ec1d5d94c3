// Moving files between a job's folders and S3, the way SageMaker does: the runtime is an S3 client
// of the emulator itself, so what a job reads and writes goes through the same validation and
// durability as any other request.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
// The built-in GPT's loader inflates model.tar.gz the same way.
import { gunzipStages } from './gunzip';

export interface S3Location {
  bucket: string;
  /** Key or key prefix, without a leading slash. */
  key: string;
}

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`${uri} is not an S3 URI (s3://bucket/key)`);
  return { bucket: match[1], key: match[2] };
}

/** Joins a prefix and a relative path with exactly one slash between them. */
export function joinKey(prefix: string, relative: string): string {
  return prefix === '' || prefix.endsWith('/') ? `${prefix}${relative}` : `${prefix}/${relative}`;
}

/**
 * The local path for a key under a prefix; undefined for folder markers and keys that would land
 * outside `dir`. A prefix that is the key of an object (an S3Uri naming one file) gives that file.
 */
function localPath(dir: string, prefix: string, key: string): string | undefined {
  if (key.endsWith('/')) return undefined; // folder markers
  const relative = key === prefix ? path.posix.basename(key) : key.slice(prefix.length).replace(/^\/+/, '');
  const target = path.resolve(dir, relative);
  return target.startsWith(path.resolve(dir) + path.sep) ? target : undefined;
}

export async function* listKeys(s3: S3Client, location: S3Location): AsyncGenerator<{ key: string; size: number }> {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.key, ContinuationToken: token }));
    for (const object of page.Contents ?? []) yield { key: object.Key!, size: object.Size ?? 0 };
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Downloads one object to a file, via a temp name so a partial file never looks complete. */
export async function downloadObject(s3: S3Client, location: S3Location, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const response = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  const partial = `${file}.partial`;
  await pipeline(response.Body as Readable, createWriteStream(partial));
  await rename(partial, file);
}

/**
 * Downloads every object under the prefix into `dir`, keeping relative paths. With
 * ShardedByS3Key each host gets every `hostCount`-th object, as SageMaker shards.
 */
export async function downloadPrefix(
  s3: S3Client,
  location: S3Location,
  dir: string,
  shard: { index: number; count: number } = { index: 0, count: 1 },
): Promise<number> {
  let position = 0;
  let downloaded = 0;
  for await (const { key } of listKeys(s3, location)) {
    const file = localPath(dir, location.key, key);
    if (!file) continue;
    if (position++ % shard.count !== shard.index) continue;
    await downloadObject(s3, { bucket: location.bucket, key }, file);
    downloaded++;
  }
  return downloaded;
}

/**
 * The objects a ManifestFile lists: a JSON array of `{"prefix": "s3://bucket/prefix/"}` and then keys
 * relative to that prefix.
 */
export async function readManifest(s3: S3Client, location: S3Location): Promise<{ base: S3Location; relatives: string[] }> {
  const response = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  const text = await response.Body!.transformToString();
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    entries = undefined;
  }
  const [head, ...relatives] = Array.isArray(entries) ? entries : [];
  const prefix = (head as { prefix?: unknown } | undefined)?.prefix;
  if (typeof prefix !== 'string' || !relatives.every((relative) => typeof relative === 'string')) {
    throw Object.assign(
      new Error(`The manifest s3://${location.bucket}/${location.key} is not a JSON array of {"prefix": "s3://bucket/prefix/"} followed by relative keys`),
      { name: 'InvalidManifest' },
    );
  }
  return { base: parseS3Uri(prefix), relatives: relatives as string[] };
}

/** Downloads the objects a ManifestFile lists into `dir`, keeping their relative paths. Sharded as downloadPrefix. */
export async function downloadManifest(
  s3: S3Client,
  location: S3Location,
  dir: string,
  shard: { index: number; count: number } = { index: 0, count: 1 },
): Promise<number> {
  const { base, relatives } = await readManifest(s3, location);
  let downloaded = 0;
  for (const [position, relative] of relatives.entries()) {
    if (position % shard.count !== shard.index) continue;
    const key = joinKey(base.key, relative);
    const file = localPath(dir, base.key, key);
    if (!file) continue;
    await downloadObject(s3, { bucket: base.bucket, key }, file);
    downloaded++;
  }
  return downloaded;
}

/**
 * Uploads one file. It is opened before the request: a file removed meanwhile (a checkpoint a script
 * rotated away) fails here, as this promise's rejection, not later as the error event of a stream
 * nobody listens to (which ended the emulator); once open, its bytes stay readable if it is removed.
 */
export async function uploadFile(s3: S3Client, file: string, location: S3Location): Promise<void> {
  // The SDK retries a dropped connection only for bodies it can send again; a file stream it has
  // begun to read cannot be, so a connection closed under it (EPIPE, ECONNRESET) is retried here
  // from a freshly opened file.
  for (let attempt = 1; ; attempt++) {
    try {
      return await putFile(s3, file, location);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (attempt >= UPLOAD_ATTEMPTS || !DROPPED_CONNECTION.has(code)) throw error;
    }
  }
}

const UPLOAD_ATTEMPTS = 3;
const DROPPED_CONNECTION = new Set(['EPIPE', 'ECONNRESET']);

async function putFile(s3: S3Client, file: string, location: S3Location): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    await s3.send(
      new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: handle.createReadStream({ autoClose: false }), ContentLength: size }),
    );
  } finally {
    await handle.close();
  }
}

/**
 * The gzip level of the tarballs the runtime writes: 0, stored blocks — still a .tar.gz that any
 * gunzip and tar read. Model weights barely compress (float32 values: ~7 % smaller at any level),
 * while compressed blocks cost every load ~5 ms per MB to inflate (stored ones inflate at memory
 * speed) and the upload ~30 ms per MB to compress; the objects stay on this machine, so the bytes
 * saved are worth less than the time.
 */
const TARBALL_GZIP_LEVEL = 0;

/** `dir` as a gzipped tarball at `location` (model.tar.gz, output.tar.gz), built in a temp file. */
export async function uploadTarGz(s3: S3Client, dir: string, location: S3Location): Promise<void> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'sagemaker-tar-'));
  try {
    const archive = path.join(scratch, 'archive.tar.gz');
    await tar.create({ gzip: { level: TARBALL_GZIP_LEVEL }, file: archive, cwd: dir, portable: true }, ['.']);
    await uploadFile(s3, archive, location);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Extracts a gzipped tarball from S3 into `dir` (a script-mode source folder, a model), streaming. */
export async function downloadTarGz(s3: S3Client, location: S3Location, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const response = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  // tar refuses entries that would escape `cwd` (absolute paths, `..`) by default.
  await pipeline(
    response.Body as Readable,
    ...gunzipStages(),
    tar.extract({ cwd: dir }),
  );
}
