// What CopyObject and UploadPartCopy share: the source named by `x-amz-copy-source`, its conditions
// (`x-amz-copy-source-if-*`, of which any failing one is 412), and streaming its bytes into a new blob.
import type { CopyObjectCommandInput } from '@aws-sdk/client-s3';
import type { RequestContext } from '../../operations';
import type { ByteRange } from '../../store/blobs';
import { invalidArgument, noSuchKey } from './errors';
import { type StoredBody, storeBody } from './objectBodies';
import { checkPreconditions, preconditionFailed } from './objectReads';
import { type BucketRecord, type ObjectRecord, objects, requireBucket } from './state';

export type CopySourceMembers = Pick<
  CopyObjectCommandInput,
  'CopySource' | 'CopySourceIfMatch' | 'CopySourceIfNoneMatch' | 'CopySourceIfModifiedSince' | 'CopySourceIfUnmodifiedSince'
>;

/** The source object, or NoSuchBucket / AccessDenied / NoSuchKey / PreconditionFailed. */
export function copySourceObject(context: RequestContext, input: CopySourceMembers): { bucket: BucketRecord; object: ObjectRecord } {
  const copySource = parseCopySource(input.CopySource ?? '');
  const bucket = requireBucket(context, copySource.bucket);
  const object = context.store.get(objects, bucket.name, copySource.key);
  if (!object) throw noSuchKey(copySource.key);
  checkPreconditions(
    object,
    {
      IfMatch: input.CopySourceIfMatch,
      IfNoneMatch: input.CopySourceIfNoneMatch,
      IfModifiedSince: input.CopySourceIfModifiedSince,
      IfUnmodifiedSince: input.CopySourceIfUnmodifiedSince,
    },
    preconditionFailed,
  );
  return { bucket, object };
}

/**
 * Stores the source's body (or a range of it) as a new blob, streamed and checked as an upload is,
 * with the checksum of `checksumAlgorithm` if given.
 */
export async function copyBody(
  context: RequestContext,
  source: ObjectRecord,
  range: ByteRange | undefined,
  checksumAlgorithm: string | undefined,
): Promise<StoredBody> {
  const sourceBody = await context.blobs.read(source.body, range);
  try {
    return await storeBody(context, {
      Body: sourceBody,
      ContentLength: range ? range.end - range.start + 1 : source.size,
      ChecksumAlgorithm: checksumAlgorithm,
    });
  } finally {
    // storeBody leaves a stream it stopped reading open (request bodies must stay usable).
    sourceBody.destroy();
  }
}

/**
 * `x-amz-copy-source`: `[/]bucket/key[?versionId=...]` with the key URL-encoded. The version id is
 * ignored: buckets here have no versioning, so every object is its only version.
 */
function parseCopySource(header: string): { bucket: string; key: string } {
  const invalid = () => invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', header);
  // The query is split off first: a `?` inside the key arrives encoded.
  const path = header.split('?', 1)[0].replace(/^\//, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw invalid();
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw invalid();
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}
