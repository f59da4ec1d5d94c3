// Checks of an S3 body against what its signature covers, as it streams: the SHA-256 the client
// declared in `x-amz-content-sha256`, or the chain of chunk signatures of an aws-chunked body
// (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`), each chunk's signature covering the one before.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { ChunkSignatures } from '../protocols/awsChunked';
import { S3_AUTH_ERRORS } from './errors';

/** What an S3 body must still be checked against once its request's head has verified. */
export interface PayloadSignature {
  /** The SHA-256 (hex) the whole body must have. */
  sha256?: string;
  /** For an aws-chunked body signed chunk by chunk. */
  chunks?: ChunkSignatures;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Compares signatures in constant time, so timing reveals nothing about the expected one. */
export function sameSignature(expected: string, provided: string): boolean {
  const expectedBytes = Buffer.from(expected);
  const providedBytes = Buffer.from(provided);
  return expectedBytes.length === providedBytes.length && timingSafeEqual(expectedBytes, providedBytes);
}

/** Throws S3's error if a (small, buffered) body does not have the signed SHA-256. */
export function checkPayloadHash(body: Uint8Array, expectedSha256: string): void {
  if (sha256Hex(body) !== expectedSha256) throw S3_AUTH_ERRORS.payloadHashMismatch();
}

/** Passes a streamed body through, failing at its end if it does not have the signed SHA-256. */
export class PayloadHashCheck extends Transform {
  private readonly hash = createHash('sha256');

  constructor(private readonly expectedSha256: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.hash.digest('hex') === this.expectedSha256 ? null : S3_AUTH_ERRORS.payloadHashMismatch());
  }
}

/** The signature chain of one aws-chunked body, seeded with the signature of its request's head. */
export class ChunkSignatureChain implements ChunkSignatures {
  private previous: string;

  constructor(
    private readonly signingKey: Uint8Array,
    /** `X-Amz-Date` of the request. */
    private readonly amzDate: string,
    /** `<date>/<region>/<service>/aws4_request` */
    private readonly scope: string,
    seedSignature: string,
    /** `...-TRAILER`: the trailing headers carry a signature too. */
    private readonly trailerSigned: boolean,
  ) {
    this.previous = seedSignature;
  }

  verifyChunk(signature: string | undefined, dataSha256: string): void {
    this.verify(signature, ['AWS4-HMAC-SHA256-PAYLOAD', this.amzDate, this.scope, this.previous, EMPTY_SHA256, dataSha256]);
  }

  verifyTrailers(trailers: ReadonlyMap<string, string>): void {
    if (!this.trailerSigned) return;
    const canonical = [...trailers]
      .filter(([name]) => name !== TRAILER_SIGNATURE)
      .map(([name, value]) => `${name}:${value}\n`)
      .join('');
    this.verify(trailers.get(TRAILER_SIGNATURE), ['AWS4-HMAC-SHA256-TRAILER', this.amzDate, this.scope, this.previous, sha256Hex(canonical)]);
  }

  private verify(signature: string | undefined, stringToSign: string[]): void {
    const expected = createHmac('sha256', this.signingKey).update(stringToSign.join('\n')).digest('hex');
    if (signature === undefined || !sameSignature(expected, signature)) throw S3_AUTH_ERRORS.signatureMismatch();
    this.previous = signature;
  }
}
