// Listing paging over sorted keys (ListObjectsV2, ListMultipartUploads): prefix, delimiter roll-up into
// common prefixes, max-keys, and a position to resume after. Pure, so the subtle cases are unit-tested
// directly.
import type { _Object, CommonPrefix } from '@aws-sdk/client-s3';
import type { RequestContext } from '../../operations';
import { invalidArgument } from './errors';
import { type BucketRecord, canonicalUserId, objects, requireBucket } from './state';

/**
 * S3 orders keys by their UTF-8 bytes, which is code point order. JavaScript compares UTF-16 code
 * units, which differs only between surrogates (astral characters) and U+E000..U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(codeUnit: number): number {
  if (codeUnit >= 0xe000) return codeUnit - 0x800;
  if (codeUnit >= 0xd800) return codeUnit + 0x2000;
  return codeUnit;
}

/**
 * How a listing writes key-like values: with `encoding-type=url` they are percent-encoded, so that keys
 * XML cannot carry survive.
 */
export function keyEncoding(encodingType: string | undefined): (text: string) => string {
  if (encodingType === undefined) return (text) => text;
  if (encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  return encodeURIComponent;
}

export interface ListRequest {
  prefix: string;
  delimiter?: string;
  /** Resume strictly after this key or common prefix. */
  after?: string;
  maxKeys: number;
}

export interface ListPage<Entry> {
  entries: Entry[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The key of the page's last entry, or its last common prefix: where the next page resumes. */
  last?: string;
}

/** One page of `sortedKeys` (sorted with `compareKeys`). */
export function listPage(sortedKeys: readonly string[], request: ListRequest): ListPage<string> {
  const { after } = request;
  return listEntries(sortedKeys, (key) => key, (key) => after !== undefined && compareKeys(key, after) <= 0, request);
}

/**
 * One page of `sorted`, whose entries are ordered by their keys (with `compareKeys`; several may
 * share a key, e.g. the uploads of one key), starting at the first one under the prefix that
 * `listedBefore` does not claim. `listedBefore` must hold for a leading run of `sorted` only.
 */
export function listEntries<Entry>(
  sorted: readonly Entry[],
  keyOf: (entry: Entry) => string,
  listedBefore: (entry: Entry) => boolean,
  request: ListRequest,
): ListPage<Entry> {
  const { prefix, delimiter, after, maxKeys } = request;
  const page: ListPage<Entry> = { entries: [], commonPrefixes: [], isTruncated: false };
  // Resuming after a common prefix skips every entry under it.
  let lastCommonPrefix = after;
  const start = firstIndexWhereNot(sorted, (entry) => compareKeys(keyOf(entry), prefix) < 0 || listedBefore(entry));
  for (let index = start; index < sorted.length; index++) {
    const entry = sorted[index];
    const key = keyOf(entry);
    if (!key.startsWith(prefix)) break;
    const commonPrefix = delimiter ? commonPrefixOf(key, prefix, delimiter) : undefined;
    if (commonPrefix !== undefined && commonPrefix === lastCommonPrefix) continue;
    if (page.entries.length + page.commonPrefixes.length === maxKeys) {
      page.isTruncated = maxKeys > 0;
      break;
    }
    if (commonPrefix !== undefined) {
      page.commonPrefixes.push(commonPrefix);
      lastCommonPrefix = commonPrefix;
    } else {
      page.entries.push(entry);
    }
    page.last = commonPrefix ?? key;
  }
  return page;
}

/** `photos/2024/` for key `photos/2024/a.jpg`, prefix `photos/` and delimiter `/`. */
function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const cut = key.indexOf(delimiter, prefix.length);
  return cut === -1 ? undefined : key.slice(0, cut + delimiter.length);
}

/** Index of the first entry for which `before` is false (binary search: `before` holds for a leading run). */
function firstIndexWhereNot<Entry>(sorted: readonly Entry[], before: (entry: Entry) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(sorted[middle])) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The most keys one ListObjects or ListObjectsV2 page holds. */
const MAX_OBJECT_KEYS = 1000;

/** What ListObjects and ListObjectsV2 check first, in S3's order: the bucket, then max-keys. */
export function objectListing(
  context: RequestContext,
  input: { Bucket?: string; MaxKeys?: number; EncodingType?: string },
): { bucket: BucketRecord; encode: (text: string) => string; maxKeys: number } {
  const bucket = requireBucket(context, input.Bucket);
  if (input.MaxKeys !== undefined && input.MaxKeys < 0) {
    throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', String(input.MaxKeys));
  }
  return { bucket, encode: keyEncoding(input.EncodingType), maxKeys: Math.min(input.MaxKeys ?? MAX_OBJECT_KEYS, MAX_OBJECT_KEYS) };
}

/** One page of a bucket's objects as both versions list them: Contents (with Owner if asked) and CommonPrefixes. */
export function objectPage(
  context: RequestContext,
  listing: ReturnType<typeof objectListing>,
  request: { prefix: string; delimiter?: string; after?: string; withOwner: boolean },
): { page: ListPage<string>; Contents: _Object[]; CommonPrefixes: CommonPrefix[] } {
  const { bucket, encode, maxKeys } = listing;
  const records = new Map(context.store.entries(objects, bucket.name));
  const page = listPage([...records.keys()].sort(compareKeys), { prefix: request.prefix, delimiter: request.delimiter, after: request.after, maxKeys });
  const owner = request.withOwner ? { ID: canonicalUserId(bucket.ownerAccountId) } : undefined;
  return {
    page,
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
