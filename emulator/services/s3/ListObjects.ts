// ListObjects (version 1), which rclone, s3cmd and older SDKs list with: it pages with Marker (a key
// to start after) where version 2 has a continuation token, returns NextMarker only with a
// delimiter (without one, clients resume after the last key listed, as S3 documents), and names
// every object's owner.
import type { ListObjectsCommandInput, ListObjectsCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { invalidArgument } from './errors';
import { compareKeys, keyEncoding, listPage } from './listing';
import { canonicalUserId, objects, requireBucket } from './state';

const MAX_KEYS = 1000;

export async function listObjects(input: ListObjectsCommandInput, context: RequestContext): Promise<OperationOutput<ListObjectsCommandOutput>> {
  const bucket = requireBucket(context, input.Bucket);
  if (input.MaxKeys !== undefined && input.MaxKeys < 0) {
    throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', String(input.MaxKeys));
  }
  const encode = keyEncoding(input.EncodingType);
  const records = new Map(context.store.entries(objects, bucket.name));
  const maxKeys = Math.min(input.MaxKeys ?? MAX_KEYS, MAX_KEYS);
  const page = listPage([...records.keys()].sort(compareKeys), {
    prefix: input.Prefix ?? '',
    delimiter: input.Delimiter || undefined,
    after: input.Marker || undefined,
    maxKeys,
  });
  const owner = { ID: canonicalUserId(bucket.ownerAccountId) };
  return {
    Name: bucket.name,
    Prefix: encode(input.Prefix ?? ''),
    Marker: encode(input.Marker ?? ''),
    NextMarker: input.Delimiter && page.isTruncated && page.last !== undefined ? encode(page.last) : undefined,
    Delimiter: input.Delimiter ? encode(input.Delimiter) : undefined,
    EncodingType: input.EncodingType,
    MaxKeys: maxKeys,
    IsTruncated: page.isTruncated,
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
