// What GetObject and HeadObject share: lookup, conditional requests (RFC 9110 order; CopyObject checks
// its copy source with them too), byte ranges or a part by number, and the response headers
// describing the object.
import type { GetObjectCommandInput, HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors';
import type { OperationOutput, RequestContext } from '../../operations';
import type { ByteRange } from '../../store/blobs';
import { objectChecksumMembers } from './checksums';
import { invalidRequest, noSuchKey } from './errors';
import { type ObjectChecksum, type ObjectRecord, objects, requireBucket } from './state';
import { checkPartNumber } from './multipart/uploads';

/** The request members both operations have (HeadObject's input type is a subset of GetObject's). */
export type ObjectReadInput = Pick<
  GetObjectCommandInput,
  | 'Bucket' | 'Key' | 'IfMatch' | 'IfNoneMatch' | 'IfModifiedSince' | 'IfUnmodifiedSince' | 'Range' | 'PartNumber' | 'ChecksumMode'
  | 'ResponseCacheControl' | 'ResponseContentDisposition' | 'ResponseContentEncoding' | 'ResponseContentLanguage'
  | 'ResponseContentType' | 'ResponseExpires'
>;

export interface ObjectRead {
  object: ObjectRecord;
  /** Absent: the whole object. */
  range?: ByteRange;
  output: OperationOutput<HeadObjectCommandOutput>;
}

export function readObject(context: RequestContext, input: ObjectReadInput): ObjectRead {
  const partNumber = input.PartNumber === undefined ? undefined : checkPartNumber(input.PartNumber);
  if (partNumber !== undefined && input.Range !== undefined) throw invalidRequest('Cannot specify both Range header and partNumber query parameter');
  const bucket = requireBucket(context, input.Bucket);
  const object = context.store.get(objects, bucket.name, input.Key ?? '');
  if (!object) throw noSuchKey(input.Key ?? '');
  checkPreconditions(object, input, notModified);
  const part = partNumber === undefined ? undefined : objectPart(object, partNumber);
  const range = part ? part.range : input.Range === undefined ? undefined : parseRange(input.Range, object.size);
  const length = range ? range.end - range.start + 1 : object.size;
  // The object's checksum describes all of it, so S3 sends none with a byte range; a part has its own.
  const checksum = input.ChecksumMode !== 'ENABLED' ? undefined : part ? part.checksum : range ? undefined : object.checksum;
  return {
    object,
    range,
    output: {
      AcceptRanges: 'bytes',
      LastModified: new Date(object.lastModified),
      ContentLength: length,
      ETag: object.etag,
      ContentType: input.ResponseContentType ?? object.contentType,
      ContentEncoding: input.ResponseContentEncoding ?? object.contentEncoding,
      ContentDisposition: input.ResponseContentDisposition ?? object.contentDisposition,
      ContentLanguage: input.ResponseContentLanguage ?? object.contentLanguage,
      CacheControl: input.ResponseCacheControl ?? object.cacheControl,
      Expires: input.ResponseExpires ?? (object.expires === undefined ? undefined : new Date(object.expires)),
      Metadata: object.metadata,
      ContentRange: range && range.end >= range.start ? `bytes ${range.start}-${range.end}/${object.size}` : undefined,
      PartsCount: part?.partsCount,
      ...objectChecksumMembers(checksum),
    },
  };
}

interface ObjectPart {
  range: ByteRange;
  /** Only for an object made by a multipart upload. */
  partsCount?: number;
  checksum?: ObjectChecksum;
}

/**
 * Part `partNumber` of the object: of a multipart object, the bytes of that uploaded part (with its
 * checksum, if the upload had them); of any other object, part 1 is all of it. Others are 416.
 */
function objectPart(object: ObjectRecord, partNumber: number): ObjectPart {
  const partsCount = multipartPartsCount(object);
  if (partNumber > (partsCount ?? 1)) {
    throw new AwsError('InvalidPartNumber', 416, 'The requested partnumber is not satisfiable', {
      PartNumberRequested: String(partNumber),
      ActualPartCount: String(partsCount ?? 1),
    });
  }
  if (partsCount === undefined) return { range: { start: 0, end: object.size - 1 }, checksum: object.checksum };
  const start = object.body.slice(0, partNumber - 1).reduce((offset, segment) => offset + segment.size, 0);
  const value = object.partChecksums?.[partNumber - 1];
  return {
    range: { start, end: start + object.body[partNumber - 1].size - 1 },
    partsCount,
    checksum: object.checksum && value !== undefined ? { ...object.checksum, value } : undefined,
  };
}

/** A multipart object's ETag ends in `-<part count>`, and its body is its parts' blobs. */
function multipartPartsCount(object: ObjectRecord): number | undefined {
  return /-\d+"$/.test(object.etag) ? object.body.length : undefined;
}

export type Preconditions = Pick<GetObjectCommandInput, 'IfMatch' | 'IfNoneMatch' | 'IfModifiedSince' | 'IfUnmodifiedSince'>;

/**
 * If-Match / If-Unmodified-Since → 412; If-None-Match / If-Modified-Since → `unchanged` (304 for a
 * read, 412 for a copy source), in RFC 9110's order.
 */
export function checkPreconditions(object: ObjectRecord, input: Preconditions, unchanged: (condition: string) => AwsError): void {
  // HTTP dates have whole seconds.
  const modifiedSecond = Math.floor(object.lastModified / 1000) * 1000;
  if (input.IfMatch !== undefined) {
    if (!etagListMatches(input.IfMatch, object.etag)) throw preconditionFailed('If-Match');
  } else if (input.IfUnmodifiedSince !== undefined && modifiedSecond > input.IfUnmodifiedSince.getTime()) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (input.IfNoneMatch !== undefined) {
    if (etagListMatches(input.IfNoneMatch, object.etag)) throw unchanged('If-None-Match');
  } else if (input.IfModifiedSince !== undefined && modifiedSecond <= input.IfModifiedSince.getTime()) {
    throw unchanged('If-Modified-Since');
  }
}

function etagListMatches(header: string, etag: string): boolean {
  return header.split(',').some((candidate) => {
    const trimmed = candidate.trim().replace(/^W\//, '');
    return trimmed === '*' || trimmed === etag || `"${trimmed}"` === etag;
  });
}

export function preconditionFailed(condition: string): AwsError {
  return new AwsError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });
}

/** A 304 has no body; the SDKs surface it as an error named after the status. */
function notModified(): AwsError {
  return new AwsError('NotModified', 304, 'Not Modified');
}

/**
 * `bytes=a-b`, `bytes=a-` or `bytes=-n`. Like S3, anything else (including several ranges) is ignored
 * and the whole object returned; a range starting past the end is 416.
 */
function parseRange(header: string, size: number): ByteRange | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1], match[2]].map((text) => (text === '' ? undefined : Number(text)));
  let range: ByteRange;
  if (first === undefined) {
    range = { start: Math.max(0, size - (last ?? 0)), end: size - 1 };
    if (last === 0) throw invalidRange(header, size);
  } else {
    if (last !== undefined && last < first) return undefined;
    range = { start: first, end: Math.min(last ?? size - 1, size - 1) };
  }
  if (range.start >= size) throw invalidRange(header, size);
  return range;
}

function invalidRange(header: string, size: number): AwsError {
  return new AwsError('InvalidRange', 416, 'The requested range is not satisfiable', {
    RangeRequested: header,
    ActualObjectSize: String(size),
  });
}
