// S3 ListObjectsV2: Returns some or all (up to 1,000) of the objects in a bucket with each request.
import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../operations';
import { decodePageToken, encodePageToken } from '../../pageTokens';
import { invalidArgument } from './errors';
import { objectListing, objectPage } from './listing';

export async function listObjectsV2(
  input: ListObjectsV2CommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListObjectsV2CommandOutput>> {
  const listing = objectListing(context, input);
  const { encode, maxKeys } = listing;
  const tokenListing = `ListObjectsV2:${listing.bucket.name}`;
  const resumeAfter = input.ContinuationToken === undefined ? undefined : decodePageToken(tokenListing, input.ContinuationToken)?.[0];
  if (input.ContinuationToken !== undefined && resumeAfter === undefined) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
  }
  const { page, Contents, CommonPrefixes } = objectPage(context, listing, {
    prefix: input.Prefix ?? '',
    delimiter: input.Delimiter,
    after: resumeAfter ?? input.StartAfter,
    withOwner: input.FetchOwner === true,
  });
  return {
    Name: listing.bucket.name,
    Prefix: encode(input.Prefix ?? ''),
    Delimiter: input.Delimiter === undefined ? undefined : encode(input.Delimiter),
    StartAfter: input.StartAfter === undefined ? undefined : encode(input.StartAfter),
    EncodingType: input.EncodingType,
    MaxKeys: maxKeys,
    KeyCount: page.entries.length + page.commonPrefixes.length,
    IsTruncated: page.isTruncated,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: page.isTruncated && page.last !== undefined ? encodePageToken(tokenListing, [page.last]) : undefined,
    Contents,
    CommonPrefixes,
  };
}
