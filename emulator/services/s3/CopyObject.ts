import type { CopyObjectCommandInput, CopyObjectCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { objectChecksumMembers } from './checksums';
import { invalidArgument, invalidRequest, noSuchKey } from './errors';
import { MAX_BODY_BYTES, type StoredBody, storeBody } from './objectBodies';
import { checkPreconditions, preconditionFailed } from './objectReads';
import { checkKeyLength, commitStoredObject, headersOf, objectHeaders, objects, requireBucket } from './state';

/**
 * Copies an object's body into a new blob (its MD5 is the new ETag, even from a multipart source,
 * as in S3) with the source's headers (`COPY`, the default) or the request's (`REPLACE`).
 */
export async function copyObject(
  input: CopyObjectCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CopyObjectCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  const key = input.Key ?? '';
  checkKeyLength(key);
  const copySource = parseCopySource(input.CopySource ?? '');
  const sourceBucket = requireBucket(context, copySource.bucket);
  const source = context.store.get(objects, sourceBucket.name, copySource.key);
  if (!source) throw noSuchKey(copySource.key);
  checkPreconditions(
    source,
    {
      IfMatch: input.CopySourceIfMatch,
      IfNoneMatch: input.CopySourceIfNoneMatch,
      IfModifiedSince: input.CopySourceIfModifiedSince,
      IfUnmodifiedSince: input.CopySourceIfUnmodifiedSince,
    },
    preconditionFailed,
  );
  const directive = input.MetadataDirective ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  if (directive === 'COPY' && sourceBucket.name === bucket.name && copySource.key === key) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  if (source.size > MAX_BODY_BYTES) {
    throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_BODY_BYTES}`);
  }
  const headers = directive === 'REPLACE' ? objectHeaders(input) : headersOf(source);
  const sourceBody = await context.blobs.read(source.body);
  let body: StoredBody;
  try {
    body = await storeBody(context, {
      Body: sourceBody,
      ContentLength: source.size,
      ChecksumAlgorithm: input.ChecksumAlgorithm ?? source.checksum?.algorithm,
    });
  } finally {
    // storeBody leaves a stream it stopped reading open (request bodies must stay usable).
    sourceBody.destroy();
  }
  const object = await commitStoredObject(context, bucket.name, key, body, headers);
  return {
    CopyObjectResult: { ETag: object.etag, LastModified: new Date(object.lastModified), ...objectChecksumMembers(object.checksum) },
  };
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
