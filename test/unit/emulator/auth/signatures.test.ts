// SigV4 verification through an in-process emulator over HTTP: a few of the cases that
// test/unit/emulator/auth/signatureVerifier.test.ts proves against the verifier alone (every edge, cheaply),
// sent here as clients send them, to show the front door and each protocol answer with the verifier's
// refusal in their own format (S3 XML or JSON) and store nothing refused: the clock-skew window both
// ways, a presigned URL at its expiry, unsigned requests, an S3 body that is not its declared hash and
// signed aws-chunked bodies. test/emulator/auth/signatures.test.ts checks the CLI's flags with the AWS CLI.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../../../emulator/server';
import { type RawResponse, rawRequest } from '../../../emulator/helpers';
import { sdkSigning, sha256Hex, SKEW_SIDES, skewEdges } from '../../../emulator/signing';
import { makeTempDir } from '../../../../harness/emulatorClients';

const CREDENTIALS = { accessKeyId: 'AKIDLOCALVERIFY', secretAccessKey: 'local+Secret/never-shown' };
const BUCKET = 'signed-bucket';
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

  /** Requests signed as the SDK signs them, sent to the emulator. */
  const { signer, signedHeaders, chunkedPut } = sdkSigning(() => emulator.url, CREDENTIALS);

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
    for (const [direction, sign] of SKEW_SIDES) {
      it(`accepts a request dated just inside 15 minutes in the ${direction}, and refuses one just outside (S3 and JSON)`, async () => {
        const { inside, outside } = skewEdges(sign, MARGIN);
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
  });

  describe('refusals in each protocol', () => {
    it('refuses a request without a signature with the code of each protocol', async () => {
      const anonymous = await rawRequest(emulator.url, { path: `/${BUCKET}` });
      assert.deepEqual([anonymous.status, errorCode(anonymous)], [403, 'AccessDenied']);
      const jsonAnonymous = await rawRequest(emulator.url, { method: 'POST', headers: listJobs, body: '{}' });
      assert.deepEqual([jsonAnonymous.status, errorCode(jsonAnonymous)], [403, 'MissingAuthenticationTokenException']);
    });

    it('refuses an S3 body that is not its declared hash, and stores nothing under its key', async () => {
      const path = `/${BUCKET}/tampered`;
      const s3Headers = await signedHeaders({ method: 'PUT', path, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex('original body') } });
      const tampered = await rawRequest(emulator.url, { method: 'PUT', path, headers: s3Headers, body: 'tampered body' });
      assert.deepEqual([tampered.status, errorCode(tampered)], [400, 'XAmzContentSHA256Mismatch']);
      assert.equal(errorCode(await s3Request({ path })), 'NoSuchKey', 'nothing was stored under the key');
      assert.equal((await s3Request({ method: 'PUT', path, body: 'original body' })).status, 200);
      assert.equal((await s3Request({ path })).body, 'original body');
    });
  });

  describe('signed aws-chunked bodies', () => {
    const chunks = [Buffer.alloc(8 * 1024, 'c'), Buffer.from('the last, short chunk')];
    const whole = Buffer.concat(chunks);

    /** A PUT whose chunks are signed as the AWS docs describe, with node:crypto alone. */
    async function signedChunkedPut(key: string, options: { trailer?: boolean; tamper?: 'data' | 'trailerSignature' | 'trailerValue' } = {}): Promise<RawResponse> {
      const path = `/${BUCKET}/${key}`;
      const signed = await chunkedPut(path, chunks, {
        trailer: options.trailer ? 'x-amz-meta-note:signed\n' : undefined,
        tamper: options.tamper === 'trailerValue' ? undefined : options.tamper,
        sentTrailer: options.tamper === 'trailerValue' ? 'x-amz-meta-note:changed\n' : undefined,
      });
      return rawRequest(emulator.url, { method: 'PUT', path, ...signed });
    }

    it('stores a body whose every chunk (and trailer) signature verifies', async () => {
      for (const [key, trailer] of [
        ['chunks', false],
        ['chunks-trailer', true],
      ] as const) {
        const stored = await signedChunkedPut(key, { trailer });
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
        const refused = await signedChunkedPut(key, options);
        assert.deepEqual([refused.status, errorCode(refused)], [403, 'SignatureDoesNotMatch'], key);
        assert.equal(errorCode(await s3Request({ path: `/${BUCKET}/${key}` })), 'NoSuchKey', key);
      }
    });
  });
});
