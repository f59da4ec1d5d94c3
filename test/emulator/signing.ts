// Signed requests for the signature tests (in-process, over HTTP, and the CLI's end-to-end ones):
// headers signed as the SDK signs them (its own SignatureV4), and what the SDK never sends, signed by
// hand as AWS's SigV4 documentation describes (node:crypto alone): aws-chunked bodies whose every
// chunk, and trailer, carries its own signature — tampered with or not.
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
export const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** `20240101T000000Z` */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/** The headers that declare a signed aws-chunked S3 upload of `decodedLength` bytes (and its trailer's name). */
export function signedChunkedHeaders(decodedLength: number, trailerName?: string): Record<string, string> {
  return {
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(decodedLength),
    'x-amz-content-sha256': trailerName ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    ...(trailerName && { 'x-amz-trailer': trailerName }),
  };
}

export interface SignedChunks {
  secretAccessKey: string;
  /** When the request's headers were signed (its X-Amz-Date). */
  signingDate: Date;
  /** The request's Authorization header: its signature seeds the first chunk's. */
  authorization: string;
  chunks: Buffer[];
  /** A trailer (`name:value\n`) signed after the last chunk. */
  trailer?: string;
  /** What is changed after signing: a chunk's first byte, or the trailer's signature. */
  tamper?: 'data' | 'trailerSignature';
  /** A trailer sent in place of the signed one. */
  sentTrailer?: string;
}

/** The body of a signed aws-chunked S3 upload in us-east-1 (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]). */
export function signedChunkedBody(request: SignedChunks): Buffer {
  const date = amzDate(request.signingDate);
  const scope = `${date.slice(0, 8)}/us-east-1/s3/aws4_request`;
  const signingKey = [date.slice(0, 8), 'us-east-1', 's3', 'aws4_request'].reduce<Buffer>((key, part) => hmac(key, part), Buffer.from(`AWS4${request.secretAccessKey}`));
  let previous = /Signature=([0-9a-f]{64})/.exec(request.authorization)?.[1] ?? '';
  const parts: Buffer[] = [];
  for (const chunk of [...request.chunks, Buffer.alloc(0)]) {
    previous = hmac(signingKey, ['AWS4-HMAC-SHA256-PAYLOAD', date, scope, previous, sha256Hex(''), sha256Hex(chunk)].join('\n')).toString('hex');
    const data = request.tamper === 'data' && chunk.length > 0 ? Buffer.from(chunk).fill('X', 0, 1) : chunk;
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), data, Buffer.from(chunk.length > 0 ? '\r\n' : ''));
  }
  if (request.trailer) {
    const signature = hmac(signingKey, ['AWS4-HMAC-SHA256-TRAILER', date, scope, previous, sha256Hex(request.trailer)].join('\n')).toString('hex');
    const sent = request.tamper === 'trailerSignature' ? signature.replace(/^./, (char) => (char === '0' ? '1' : '0')) : signature;
    parts.push(Buffer.from(`${(request.sentTrailer ?? request.trailer).trimEnd()}\r\nx-amz-trailer-signature:${sent}\r\n`));
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The SDK's own signer for `service` in us-east-1 (S3 signs the path as sent, the others escape it). */
export function sdkSigner(service: string, credentials: SigningCredentials): SignatureV4 {
  return new SignatureV4({ credentials, region: 'us-east-1', service, sha256: Sha256, uriEscapePath: service !== 's3' });
}

/** Headers for a request to `url` signed as the SDK signs them for `service`, at `signingDate`. */
export async function sdkSignedHeaders(
  url: URL,
  request: { method: string; service: string; headers?: Record<string, string>; body?: string },
  credentials: SigningCredentials,
  signingDate = new Date(),
): Promise<Record<string, string>> {
  const signed = await sdkSigner(request.service, credentials).sign(
    { method: request.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host, ...request.headers }, body: request.body },
    { signingDate },
  );
  return signed.headers;
}

/** A request to sign, by its path (and query) on the server under test. */
export interface RequestToSign {
  method: string;
  path: string;
  service: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A signed aws-chunked upload's changes: a trailer (`name:value\n`), and what is tampered with after signing. */
export type ChunkedUpload = Pick<SignedChunks, 'trailer' | 'tamper' | 'sentTrailer'>;

/**
 * The SDK's signing for a test's requests to the server at `baseUrl()` (known once it has started),
 * as `credentials` unless others are given: its signer (to presign, or sign by hand), the headers
 * of a request signed at `signingDate`, and a signed aws-chunked S3 PUT (headers and body, signed now).
 */
export function sdkSigning(
  baseUrl: () => string,
  credentials: SigningCredentials,
): {
  signer: (service: string, as?: SigningCredentials) => SignatureV4;
  signedHeaders: (request: RequestToSign, signingDate?: Date, as?: SigningCredentials) => Promise<Record<string, string>>;
  chunkedPut: (path: string, chunks: Buffer[], upload?: ChunkedUpload) => Promise<{ headers: Record<string, string>; body: Buffer }>;
} {
  const signedHeaders = (request: RequestToSign, signingDate = new Date(), as = credentials) =>
    sdkSignedHeaders(new URL(request.path, baseUrl()), request, as, signingDate);
  return {
    signer: (service, as = credentials) => sdkSigner(service, as),
    signedHeaders,
    chunkedPut: async (path, chunks, upload = {}) => {
      const signingDate = new Date();
      const length = chunks.reduce((total, chunk) => total + chunk.length, 0);
      const trailerName = upload.trailer?.split(':')[0];
      const headers = await signedHeaders({ method: 'PUT', path, service: 's3', headers: signedChunkedHeaders(length, trailerName) }, signingDate);
      const body = signedChunkedBody({ secretAccessKey: credentials.secretAccessKey, signingDate, authorization: headers.authorization, chunks, ...upload });
      return { headers, body };
    },
  };
}

/** S3's (and the emulator's) allowed distance between a request's date and the clock. */
export const SKEW_LIMIT_MS = 15 * 60_000;

/** The clock-skew window's two sides: a request dated in the past, and one dated in the future. */
export const SKEW_SIDES = [
  ['past', -1],
  ['future', 1],
] as const;

/** Dates `marginMs` inside and `marginMs` outside the clock-skew window on one side of now. */
export function skewEdges(sign: -1 | 1, marginMs: number): { inside: Date; outside: Date } {
  return { inside: new Date(Date.now() + sign * (SKEW_LIMIT_MS - marginMs)), outside: new Date(Date.now() + sign * (SKEW_LIMIT_MS + marginMs)) };
}
