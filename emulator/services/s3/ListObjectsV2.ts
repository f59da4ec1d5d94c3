import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { decodePageToken, encodePageToken } from '../../pageTokens';
import { invalidArgument } from './errors';
import { compareKeys, keyEncoding, listPage } from './listing';
import { canonicalUserId, objects, requireBucket } from './state';

const MAX_KEYS = 1000;

export async function listObjectsV2(
  input: ListObjectsV2CommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListObjectsV2CommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  if (input.MaxKeys !== undefined && input.MaxKeys < 0) {
    throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', String(input.MaxKeys));
  }
  const encode = keyEncoding(input.EncodingType);
  const tokenListing = `ListObjectsV2:${bucket.name}`;
  const resumeAfter = input.ContinuationToken === undefined ? undefined : decodePageToken(tokenListing, input.ContinuationToken)?.[0];
  if (input.ContinuationToken !== undefined && resumeAfter === undefined) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
  }
  const records = new Map(context.store.entries(objects, bucket.name));
  const maxKeys = Math.min(input.MaxKeys ?? MAX_KEYS, MAX_KEYS);
  const page = listPage([...records.keys()].sort(compareKeys), {
    prefix: input.Prefix ?? '',
    delimiter: input.Delimiter,
    after: resumeAfter ?? input.StartAfter,
    maxKeys,
  });
  const owner = input.FetchOwner ? { ID: canonicalUserId(bucket.ownerAccountId) } : undefined;
  return {
    Name: bucket.name,
    Prefix: encode(input.Prefix ?? ''),
    Delimiter: input.Delimiter === undefined ? undefined : encode(input.Delimiter),
    StartAfter: input.StartAfter === undefined ? undefined : encode(input.StartAfter),
    EncodingType: input.EncodingType,
    MaxKeys: maxKeys,
    KeyCount: page.entries.length + page.commonPrefixes.length,
    IsTruncated: page.isTruncated,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: page.isTruncated && page.last !== undefined ? encodePageToken(tokenListing, [page.last]) : undefined,
    Contents: page.entries.map((key) => {
      const object = records.get(key)!;
      return {
        Key: encode(key),
        LastModified: new Date(object.lastModified),
        ETag: object.etag,
        Size: object.size,
        StorageClass: 'STANDARD',
        ChecksumAlgorithm: object.checksum && [object.checksum.algorithm],
        ChecksumType: object.checksum?.type,
        Owner: owner,
      };
    }),
    CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
  };
}
