// Storing a body (PutObject, UploadPart, CopyObject): streamed into a blob while its MD5 and flexible
// checksums are computed, and verified against what the client sent before the blob becomes durable,
// so a body that fails a check never exists.
import type { ChecksumAlgorithm } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { AwsError } from '../../errors';
import type { RequestContext } from '../../operations';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumMembers,
  checkChecksumValue,
  checksumMember,
  createDigest,
  type Digest,
  isChecksumAlgorithm,
} from './checksums';
import { invalidRequest } from './errors';
import { StreamedMd5 } from './md5Workers';
import type { ChecksumValue } from './checksums';

/** S3's largest single PUT, part and copy source. */
export const MAX_BODY_BYTES = 5 * 1024 ** 3;

/** The members of an upload request that describe its body. */
export interface UploadedBody extends ChecksumMembers {
  Body?: unknown;
  ContentLength?: number;
  ContentMD5?: string;
  ChecksumAlgorithm?: string;
}

export interface StoredBody {
  blob: string;
  size: number;
  md5Hex: string;
  checksum?: ChecksumValue;
}

export async function storeBody(context: RequestContext, upload: UploadedBody): Promise<StoredBody> {
  const body = upload.Body;
  if (!(body instanceof Readable)) throw new Error('the REST protocol hands request bodies over as streams');
  const expectedSize = upload.ContentLength;
  if (expectedSize === undefined) throw new AwsError('MissingContentLength', 411, 'You must provide the Content-Length HTTP header.');
  if (expectedSize > MAX_BODY_BYTES) {
    throw new AwsError('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(expectedSize),
      MaxSizeAllowed: String(MAX_BODY_BYTES),
    });
  }
  const expectedMd5 = upload.ContentMD5 === undefined ? undefined : decodeContentMd5(upload.ContentMD5);
  checkChecksumMembers(upload);
  const md5 = new StreamedMd5();
  const digests = requestedChecksumAlgorithms(upload).flatMap((algorithm): [ChecksumAlgorithm, Digest][] => {
    const digest = createDigest(algorithm);
    return digest ? [[algorithm, digest]] : [];
  });
  const computed = new Map<ChecksumAlgorithm, string>();
  let md5Hex = '';
  let size = 0;

  async function* verifiedBody(readable: Readable): AsyncIterable<Uint8Array> {
    // Stopping early must not destroy the request: its socket still carries the error response.
    for await (const chunk of readable.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      const hashing = md5.update(chunk);
      if (hashing) await hashing;
      for (const [, digest] of digests) digest.update(chunk);
      size += chunk.length;
      yield chunk;
    }
    if (size !== expectedSize) {
      throw new AwsError('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header');
    }
    const md5Bytes = await md5.digest();
    md5Hex = md5Bytes.toString('hex');
    if (expectedMd5 && !expectedMd5.equals(md5Bytes)) {
      throw new AwsError('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
    }
    // Trailing checksums (aws-chunked) are in `upload` by now: the protocol binds them at the body's end.
    checkChecksumMembers(upload);
    for (const [algorithm, digest] of digests) {
      const value = await digest.digest();
      const sent = upload[checksumMember(algorithm)];
      if (sent !== undefined && sent !== value) {
        throw new AwsError('BadDigest', 400, `The ${algorithm} you specified did not match the calculated checksum.`);
      }
      computed.set(algorithm, value);
    }
  }

  let name: string;
  try {
    ({ name } = await context.blobs.write(verifiedBody(body)));
  } catch (error) {
    md5.cancel();
    throw error;
  }
  return { blob: name, size, md5Hex, checksum: checksumToKeep(upload, computed) };
}

/** The declared algorithm (`x-amz-sdk-checksum-algorithm`) and those whose value came as a header. */
export function requestedChecksumAlgorithms(upload: UploadedBody): ChecksumAlgorithm[] {
  return CHECKSUM_ALGORITHMS.filter(
    (algorithm) => upload.ChecksumAlgorithm === algorithm || upload[checksumMember(algorithm)] !== undefined,
  );
}

/**
 * At most one checksum value, well-formed, and of the declared algorithm if one is declared, as S3
 * requires (InvalidRequest otherwise).
 */
function checkChecksumMembers(upload: UploadedBody): void {
  const sent = CHECKSUM_ALGORITHMS.filter((algorithm) => upload[checksumMember(algorithm)] !== undefined);
  if (sent.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  if (sent.length === 0) return;
  if (upload.ChecksumAlgorithm !== undefined && upload.ChecksumAlgorithm !== sent[0]) {
    throw invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
  }
  checkChecksumValue(sent[0], upload[checksumMember(sent[0])] ?? '');
}

/**
 * S3 keeps one checksum per object: the declared algorithm's, else the one sent. A value the
 * emulator cannot compute (XXHASH) is kept as sent.
 */
function checksumToKeep(upload: UploadedBody, computed: Map<ChecksumAlgorithm, string>): StoredBody['checksum'] {
  const declared = upload.ChecksumAlgorithm && isChecksumAlgorithm(upload.ChecksumAlgorithm) ? [upload.ChecksumAlgorithm] : [];
  for (const algorithm of [...declared, ...CHECKSUM_ALGORITHMS]) {
    const value = computed.get(algorithm) ?? upload[checksumMember(algorithm)];
    if (value !== undefined) return { algorithm, value };
  }
  return undefined;
}

/**
 * What S3 requires of a request body that its model marks `requestChecksumRequired` (DeleteObjects):
 * Content-MD5 or one `x-amz-checksum-*` header, matching the body. (A web page cannot send either
 * header without a CORS preflight, which the emulator never grants unasked.)
 */
export async function checkRequiredChecksum(headers: IncomingHttpHeaders, body: Buffer): Promise<void> {
  const contentMd5 = headerText(headers['content-md5']);
  const sent = CHECKSUM_ALGORITHMS.filter((algorithm) => headers[`x-amz-checksum-${algorithm.toLowerCase()}`] !== undefined);
  if (contentMd5 === undefined && sent.length === 0) throw invalidRequest('Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
  if (contentMd5 !== undefined && !decodeContentMd5(contentMd5).equals(createHash('md5').update(body).digest())) {
    throw new AwsError('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
  }
  if (sent.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  if (sent.length === 0) return;
  const algorithm = sent[0];
  const value = headerText(headers[`x-amz-checksum-${algorithm.toLowerCase()}`]) ?? '';
  checkChecksumValue(algorithm, value);
  const digest = createDigest(algorithm);
  if (!digest) return;
  digest.update(body);
  if ((await digest.digest()) !== value) throw new AwsError('BadDigest', 400, `The ${algorithm} you specified did not match the calculated checksum.`);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function decodeContentMd5(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== text) {
    throw new AwsError('InvalidDigest', 400, 'The Content-MD5 you specified was not valid.');
  }
  return bytes;
}
