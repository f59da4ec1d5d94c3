// Moving files between a job's folders and S3, the way SageMaker does: the runtime is an S3 client
// of the emulator itself, so what a job reads and writes goes through the same validation and
// durability as any other request.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { createGunzip } from 'node:zlib';

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

/** The local path for a key under a prefix; undefined for keys that would land outside `dir`. */
function localPath(dir: string, prefix: string, key: string): string | undefined {
  const relative = key.slice(prefix.length).replace(/^\/+/, '');
  if (relative === '' || relative.endsWith('/')) return undefined; // folder markers
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

export async function uploadFile(s3: S3Client, file: string, location: S3Location): Promise<void> {
  const { size } = await stat(file);
  await s3.send(
    new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: createReadStream(file), ContentLength: size }),
  );
}

/** `dir` as a gzipped tarball at `location` (model.tar.gz, output.tar.gz), built in a temp file. */
export async function uploadTarGz(s3: S3Client, dir: string, location: S3Location): Promise<void> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'sagemaker-tar-'));
  try {
    const archive = path.join(scratch, 'archive.tar.gz');
    await tar.create({ gzip: true, file: archive, cwd: dir, portable: true }, ['.']);
    await uploadFile(s3, archive, location);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Gunzip is ~3× slower on model-sized archives when fed and drained in the 16–64 KiB pieces of
 * zlib's and HTTP's defaults: it gets whole MiBs both ways instead.
 */
const GUNZIP_CHUNK_BYTES = 1024 * 1024;

/** Joins small chunks into ones of at least `bytes`. */
function coalesce(bytes: number): Transform {
  let parts: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= bytes) {
        this.push(Buffer.concat(parts, size));
        parts = [];
        size = 0;
      }
      done();
    },
    flush(done) {
      if (size > 0) this.push(Buffer.concat(parts, size));
      done();
    },
  });
}

/** Extracts a gzipped tarball from S3 into `dir` (a script-mode source folder, a model), streaming. */
export async function downloadTarGz(s3: S3Client, location: S3Location, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const response = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  // tar refuses entries that would escape `cwd` (absolute paths, `..`) by default.
  await pipeline(
    response.Body as Readable,
    coalesce(GUNZIP_CHUNK_BYTES),
    createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }),
    tar.extract({ cwd: dir }),
  );
}
