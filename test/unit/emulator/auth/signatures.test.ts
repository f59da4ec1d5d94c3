// SigV4 verification at its edges, in-process (fast, and seen by mutation testing's coverage): the
// clock-skew window both ways (a request dated 15 minutes off is refused whether it is in the past or
// the future, one just inside is accepted), presigned URLs at their expiry and at X-Amz-Expires'
// limits, malformed signatures, unknown keys, payload hashes, S3's x-amz-content-sha256 rules and
// signed aws-chunked bodies — each refused with the code of its protocol (S3 XML or JSON).
// test/emulator/auth/signatures.test.ts checks the same flags end to end through the CLI and the AWS CLI.
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../../../emulator/server';
import { type RawResponse, rawRequest } from '../../../emulator/helpers';
import { sha256Hex, signedChunkedBody, signedChunkedHeaders } from '../../../emulator/signing';
import { makeTempDir } from '../../../../harness/emulatorClients';

const CREDENTIALS = { accessKeyId: 'AKIDLOCALVERIFY', secretAccessKey: 'local+Secret/never-shown' };
const BUCKET = 'signed-bucket';
const MINUTE = 60_000;
/** S3's (and the emulator's) allowed distance between a request's date and the clock. */
const SKEW_LIMIT = 15 * MINUTE;
/** Far enough from an edge that the time a request takes to arrive cannot cross it. */
const MARGIN = 10_000;

function errorCode(response: RawResponse): string | undefined {
  if (response.body.startsWith('<')) return /<Code>([^<]+)<\/Code>/.exec(response.body)?.[1];
  return response.body ? (JSON.parse(response.body) as { __type?: string }).__type : undefined;
}

describe('SigV4 verification (in-process)', () => {
  const home = makeTempDir('emulator-signature-edges');
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ dataDir: join(home.path, 'data'), verifySignatures: [CREDENTIALS], runtime: { maxConcurrentJobs: 0, runEndpoints: false } });
    const created = await s3Request({ method: 'PUT', path: `/${BUCKET}` });
    assert.equal(created.status, 200, created.body);
  });
  after(async () => {
    await emulator.close();
    home.remove();
  });

  const signer = (service: string, credentials = CREDENTIALS) =>
    new SignatureV4({ credentials, region: 'us-east-1', service, sha256: Sha256, uriEscapePath: service !== 's3' });

  /** Headers signed as the SDK signs them, at `signingDate`. */
  async function signedHeaders(
    request: { method: string; path: string; service: string; headers?: Record<string, string>; body?: string },
    signingDate = new Date(),
    credentials = CREDENTIALS,
  ): Promise<Record<string, string>> {
    const url = new URL(request.path, emulator.url);
    const signed = await signer(request.service, credentials).sign(
      { method: request.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host, ...request.headers }, body: request.body },
      { signingDate },
    );
    return signed.headers;
  }

  async function s3Request(request: { method?: string; path: string; body?: string; headers?: Record<string, string> }, signingDate = new Date()): Promise<RawResponse> {
    const method = request.method ?? 'GET';
    const headers = await signedHeaders({ method, path: request.path, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex(request.body ?? ''), ...request.headers } }, signingDate);
    return rawRequest(emulator.url, { method, path: request.path, headers, body: request.body });
  }

  const listJobs = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListTrainingJobs' };
  async function sagemakerRequest(signingDate = new Date(), body = '{}', sentBody = body, credentials = CREDENTIALS): Promise<RawResponse> {
    const headers = await signedHeaders({ method: 'POST', path: '/', service: 'sagemaker', headers: listJobs, body }, signingDate, credentials);
    return rawRequest(emulator.url, { method: 'POST', headers, body: sentBody });
  }

  describe('the clock-skew window, both ways', () => {
    for (const [direction, sign] of [
      ['past', -1],
      ['future', 1],
    ] as const) {
      it(`accepts a request dated just inside 15 minutes in the ${direction}, and refuses one just outside (S3 and JSON)`, async () => {
        const inside = new Date(Date.now() + sign * (SKEW_LIMIT - MARGIN));
        const outside = new Date(Date.now() + sign * (SKEW_LIMIT + MARGIN));
        assert.equal((await s3Request({ path: `/${BUCKET}` }, inside)).status, 200);
        assert.equal((await sagemakerRequest(inside)).status, 200);

        const s3Refused = await s3Request({ path: `/${BUCKET}` }, outside);
        assert.equal(s3Refused.status, 403);
        assert.equal(errorCode(s3Refused), 'RequestTimeTooSkewed');
        const jsonRefused = await sagemakerRequest(outside);
        assert.equal(jsonRefused.status, 403);
        assert.equal(errorCode(jsonRefused), 'InvalidSignatureException');
        assert.match(jsonRefused.body, /Signature expired/);
      });
    }
  });

  describe('presigned URLs', () => {
    async function presignedGet(signingDate: Date, expiresIn: number, credentials = CREDENTIALS): Promise<string> {
      const host = new URL(emulator.url).host;
      const presigned = await signer('s3', credentials).presign(
        { method: 'GET', protocol: 'http:', hostname: '', path: `/${BUCKET}`, query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
        { signingDate, expiresIn, unsignableHeaders: new Set(['x-amz-content-sha256']), unhoistableHeaders: new Set(['x-amz-content-sha256']) },
      );
      return `${presigned.path}?${new URLSearchParams(presigned.query as Record<string, string>).toString()}`;
    }

    it('answers a URL until its expiry and refuses it just after, however long ago it was signed', async () => {
      const expiresIn = 3600;
      const stillValid = await rawRequest(emulator.url, { path: await presignedGet(new Date(Date.now() - expiresIn * 1000 + MARGIN), expiresIn) });
      assert.equal(stillValid.status, 200, stillValid.body);
      const expired = await rawRequest(emulator.url, { path: await presignedGet(new Date(Date.now() - expiresIn * 1000 - MARGIN), expiresIn) });
      assert.equal(expired.status, 403);
      assert.match(expired.body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    });

    it('takes X-Amz-Expires from 1 second to 7 days, and refuses 0 or a second more', async () => {
      const week = 7 * 24 * 3600;
      for (const expiresIn of [1, week]) assert.equal((await rawRequest(emulator.url, { path: await presignedGet(new Date(), expiresIn) })).status, 200, String(expiresIn));
      // The SDK will not presign past a week; the expiry is checked before the signature.
      const valid = await presignedGet(new Date(), 60);
      for (const expires of [String(week + 1), '0', '1.5', 'soon']) {
        const refused = await rawRequest(emulator.url, { path: valid.replace(/X-Amz-Expires=\d+/, `X-Amz-Expires=${expires}`) });
        assert.equal(refused.status, 400, expires);
        assert.equal(errorCode(refused), 'AuthorizationQueryParametersError', expires);
        assert.match(refused.body, /X-Amz-Expires must be between 1 and 604800 seconds/);
      }
    });

    it('refuses another algorithm, an unknown key and a changed query', async () => {
      const valid = await presignedGet(new Date(), 60);
      const otherAlgorithm = await rawRequest(emulator.url, { path: valid.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256') });
      assert.equal(otherAlgorithm.status, 400);
      assert.equal(errorCode(otherAlgorithm), 'AuthorizationQueryParametersError');
      const unknownKey = await rawRequest(emulator.url, { path: await presignedGet(new Date(), 60, { ...CREDENTIALS, accessKeyId: 'AKIDUNKNOWN' }) });
      assert.equal(unknownKey.status, 403);
      assert.equal(errorCode(unknownKey), 'InvalidAccessKeyId');
      const changed = await rawRequest(emulator.url, { path: `${valid}&prefix=x` });
      assert.equal(changed.status, 403);
      assert.equal(errorCode(changed), 'SignatureDoesNotMatch');
    });
  });

  describe('refusals in each protocol', () => {
    it('refuses a request without a signature, or with an unparsable one, naming what is missing', async () => {
      const anonymous = await rawRequest(emulator.url, { path: `/${BUCKET}` });
      assert.deepEqual([anonymous.status, errorCode(anonymous)], [403, 'AccessDenied']);
      const jsonAnonymous = await rawRequest(emulator.url, { method: 'POST', headers: listJobs, body: '{}' });
      assert.deepEqual([jsonAnonymous.status, errorCode(jsonAnonymous)], [403, 'MissingAuthenticationTokenException']);

      const headers = await signedHeaders({ method: 'GET', path: `/${BUCKET}`, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex('') } });
      const basic = await rawRequest(emulator.url, { path: `/${BUCKET}`, headers: { ...headers, authorization: 'Basic dXNlcjpwYXNz' } });
      assert.deepEqual([basic.status, errorCode(basic)], [400, 'AuthorizationHeaderMalformed']);
      assert.match(basic.body, /use AWS4-HMAC-SHA256/);
      const noSignature = await rawRequest(emulator.url, { path: `/${BUCKET}`, headers: { ...headers, authorization: headers.authorization.replace(/, Signature=[0-9a-f]+/, '') } });
      assert.deepEqual([noSignature.status, errorCode(noSignature)], [400, 'AuthorizationHeaderMalformed']);
      const { 'x-amz-date': _date, ...undated } = headers;
      const noDate = await rawRequest(emulator.url, { path: `/${BUCKET}`, headers: undated });
      assert.deepEqual([noDate.status, errorCode(noDate)], [400, 'AuthorizationHeaderMalformed']);

      const jsonHeaders = await signedHeaders({ method: 'POST', path: '/', service: 'sagemaker', headers: listJobs, body: '{}' });
      const badScope = await rawRequest(emulator.url, { method: 'POST', headers: { ...jsonHeaders, authorization: jsonHeaders.authorization.replace('/aws4_request', '/aws5_request') }, body: '{}' });
      assert.deepEqual([badScope.status, errorCode(badScope)], [400, 'IncompleteSignatureException']);
    });

    it('refuses an unknown key and a wrong secret with the code of each protocol', async () => {
      const stranger = { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: CREDENTIALS.secretAccessKey };
      const unknown = await sagemakerRequest(new Date(), '{}', '{}', stranger);
      assert.deepEqual([unknown.status, errorCode(unknown)], [403, 'UnrecognizedClientException']);
      const wrongSecret = await sagemakerRequest(new Date(), '{}', '{}', { ...CREDENTIALS, secretAccessKey: 'wrong' });
      assert.deepEqual([wrongSecret.status, errorCode(wrongSecret)], [403, 'InvalidSignatureException']);
      assert.equal(wrongSecret.body.includes(CREDENTIALS.secretAccessKey), false, 'the answer never shows the secret');

      const headers = await signedHeaders({ method: 'GET', path: `/${BUCKET}`, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex('') } }, new Date(), stranger);
      const s3Unknown = await rawRequest(emulator.url, { path: `/${BUCKET}`, headers });
      assert.deepEqual([s3Unknown.status, errorCode(s3Unknown)], [403, 'InvalidAccessKeyId']);
    });

    it('checks a JSON body against the signature, and an S3 body against its declared hash', async () => {
      const changed = await sagemakerRequest(new Date(), '{"MaxResults":1}', '{"MaxResults":2}');
      assert.deepEqual([changed.status, errorCode(changed)], [403, 'InvalidSignatureException']);
      assert.equal((await sagemakerRequest(new Date(), '{"MaxResults":1}')).status, 200);
      // A declared hash that is not the body's, even though the signature covers the declaration.
      const headers = await signedHeaders({ method: 'POST', path: '/', service: 'sagemaker', headers: { ...listJobs, 'x-amz-content-sha256': sha256Hex('{"MaxResults":3}') }, body: '{}' });
      const declared = await rawRequest(emulator.url, { method: 'POST', headers, body: '{}' });
      assert.deepEqual([declared.status, errorCode(declared)], [403, 'InvalidSignatureException']);

      const path = `/${BUCKET}/tampered`;
      const s3Headers = await signedHeaders({ method: 'PUT', path, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex('original body') } });
      const tampered = await rawRequest(emulator.url, { method: 'PUT', path, headers: s3Headers, body: 'tampered body' });
      assert.deepEqual([tampered.status, errorCode(tampered)], [400, 'XAmzContentSHA256Mismatch']);
      assert.equal(errorCode(await s3Request({ path })), 'NoSuchKey', 'nothing was stored under the key');
      assert.equal((await s3Request({ method: 'PUT', path, body: 'original body' })).status, 200);
      assert.equal((await s3Request({ path })).body, 'original body');
    });

    it("wants S3's x-amz-content-sha256 on header-signed requests, and one of its allowed values", async () => {
      const path = `/${BUCKET}`;
      // The SDK's signer always sends the header: it is taken out (or changed) after signing.
      const { 'x-amz-content-sha256': _declared, ...undeclared } = await signedHeaders({ method: 'GET', path, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex('') } });
      const missing = await rawRequest(emulator.url, { path, headers: undeclared });
      assert.deepEqual([missing.status, errorCode(missing)], [400, 'InvalidRequest']);
      const invalid = await rawRequest(emulator.url, { path, headers: { ...undeclared, 'x-amz-content-sha256': 'SHA-256-OF-NOTHING' } });
      assert.deepEqual([invalid.status, errorCode(invalid)], [400, 'InvalidArgument']);
      for (const declared of ['UNSIGNED-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER']) {
        const accepted = await rawRequest(emulator.url, { path, headers: await signedHeaders({ method: 'GET', path, service: 's3', headers: { 'x-amz-content-sha256': declared } }) });
        assert.equal(accepted.status, 200, declared);
      }
    });
  });

  describe('signed aws-chunked bodies', () => {
    const chunks = [Buffer.alloc(8 * 1024, 'c'), Buffer.from('the last, short chunk')];
    const whole = Buffer.concat(chunks);

    /** A PUT whose chunks are signed as the AWS docs describe, with node:crypto alone. */
    async function chunkedPut(key: string, options: { trailer?: boolean; tamper?: 'data' | 'trailerSignature' | 'trailerValue' } = {}): Promise<RawResponse> {
      const now = new Date();
      const path = `/${BUCKET}/${key}`;
      const headers = await signedHeaders({ method: 'PUT', path, service: 's3', headers: signedChunkedHeaders(whole.length, options.trailer ? 'x-amz-meta-note' : undefined) }, now);
      const body = signedChunkedBody({
        secretAccessKey: CREDENTIALS.secretAccessKey,
        signingDate: now,
        authorization: headers.authorization,
        chunks,
        trailer: options.trailer ? 'x-amz-meta-note:signed\n' : undefined,
        tamper: options.tamper === 'trailerValue' ? undefined : options.tamper,
        sentTrailer: options.tamper === 'trailerValue' ? 'x-amz-meta-note:changed\n' : undefined,
      });
      return rawRequest(emulator.url, { method: 'PUT', path, headers, body });
    }

    it('stores a body whose every chunk (and trailer) signature verifies', async () => {
      for (const [key, trailer] of [
        ['chunks', false],
        ['chunks-trailer', true],
      ] as const) {
        const stored = await chunkedPut(key, { trailer });
        assert.equal(stored.status, 200, `${key}: ${stored.body}`);
        assert.equal((await s3Request({ path: `/${BUCKET}/${key}` })).body, whole.toString(), key);
      }
    });

    it('refuses a changed chunk, a changed trailer or a bad trailer signature, and stores nothing', async () => {
      for (const [key, options] of [
        ['changed-chunk', { tamper: 'data' }],
        ['changed-trailer', { trailer: true, tamper: 'trailerValue' }],
        ['bad-trailer-signature', { trailer: true, tamper: 'trailerSignature' }],
      ] as const) {
        const refused = await chunkedPut(key, options);
        assert.deepEqual([refused.status, errorCode(refused)], [403, 'SignatureDoesNotMatch'], key);
        assert.equal(errorCode(await s3Request({ path: `/${BUCKET}/${key}` })), 'NoSuchKey', key);
      }
    });
  });
});
