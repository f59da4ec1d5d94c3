// S3's records and the rules every operation shares: bucket lookup and ownership, object commits,
// and the blobs that bodies and uploaded parts own.
import type { ChecksumAlgorithm, ChecksumType } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../../operations';
import type { BlobSegment } from '../../store/blobs';
import { defineTable, put, remove, type Store, StoreWriteError } from '../../store/store';
import type { Change } from '../../store/logFormat';
import { AwsError } from '../../errors';
import { accessDenied, noSuchBucket } from './errors';
import type { StoredBody } from './objectBodies';
import type { ChecksumValue, ObjectChecksum } from './checksums';
export type { ChecksumValue, ObjectChecksum };

const MAX_KEY_BYTES = 1024;
const MAX_METADATA_BYTES = 2048;

export interface BucketRecord {
  name: string;
  ownerAccountId: string;
  region: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** The representation headers S3 keeps with an object (and a multipart upload, for its object). */
export interface ObjectHeaders {
  contentType: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** Epoch milliseconds. */
  expires?: number;
  /** User metadata (`x-amz-meta-*`), names lower-case. */
  metadata: Record<string, string>;
}

export interface ObjectRecord extends ObjectHeaders {
  key: string;
  size: number;
  /** Quoted, as S3 sends it: the body's MD5 in hex, or `<MD5 of the parts' MD5s>-<part count>` after a multipart upload. */
  etag: string;
  /** Epoch milliseconds. */
  lastModified: number;
  /** The blobs (see BlobStore) holding the body in order: one, or the parts of a multipart upload. */
  body: BlobSegment[];
  checksum?: ObjectChecksum;
  /** After a multipart upload with a checksum: each part's, in `checksum`'s algorithm (what a read by part number returns). */
  partChecksums?: string[];
}

export interface UploadRecord extends ObjectHeaders {
  uploadId: string;
  key: string;
  /** Epoch milliseconds. */
  initiated: number;
  /** The algorithm every part has a checksum of, and how the object's checksum is made from them. */
  checksum?: { algorithm: ChecksumAlgorithm; type: ChecksumType };
}

export interface PartRecord {
  partNumber: number;
  size: number;
  /** The part's MD5 in hex, quoted. */
  etag: string;
  /** Epoch milliseconds. */
  lastModified: number;
  blob: string;
  /** In the upload's checksum algorithm, if it has one. */
  checksum?: ChecksumValue;
}

/** Bucket names are unique across all accounts of a partition. */
const BUCKET_NAMESPACE = 'aws';
const buckets = defineTable<BucketRecord>('s3.buckets');
/** Partitioned by bucket name, keyed by object key. */
export const objects = defineTable<ObjectRecord>('s3.objects');
/** Multipart uploads in progress: partitioned by bucket name, keyed by upload id. */
export const uploads = defineTable<UploadRecord>('s3.uploads');
/** Parts of the uploads in progress: partitioned by upload id, keyed by part number. */
export const parts = defineTable<PartRecord>('s3.parts');

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

/** The members of PutObject, CopyObject and CreateMultipartUpload requests that set an object's headers. */
export interface ObjectHeaderMembers {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: Date;
  Metadata?: Record<string, string>;
}

/** The headers of a new object as its request sets them; user metadata over S3's limit is refused. */
export function objectHeaders(input: ObjectHeaderMembers): ObjectHeaders {
  const metadata = input.Metadata ?? {};
  if (Object.entries(metadata).reduce((total, [name, value]) => total + Buffer.byteLength(name) + Buffer.byteLength(value), 0) > MAX_METADATA_BYTES) {
    throw new AwsError('MetadataTooLarge', 400, 'Your metadata headers exceed the maximum allowed metadata size.');
  }
  return {
    contentType: input.ContentType ?? 'binary/octet-stream',
    contentEncoding: input.ContentEncoding,
    contentDisposition: input.ContentDisposition,
    contentLanguage: input.ContentLanguage,
    cacheControl: input.CacheControl,
    expires: input.Expires?.getTime(),
    metadata,
  };
}

/** Just the headers of an object or upload record (e.g. to copy them to a new object). */
export function headersOf(record: ObjectHeaders): ObjectHeaders {
  const { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires, metadata } = record;
  return { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires, metadata };
}

/**
 * Where a request writes a new object (PutObject, CopyObject, CreateMultipartUpload): the caller's
 * bucket, or NoSuchBucket / AccessDenied, and the key, refused if longer than S3 allows.
 */
export function requireNewObjectTarget(context: RequestContext, input: { Bucket?: string; Key?: string }): { bucket: BucketRecord; key: string } {
  const bucket = requireBucket(context, input.Bucket);
  const key = input.Key ?? '';
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_KEY_BYTES) {
    throw new AwsError('KeyTooLongError', 400, 'Your key is too long', { Size: String(bytes), MaxSizeAllowed: String(MAX_KEY_BYTES) });
  }
  return { bucket, key };
}

/**
 * Commits an object whose body is durable, with `changes` in the same transaction, replacing any
 * object with that key; then deletes the replaced body.
 */
export async function commitObject(context: RequestContext, bucketName: string, object: ObjectRecord, changes: Change[] = []): Promise<void> {
  const replaced = context.store.get(objects, bucketName, object.key);
  await context.store.commit([put(objects, bucketName, object.key, object), ...changes]);
  if (replaced) await removeBlobs(context, bodyBlobs(replaced));
}

/**
 * Commits a new object whose body was just stored as one blob (PutObject, CopyObject) and returns
 * its record. The bucket is checked again here: it may have been deleted while the body was
 * uploading, and then the new body is deleted instead.
 */
export async function commitStoredObject(
  context: RequestContext,
  bucketName: string,
  key: string,
  body: StoredBody,
  headers: ObjectHeaders,
): Promise<ObjectRecord> {
  const object: ObjectRecord = {
    key,
    size: body.size,
    etag: `"${body.md5Hex}"`,
    lastModified: context.now().getTime(),
    body: [{ name: body.blob, size: body.size }],
    ...headers,
    checksum: body.checksum && { ...body.checksum, type: 'FULL_OBJECT' },
  };
  try {
    requireBucket(context, bucketName);
    await commitObject(context, bucketName, object);
  } catch (error) {
    await removeUncommittedBlobs(context, error, bodyBlobs(object));
    throw error;
  }
  return object;
}

/**
 * Deletes the new blobs of a record that was not committed (the bucket went away, the disk is
 * full), so they do not hold space until the next start. A failed log write whose record could
 * still be replayed after a crash keeps them: the next start keeps or deletes them, as it replays.
 */
export async function removeUncommittedBlobs(context: RequestContext, error: unknown, names: readonly string[]): Promise<void> {
  if (error instanceof StoreWriteError && !error.logIsClean) return;
  await removeBlobs(context, names);
}

/** Deletes those of the objects that exist, in one transaction, then their bodies. */
export async function removeObjects(context: RequestContext, bucketName: string, keys: readonly string[]): Promise<void> {
  const existing = [...new Set(keys)].flatMap((key) => context.store.get(objects, bucketName, key) ?? []);
  if (existing.length === 0) return;
  await context.store.commit(existing.map((object) => remove(objects, bucketName, object.key)));
  await removeBlobs(context, existing.flatMap(bodyBlobs));
}

/** Deletes blobs no record references any more. */
export async function removeBlobs(context: RequestContext, names: readonly string[]): Promise<void> {
  for (const name of names) await context.blobs.remove(name);
}

function bodyBlobs(object: ObjectRecord): string[] {
  return object.body.map((segment) => segment.name);
}

/** S3's canonical user id for an account (64 hex digits), stable per account. */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`canonical-user:${accountId}`).digest('hex');
}

/** Names of every blob an object or an uploaded part references: the rest are orphans of interrupted uploads. */
export function referencedBlobs(store: Store): Set<string> {
  const names = new Set<string>();
  for (const object of store.scan(objects)) bodyBlobs(object).forEach((name) => names.add(name));
  for (const part of store.scan(parts)) names.add(part.blob);
  return names;
}
