// S3's records and the rules every operation shares: bucket lookup and ownership, object commits.
import type { ChecksumAlgorithm } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../../operations';
import { type Change, defineTable, put, remove, type Store } from '../../store/store';
import { accessDenied, noSuchBucket } from './errors';

export interface BucketRecord {
  name: string;
  ownerAccountId: string;
  region: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface ObjectRecord {
  key: string;
  size: number;
  /** The MD5 of the body in hex, quoted, as S3 sends it. */
  etag: string;
  /** Epoch milliseconds. */
  lastModified: number;
  /** The blob (see BlobStore) holding the body. */
  blob: string;
  contentType: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** Epoch milliseconds. */
  expires?: number;
  /** User metadata (`x-amz-meta-*`), names lower-case. */
  metadata: Record<string, string>;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

/** Bucket names are unique across all accounts of a partition. */
const BUCKET_NAMESPACE = 'aws';
const buckets = defineTable<BucketRecord>('s3.buckets');
/** Partitioned by bucket name, keyed by object key. */
export const objects = defineTable<ObjectRecord>('s3.objects');

export function findBucket(store: Store, name: string): BucketRecord | undefined {
  return store.get(buckets, BUCKET_NAMESPACE, name);
}

export function putBucket(bucket: BucketRecord): Change {
  return put(buckets, BUCKET_NAMESPACE, bucket.name, bucket);
}

export function removeBucket(name: string): Change {
  return remove(buckets, BUCKET_NAMESPACE, name);
}

export function allBuckets(store: Store): BucketRecord[] {
  return store.entries(buckets, BUCKET_NAMESPACE).map(([, bucket]) => bucket);
}

/** The caller's bucket, or the error S3 answers when it is missing or someone else's. */
export function requireBucket(context: RequestContext, name: string | undefined): BucketRecord {
  const bucket = name === undefined ? undefined : findBucket(context.store, name);
  if (!bucket) throw noSuchBucket(name ?? '');
  if (bucket.ownerAccountId !== context.accountId) throw accessDenied();
  return bucket;
}

/**
 * Commits an object whose body is already a durable blob, replacing any object with that key, and
 * then deletes the replaced body. The bucket is checked again here: it may have been deleted while
 * the body was uploading.
 */
export async function commitObject(context: RequestContext, bucketName: string, object: ObjectRecord): Promise<void> {
  try {
    requireBucket(context, bucketName);
  } catch (error) {
    await context.blobs.remove(object.blob);
    throw error;
  }
  const replaced = context.store.get(objects, bucketName, object.key);
  await context.store.commit([put(objects, bucketName, object.key, object)]);
  if (replaced) await context.blobs.remove(replaced.blob);
}

/** Deletes an object if it exists, then its body. */
export async function removeObject(context: RequestContext, bucketName: string, key: string): Promise<void> {
  const existing = context.store.get(objects, bucketName, key);
  if (!existing) return;
  await context.store.commit([remove(objects, bucketName, key)]);
  await context.blobs.remove(existing.blob);
}

/** S3's canonical user id for an account (64 hex digits), stable per account. */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`canonical-user:${accountId}`).digest('hex');
}

/** Names of every blob an object references: the rest are orphans of interrupted uploads. */
export function referencedBlobs(store: Store): Set<string> {
  const names = new Set<string>();
  for (const object of store.scan(objects)) names.add(object.blob);
  return names;
}
