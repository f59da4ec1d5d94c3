// Datasets are S3 objects; a "folder" is a common prefix under the `/` delimiter, as in the S3
// console. Pages are fetched on demand so a prefix with millions of objects stays cheap.
import type { S3Client } from '@aws-sdk/client-s3';
import { loadSdk } from '../aws/clients';
import { about } from '../failures/resources';

export interface Bucket {
  name: string;
  createdAt?: Date;
}

export interface DatasetObject {
  bucket: string;
  key: string;
  size: number;
  lastModified?: Date;
}

export interface PrefixPage {
  /** Sub-prefixes, each ending with `/`. */
  prefixes: string[];
  objects: DatasetObject[];
  /** Set when there is more to list. */
  nextToken?: string;
}

export async function listBuckets(s3: S3Client): Promise<Bucket[]> {
  const { ListBucketsCommand } = await loadSdk();
  const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
  return Buckets.filter((bucket) => bucket.Name).map((bucket) => ({ name: bucket.Name!, createdAt: bucket.CreationDate }));
}

export async function listPrefix(
  s3: S3Client,
  bucket: string,
  prefix: string,
  continuationToken?: string,
  pageSize = 1000,
): Promise<PrefixPage> {
  const { ListObjectsV2Command } = await loadSdk();
  const page = await about(
    { kind: 'bucket', name: bucket },
    s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix || undefined,
        Delimiter: '/',
        ContinuationToken: continuationToken,
        MaxKeys: pageSize,
      }),
    ),
  );
  return {
    prefixes: (page.CommonPrefixes ?? []).flatMap((common) => (common.Prefix ? [common.Prefix] : [])),
    objects: (page.Contents ?? [])
      // S3 lists a zero-byte "folder marker" object named exactly like the prefix; it is not data.
      .filter((object) => object.Key && object.Key !== prefix)
      .map((object) => ({ bucket, key: object.Key!, size: object.Size ?? 0, lastModified: object.LastModified })),
    nextToken: page.IsTruncated ? page.NextContinuationToken : undefined,
  };
}

/** The last path segment of a key or prefix, e.g. `train/` for `data/train/`. */
export function baseName(keyOrPrefix: string): string {
  const trimmed = keyOrPrefix.endsWith('/') ? keyOrPrefix.slice(0, -1) : keyOrPrefix;
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return keyOrPrefix.endsWith('/') ? `${name}/` : name;
}

/** Every object under `prefix` (no delimiter: all depths), a page of up to 1,000 at a time. */
export async function* listAllObjects(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<DatasetObject[]> {
  const { ListObjectsV2Command } = await loadSdk();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    yield (page.Contents ?? []).flatMap((object) =>
      object.Key ? [{ bucket, key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified }] : [],
    );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** `s3://bucket/a/b` → { bucket, key: 'a/b' }; undefined for anything else. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return match ? { bucket: match[1], key: match[2] } : undefined;
}
