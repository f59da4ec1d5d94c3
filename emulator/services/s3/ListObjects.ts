// ListObjects (version 1), which rclone, s3cmd and older SDKs list with: it pages with Marker (a key
// to start after) where version 2 has a continuation token, returns NextMarker only with a
// delimiter (without one, clients resume after the last key listed, as S3 documents), and names
// every object's owner.
import type { ListObjectsCommandInput, ListObjectsCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { objectListing, objectPage } from './listing';

export async function listObjects(input: ListObjectsCommandInput, context: RequestContext): Promise<OperationOutput<ListObjectsCommandOutput>> {
  const listing = objectListing(context, input);
  const { encode, maxKeys } = listing;
  const { page, Contents, CommonPrefixes } = objectPage(context, listing, {
    prefix: input.Prefix ?? '',
    delimiter: input.Delimiter || undefined,
    after: input.Marker || undefined,
    withOwner: true,
  });
  return {
    Name: listing.bucket.name,
    Prefix: encode(input.Prefix ?? ''),
    Marker: encode(input.Marker ?? ''),
    NextMarker: input.Delimiter && page.isTruncated && page.last !== undefined ? encode(page.last) : undefined,
    Delimiter: input.Delimiter ? encode(input.Delimiter) : undefined,
    EncodingType: input.EncodingType,
    MaxKeys: maxKeys,
    IsTruncated: page.isTruncated,
    Contents,
    CommonPrefixes,
  };
}
