// S3 ListBuckets: This operation is not supported for directory buckets.
import type { ListBucketsCommandInput, ListBucketsCommandOutput } from '@aws-sdk/client-s3';
import type { OperationOutput, RequestContext } from '../../../operations';
import { decodePageToken, encodePageToken } from '../../../pageTokens';
import { invalidArgument } from '../errors';
import { allBuckets, canonicalUserId } from '../state';

const MAX_BUCKETS = 10000;

export async function listBuckets(
  input: ListBucketsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListBucketsCommandOutput>> {
  const maxBuckets = input.MaxBuckets ?? MAX_BUCKETS;
  if (maxBuckets < 1 || maxBuckets > MAX_BUCKETS) {
    throw invalidArgument(`max-buckets must be between 1 and ${MAX_BUCKETS}`, 'max-buckets', String(maxBuckets));
  }
  const after = input.ContinuationToken === undefined ? undefined : decodePageToken('ListBuckets', input.ContinuationToken)?.[0];
  if (input.ContinuationToken !== undefined && after === undefined) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
  }
  const matching = allBuckets(context.store)
    .filter(
      (bucket) =>
        bucket.ownerAccountId === context.accountId &&
        bucket.name.startsWith(input.Prefix ?? '') &&
        (input.BucketRegion === undefined || bucket.region === input.BucketRegion) &&
        (after === undefined || bucket.name > after),
    )
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = matching.slice(0, maxBuckets);
  const last = page.at(-1);
  return {
    Buckets: page.map((bucket) => ({
      Name: bucket.name,
      CreationDate: new Date(bucket.createdAt),
      BucketRegion: bucket.region,
    })),
    Owner: { ID: canonicalUserId(context.accountId) },
    Prefix: input.Prefix,
    ContinuationToken: matching.length > page.length && last ? encodePageToken('ListBuckets', [last.name]) : undefined,
  };
}
