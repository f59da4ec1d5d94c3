// S3 CopyObject: Creates a copy of an object that is already stored in Amazon S3.
import type { CopyObjectCommandInput, CopyObjectCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { objectChecksumMembers } from './checksums';
import { copyBody, copySourceObject } from './copySources';
import { invalidArgument, invalidRequest } from './errors';
import { MAX_BODY_BYTES } from './objectBodies';
import { commitStoredObject, headersOf, objectHeaders, requireNewObjectTarget } from './state';

/**
 * Copies an object's body into a new blob (its MD5 is the new ETag, even from a multipart source,
 * as in S3) with the source's headers (`COPY`, the default) or the request's (`REPLACE`).
 */
export async function copyObject(
  input: CopyObjectCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CopyObjectCommandOutput>> {
  const { bucket, key } = requireNewObjectTarget(context, input);
  const { bucket: sourceBucket, object: source } = copySourceObject(context, input);
  const directive = input.MetadataDirective ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  if (directive === 'COPY' && sourceBucket.name === bucket.name && source.key === key) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  if (source.size > MAX_BODY_BYTES) {
    throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_BODY_BYTES}`);
  }
  const headers = directive === 'REPLACE' ? objectHeaders(input) : headersOf(source);
  const body = await copyBody(context, source, undefined, input.ChecksumAlgorithm ?? source.checksum?.algorithm);
  const object = await commitStoredObject(context, bucket.name, key, body, headers);
  return {
    CopyObjectResult: { ETag: object.etag, LastModified: new Date(object.lastModified), ...objectChecksumMembers(object.checksum) },
  };
}
