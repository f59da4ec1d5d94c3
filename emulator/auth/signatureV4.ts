// Optional SigV4 verification (`--verify-signatures`): every request must be signed — in its
// Authorization header or as a presigned URL — with one of the configured local credentials, and is
// refused as AWS refuses it otherwise (errors.ts). The expected signature comes from the SDK's own
// signer (@smithy/signature-v4), so the canonical request is built exactly as clients build it; this
// module only hands it what the client signed. S3 bodies stream, so they are checked while they are
// read (payloadSignature, used by the REST-XML protocol); other services' bodies are small and are
// read ahead here, because the hash of the body is part of what their signature covers.
import { Sha256 } from '@smithy/core/checksum';
import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { AwsError } from '../errors';
import { type ServiceName, serviceModels } from '../models';
import type { IssuedCredentials } from './issuedCredentials';
import { type AuthErrors, authErrors, invalidContentSha256, missingContentSha256, S3_AUTH_ERRORS } from './errors';
import { ChunkSignatureChain, type PayloadSignature, sameSignature, sha256Hex } from './payloadSignatures';
import type { LocalCredentials } from './issuedCredentials';
export type { LocalCredentials };

const ALGORITHM = 'AWS4-HMAC-SHA256';
const CONTENT_SHA256 = 'x-amz-content-sha256';
// What S3's `x-amz-content-sha256` may say: the body's SHA-256, chunks signed one by one, or an
// unsigned body (which checksums may still cover). SigV4a's ECDSA-signed chunks are not supported.
const SHA256_HEX = /^[0-9a-f]{64}$/;
const SIGNED_CHUNKS = /^STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER)?$/;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const UNSIGNED_BODIES = [UNSIGNED_PAYLOAD, 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'];
/** How far a header-signed request's time may be from the emulator's clock (S3's limit). */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 60 * 60;
/** Bodies read ahead to be hashed; the JSON protocols refuse larger ones anyway. */
const MAX_READ_AHEAD_BYTES = 16 * 1024 * 1024;
const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** A request as the signer takes it (the SDK's HttpRequest). */
type SignableRequest = Parameters<SignatureV4['presign']>[0];

/** What a request's signature says about itself. */
interface Authorization {
  accessKeyId: string;
  scope: { date: string; region: string; service: string };
  signedHeaders: string[];
  signature: string;
  /** `X-Amz-Date` as sent, and as a Date. */
  amzDate: string;
  signingDate: Date;
  /** Presigned URLs only: for how many seconds after `signingDate` the URL is valid. */
  expiresSeconds?: number;
}

export class SignatureVerifier {
  private readonly secrets: ReadonlyMap<string, string>;

  /** `issued`: the emulator's own key pairs (its runtime's and its jobs'), accepted beside `credentials`. */
  constructor(
    credentials: readonly LocalCredentials[],
    private readonly issued?: IssuedCredentials,
  ) {
    this.secrets = new Map(credentials.map((credential) => [credential.accessKeyId, credential.secretAccessKey]));
  }

  /** Throws the service's 403 (or 400) unless the request's signature verifies. */
  async verify(request: IncomingMessage, service: ServiceName): Promise<void> {
    const errors = authErrors(serviceModels[service]);
    const { authorization, secret } = this.authenticate(request, errors);
    let payloadHash = headerValue(request.headers, CONTENT_SHA256);
    if (service !== 's3') {
      const bodyHash = sha256Hex(await readAhead(request, MAX_READ_AHEAD_BYTES));
      if (payloadHash !== undefined && payloadHash !== bodyHash) throw errors.payloadHashMismatch();
      payloadHash = bodyHash;
    } else if (payloadHash === undefined) {
      // S3 wants the payload hash declared; presigned URLs leave the body unsigned.
      if (authorization.expiresSeconds === undefined) throw missingContentSha256();
      payloadHash = UNSIGNED_PAYLOAD;
    } else if (!SHA256_HEX.test(payloadHash) && !SIGNED_CHUNKS.test(payloadHash) && !UNSIGNED_BODIES.includes(payloadHash)) {
      throw invalidContentSha256();
    }
    const expected = await expectedSignature(request, authorization, secret, payloadHash);
    if (!sameSignature(expected, authorization.signature)) throw errors.signatureMismatch();
  }

  /** What the body of an S3 request (whose head `verify` accepted) must be checked against while it is read. */
  async payloadSignature(request: IncomingMessage): Promise<PayloadSignature> {
    const declared = headerValue(request.headers, CONTENT_SHA256) ?? UNSIGNED_PAYLOAD;
    if (SHA256_HEX.test(declared)) return { sha256: declared };
    const signedChunks = SIGNED_CHUNKS.exec(declared);
    if (!signedChunks) return {};
    const { authorization, secret } = this.authenticate(request, S3_AUTH_ERRORS);
    const { accessKeyId, scope, amzDate, signature } = authorization;
    const signingKey = await getSigningKey(Sha256, { accessKeyId, secretAccessKey: secret }, scope.date, scope.region, scope.service);
    const scopeText = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
    const trailerSigned = signedChunks[1] !== undefined;
    return { chunks: new ChunkSignatureChain(signingKey, amzDate, scopeText, signature, trailerSigned) };
  }

  /** The request's signature fields and its signer's secret, if the key is known and the time right. */
  private authenticate(request: IncomingMessage, errors: AuthErrors): { authorization: Authorization; secret: string } {
    const authorization = parseAuthorization(request, errors);
    const secret = this.secrets.get(authorization.accessKeyId) ?? this.issued?.secretOf(authorization.accessKeyId);
    if (secret === undefined) throw errors.unknownAccessKey();
    const now = Date.now();
    const signed = authorization.signingDate.getTime();
    if (authorization.expiresSeconds !== undefined) {
      if (now > signed + authorization.expiresSeconds * 1000) throw errors.expired();
    } else if (Math.abs(now - signed) > MAX_CLOCK_SKEW_MS) {
      throw errors.skewed();
    }
    return { authorization, secret };
  }
}

function parseAuthorization(request: IncomingMessage, errors: AuthErrors): Authorization {
  const header = headerValue(request.headers, 'authorization');
  if (header !== undefined) {
    const [algorithm, ...rest] = header.split(' ');
    if (algorithm !== ALGORITHM) throw errors.malformed(`the authorization mechanism is not supported; use ${ALGORITHM}`, false);
    const fields = new Map(
      rest
        .join(' ')
        .split(',')
        .map((field): [string, string] => {
          const [name, ...value] = field.trim().split('=');
          return [name, value.join('=')];
        }),
    );
    const date = headerValue(request.headers, 'x-amz-date');
    return authorizationOf(fields.get('Credential'), fields.get('SignedHeaders'), fields.get('Signature'), date, errors, false);
  }
  const query = new URLSearchParams(rawUrlParts(request.url).query);
  if (!query.has('X-Amz-Signature')) throw errors.missing();
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) throw errors.malformed(`X-Amz-Algorithm must be ${ALGORITHM}`, true);
  const expires = Number(query.get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_SECONDS) {
    throw errors.malformed(`X-Amz-Expires must be between 1 and ${MAX_PRESIGNED_SECONDS} seconds`, true);
  }
  const field = (name: string) => query.get(name) ?? undefined;
  return {
    ...authorizationOf(field('X-Amz-Credential'), field('X-Amz-SignedHeaders'), field('X-Amz-Signature'), field('X-Amz-Date'), errors, true),
    expiresSeconds: expires,
  };
}

function authorizationOf(
  credential: string | undefined,
  signedHeaders: string | undefined,
  signature: string | undefined,
  amzDate: string | undefined,
  errors: AuthErrors,
  inQuery: boolean,
): Authorization {
  const scope = CREDENTIAL.exec(credential ?? '');
  const date = AMZ_DATE.exec(amzDate ?? '');
  if (!scope || !date || !signedHeaders || !signature) {
    throw errors.malformed('it must have a Credential (<key>/<date>/<region>/<service>/aws4_request), SignedHeaders, Signature and X-Amz-Date', inQuery);
  }
  const [, year, month, day, hour, minute, second] = date.map(Number);
  return {
    accessKeyId: scope[1],
    scope: { date: scope[2], region: scope[3], service: scope[4] },
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate: date[0],
    signingDate: new Date(Date.UTC(year, month - 1, day, hour, minute, second)),
  };
}

/** The signature the SDK's signer makes of this request, given the client's choices of what to sign. */
async function expectedSignature(request: IncomingMessage, authorization: Authorization, secret: string, payloadHash: string): Promise<string> {
  const { accessKeyId, scope, signedHeaders, signingDate, expiresSeconds } = authorization;
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: secret },
    region: scope.region,
    service: scope.service,
    sha256: Sha256,
    // S3 signs the path as sent; the other services sign it percent-encoded once more.
    uriEscapePath: scope.service !== 's3',
    // Adds no header the client did not sign.
    applyChecksum: false,
  });
  const signed = new Set(signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  // The signer takes the payload hash from this header; one the client did not sign must stay out of the signed headers.
  headers[CONTENT_SHA256] = payloadHash;
  const unsignableHeaders = signed.has(CONTENT_SHA256) ? undefined : new Set([CONTENT_SHA256]);
  const { path, query } = rawUrlParts(request.url);
  const unsigned: SignableRequest = { method: request.method ?? 'GET', protocol: 'http:', hostname: '', path, query: queryParameters(query), headers };
  if (expiresSeconds !== undefined) {
    const presigned = await signer.presign(unsigned, {
      signingDate,
      expiresIn: expiresSeconds,
      signableHeaders: signed,
      unsignableHeaders,
      // The headers the client signed stay headers (presign would move x-amz-* ones into the query).
      unhoistableHeaders: new Set(Object.keys(headers)),
    });
    return String(presigned.query?.['X-Amz-Signature']);
  }
  const signedRequest = await signer.sign(unsigned, { signingDate, signableHeaders: signed, unsignableHeaders });
  return /Signature=([0-9a-f]+)$/.exec(signedRequest.headers.authorization ?? '')?.[1] ?? '';
}

/** The path and query exactly as sent: the signature covers their encoding. */
function rawUrlParts(url: string | undefined): { path: string; query: string } {
  const text = url ?? '/';
  const mark = text.indexOf('?');
  return mark === -1 ? { path: text, query: '' } : { path: text.slice(0, mark), query: text.slice(mark + 1) };
}

/** The query decoded as the signer wants it (`+` stays a plus: clients encode spaces as %20). */
function queryParameters(query: string): SignableRequest['query'] {
  const parameters = new Map<string, string | string[]>();
  for (const pair of query.split('&').filter(Boolean)) {
    const cut = pair.indexOf('=');
    const name = decodeQueryText(cut === -1 ? pair : pair.slice(0, cut));
    const value = cut === -1 ? '' : decodeQueryText(pair.slice(cut + 1));
    const existing = parameters.get(name);
    parameters.set(name, existing === undefined ? value : [existing, value].flat());
  }
  return Object.fromEntries(parameters);
}

function decodeQueryText(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Not what any client signed: the signature cannot match.
    return text;
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Reads a whole (small) body and puts it back, so that the protocol reads it as if untouched. A
 * stream takes data back (`unshift`) until it has emitted 'end', which it does only after a read that
 * found nothing left — so the data is put back in the same turn as that last read.
 */
function readAhead(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: () => void) => {
      request.off('readable', onReadable).off('end', onEnd).off('error', onError).off('close', onClose);
      outcome();
    };
    const onReadable = () => {
      for (let chunk = request.read() as Buffer | null; chunk !== null; chunk = request.read() as Buffer | null) {
        chunks.push(chunk);
        size += chunk.length;
        if (size > maxBytes) {
          settle(() => reject(new AwsError('RequestEntityTooLargeException', 413, `Request body must not exceed ${maxBytes} bytes`)));
          return;
        }
      }
      if (!request.complete) return;
      const body = Buffer.concat(chunks);
      if (body.length > 0) request.unshift(body);
      settle(() => resolve(body));
    };
    // Only for a body that had ended, empty, before this started reading.
    const onEnd = () => settle(() => resolve(Buffer.alloc(0)));
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () => settle(() => reject(new Error('the client closed the request before sending its body')));
    request.on('readable', onReadable).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
