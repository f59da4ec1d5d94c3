// SigV4 verification at its edges, in-process and without a server: requests signed by the SDK's own
// signer (as every client signs them) are handed to the emulator's SignatureVerifier as real
// IncomingMessages, and each refusal is the AwsError (code, status, message) the protocol answers
// with. The clock-skew window both ways, presigned URLs at their expiry and at X-Amz-Expires' limits,
// malformed and unknown signatures, the issued credentials, payload hashes, S3's
// x-amz-content-sha256 rules and signed aws-chunked bodies. Calling the verifier directly keeps these
// many cases cheap (no emulator to start: mutation testing runs this file once per mutant);
// test/unit/emulator-signatures.test.ts sends a few of them through the emulator over HTTP, and
// test/emulator/signatures.test.ts checks the CLI's flags with the AWS CLI.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { loadCredentialsFile } from '../../../../emulator/auth/credentialsFile';
import { IssuedCredentials } from '../../../../emulator/auth/issuedCredentials';
import { checkPayloadHash, PayloadHashCheck } from '../../../../emulator/auth/payloadSignatures';
import { SignatureVerifier } from '../../../../emulator/auth/signatureV4';
import { AwsError } from '../../../../emulator/errors';
import type { ServiceName } from '../../../../emulator/models';
import { AwsChunkedDecoder } from '../../../../emulator/protocols/awsChunked';
import { sdkSigning, SKEW_LIMIT_MS, SKEW_SIDES, skewEdges } from '../../../emulator/signing';

const CREDENTIALS = { accessKeyId: 'AKIDLOCALVERIFY', secretAccessKey: 'local+Secret/never-shown' };
const HOST = '127.0.0.1:4566';
const MINUTE = 60_000;
/** Far enough from an edge that the moments between signing and verifying cannot cross it (dates are whole seconds). */
const MARGIN = 5_000;
const WEEK_SECONDS = 7 * 24 * 3600;

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const amzDate = (date: Date) => date.toISOString().replace(/[-:]|\.\d{3}/g, '');

interface Sent {
  method?: string;
  /** Path and query exactly as sent. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** The request as node's HTTP server hands it to the emulator: a real IncomingMessage with its whole body. */
function incoming(sent: Sent): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.method = sent.method ?? 'GET';
  message.url = sent.url;
  message.headers = Object.fromEntries(Object.entries(sent.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  if (sent.body !== undefined && sent.body.length > 0) message.push(typeof sent.body === 'string' ? Buffer.from(sent.body) : sent.body);
  message.push(null);
  message.complete = true;
  return message;
}

/** Requests signed as the SDK signs them (the verifier is given them as if sent to HOST). */
const { signer, signedHeaders } = sdkSigning(() => `http://${HOST}`, CREDENTIALS);

const verifier = new SignatureVerifier([CREDENTIALS]);

/** What the verifier answers: 'accepted', or the refusal's status, code and message. */
async function verdict(sent: Sent, service: ServiceName, using = verifier): Promise<'accepted' | { status: number; code: string; message: string }> {
  try {
    await using.verify(incoming(sent), service);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return { status: error.status, code: error.code, message: error.message };
  }
}
const refusal = async (sent: Sent, service: ServiceName) => {
  const answer = await verdict(sent, service);
  return answer === 'accepted' ? answer : [answer.status, answer.code];
};

async function s3Get(url: string, signingDate = new Date(), credentials = CREDENTIALS): Promise<Sent> {
  return { url, headers: await signedHeaders({ method: 'GET', path: url, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex('') } }, signingDate, credentials) };
}
const listJobs = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListTrainingJobs' };
async function sagemakerPost(signingDate = new Date(), body = '{}', sentBody = body, credentials = CREDENTIALS): Promise<Sent> {
  return { method: 'POST', url: '/', headers: await signedHeaders({ method: 'POST', path: '/', service: 'sagemaker', headers: listJobs, body }, signingDate, credentials), body: sentBody };
}

/** A GET URL presigned as the S3 client's presigner makes it (the body left unsigned). */
async function presignedGet(signingDate: Date, expiresIn: number, credentials = CREDENTIALS, query: Record<string, string | string[]> = {}): Promise<string> {
  const presigned = await signer('s3', credentials).presign(
    { method: 'GET', protocol: 'http:', hostname: '', path: '/signed-bucket', query, headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
    { signingDate, expiresIn, unsignableHeaders: new Set(['x-amz-content-sha256']), unhoistableHeaders: new Set(['x-amz-content-sha256']) },
  );
  return `${presigned.path}?${Object.entries(presigned.query ?? {})
    .flatMap(([name, value]) => [value ?? ''].flat().map((one) => `${encodeURIComponent(name)}=${encodeURIComponent(one)}`))
    .join('&')}`;
}
const presignedSent = (url: string): Sent => ({ url, headers: { host: HOST } });

describe('SignatureVerifier (in-process)', () => {
  describe('the clock-skew window, both ways', () => {
    for (const [direction, sign] of SKEW_SIDES) {
      it(`accepts a request dated just inside 15 minutes in the ${direction}, and refuses one just outside (S3 and JSON)`, async () => {
        const { inside, outside } = skewEdges(sign, MARGIN);
        assert.equal(await verdict(await s3Get('/signed-bucket', inside), 's3'), 'accepted');
        assert.equal(await verdict(await sagemakerPost(inside), 'sagemaker'), 'accepted');
        assert.deepEqual(await verdict(await s3Get('/signed-bucket', outside), 's3'), {
          status: 403,
          code: 'RequestTimeTooSkewed',
          message: 'The difference between the request time and the current time is too large.',
        });
        const json = await verdict(await sagemakerPost(outside), 'sagemaker');
        assert.notEqual(json, 'accepted');
        if (json !== 'accepted') {
          assert.deepEqual([json.status, json.code], [403, 'InvalidSignatureException']);
          assert.match(json.message, /Signature expired/);
        }
      });
    }
  });

  describe('presigned URLs', () => {
    it('answers a URL until its expiry and refuses it just after, however long ago it was signed', async () => {
      for (const expiresIn of [60, 3600, WEEK_SECONDS]) {
        const stillValid = await presignedGet(new Date(Date.now() - expiresIn * 1000 + MARGIN), expiresIn);
        assert.equal(await verdict(presignedSent(stillValid), 's3'), 'accepted', `${expiresIn} s, just inside`);
        const expired = await presignedGet(new Date(Date.now() - expiresIn * 1000 - MARGIN), expiresIn);
        assert.deepEqual(await verdict(presignedSent(expired), 's3'), { status: 403, code: 'AccessDenied', message: 'Request has expired' }, `${expiresIn} s, just after`);
      }
      // A JSON service answers an expired presigned request in its own protocol.
      const expired = await presignedGet(new Date(Date.now() - 60_000 - MARGIN), 60);
      const json = await verdict(presignedSent(expired), 'sagemaker');
      assert.deepEqual(json === 'accepted' ? json : [json.status, json.code], [403, 'InvalidSignatureException']);
      assert.match(json === 'accepted' ? json : json.message, /past its expiry/);
      // A URL signed for later (a client clock ahead) is not refused as skewed: only its expiry counts.
      assert.equal(await verdict(presignedSent(await presignedGet(new Date(Date.now() + SKEW_LIMIT_MS + MINUTE), 60)), 's3'), 'accepted');
    });

    it('takes X-Amz-Expires from 1 second to 7 days, and refuses 0, a second more, a fraction or a word', async () => {
      for (const expiresIn of [1, WEEK_SECONDS]) assert.equal(await verdict(presignedSent(await presignedGet(new Date(), expiresIn)), 's3'), 'accepted', String(expiresIn));
      // The SDK will not presign past a week; the expiry is checked before the signature.
      const valid = await presignedGet(new Date(), 60);
      for (const expires of [String(WEEK_SECONDS + 1), '0', '1.5', 'soon']) {
        const answer = await verdict(presignedSent(valid.replace(/X-Amz-Expires=\d+/, `X-Amz-Expires=${expires}`)), 's3');
        assert.deepEqual(answer, { status: 400, code: 'AuthorizationQueryParametersError', message: 'X-Amz-Expires must be between 1 and 604800 seconds' }, expires);
      }
    });

    it('refuses another algorithm, an unknown key, a changed query and a changed signature', async () => {
      const valid = await presignedGet(new Date(), 60);
      const otherAlgorithm = await verdict(presignedSent(valid.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256')), 's3');
      assert.deepEqual(otherAlgorithm, { status: 400, code: 'AuthorizationQueryParametersError', message: 'X-Amz-Algorithm must be AWS4-HMAC-SHA256' });
      assert.deepEqual(await refusal(presignedSent(await presignedGet(new Date(), 60, { ...CREDENTIALS, accessKeyId: 'AKIDUNKNOWN' })), 's3'), [403, 'InvalidAccessKeyId']);
      assert.deepEqual(await refusal(presignedSent(`${valid}&prefix=x`), 's3'), [403, 'SignatureDoesNotMatch']);
      // A presigned URL missing a part of its signature is refused as a query's, not a header's.
      for (const part of ['X-Amz-Credential', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
        const without = valid.replace(new RegExp(`&?${part}=[^&]*`), '');
        const answer = await verdict(presignedSent(without), 's3');
        assert.notEqual(answer, 'accepted', part);
        if (answer !== 'accepted') {
          assert.deepEqual([answer.status, answer.code], [400, 'AuthorizationQueryParametersError'], part);
          assert.match(answer.message, /^it must have a Credential/, part);
        }
      }
      const signature = /X-Amz-Signature=([0-9a-f]+)/.exec(valid)?.[1] ?? '';
      const flipped = signature.replace(/^./, (char) => (char === '0' ? '1' : '0'));
      assert.deepEqual(await refusal(presignedSent(valid.replace(signature, flipped)), 's3'), [403, 'SignatureDoesNotMatch']);
      assert.deepEqual(await refusal(presignedSent(valid.replace(signature, signature.slice(1))), 's3'), [403, 'SignatureDoesNotMatch'], 'a shorter signature');
    });

    it('verifies a presigned URL whose query holds several values of one name and encoded characters', async () => {
      const url = await presignedGet(new Date(), 60, CREDENTIALS, { prefix: 'a b+c/ü', tag: ['one', 'two'], flag: '' });
      assert.equal(await verdict(presignedSent(url), 's3'), 'accepted');
      assert.deepEqual(await refusal(presignedSent(url.replace('tag=two', 'tag=three')), 's3'), [403, 'SignatureDoesNotMatch'], 'the second value of a name is signed too');
      assert.deepEqual(await refusal(presignedSent(`${url}&bad=%E0%A4%A`), 's3'), [403, 'SignatureDoesNotMatch'], 'an undecodable parameter no client signed');
    });
  });

  describe('refusals in each protocol', () => {
    it('refuses a request without a signature, or with an unparsable one, naming what is missing', async () => {
      assert.deepEqual(await verdict({ url: '/signed-bucket', headers: { host: HOST } }, 's3'), { status: 403, code: 'AccessDenied', message: 'Access Denied' });
      assert.deepEqual(await verdict({ method: 'POST', url: '/', headers: { host: HOST, ...listJobs }, body: '{}' }, 'sagemaker'), {
        status: 403,
        code: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });

      const { headers } = await s3Get('/signed-bucket');
      const with_ = (changed: Record<string, string>) => ({ url: '/signed-bucket', headers: { ...headers, ...changed } });
      const basic = await verdict(with_({ authorization: 'Basic dXNlcjpwYXNz' }), 's3');
      assert.deepEqual(basic, { status: 400, code: 'AuthorizationHeaderMalformed', message: 'The authorization header is malformed; the authorization mechanism is not supported; use AWS4-HMAC-SHA256' });
      const parts = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(headers?.authorization ?? '');
      assert.ok(parts, headers?.authorization);
      const [, credential, signedNames, signature] = parts;
      const unparsable = {
        'no signature': `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedNames}`,
        'no signed headers': `AWS4-HMAC-SHA256 Credential=${credential}, Signature=${signature}`,
        'no credential': `AWS4-HMAC-SHA256 SignedHeaders=${signedNames}, Signature=${signature}`,
        'a scope without its region': `AWS4-HMAC-SHA256 Credential=${credential.replace('/us-east-1', '')}, SignedHeaders=${signedNames}, Signature=${signature}`,
        'a segment before the key': `AWS4-HMAC-SHA256 Credential=extra/${credential}, SignedHeaders=${signedNames}, Signature=${signature}`,
        'text after aws4_request': `AWS4-HMAC-SHA256 Credential=${credential}x, SignedHeaders=${signedNames}, Signature=${signature}`,
      };
      for (const [what, authorization] of Object.entries(unparsable)) {
        const answer = await verdict(with_({ authorization }), 's3');
        assert.notEqual(answer, 'accepted', what);
        if (answer !== 'accepted') {
          assert.deepEqual([answer.status, answer.code], [400, 'AuthorizationHeaderMalformed'], what);
          assert.match(answer.message, /Credential \(<key>\/<date>\/<region>\/<service>\/aws4_request\), SignedHeaders, Signature and X-Amz-Date/, what);
        }
      }
      // The fields, reordered and without spaces after the commas, are still one signature.
      const reordered = `AWS4-HMAC-SHA256 Signature=${signature},Credential=${credential},SignedHeaders=${signedNames}`;
      assert.equal(await verdict(with_({ authorization: reordered }), 's3'), 'accepted');
      const { 'x-amz-date': _date, ...undated } = headers ?? {};
      assert.deepEqual(await refusal({ url: '/signed-bucket', headers: undated }, 's3'), [400, 'AuthorizationHeaderMalformed']);
      assert.deepEqual(await refusal(with_({ 'x-amz-date': '2026-12-02T10:00:00Z' }), 's3'), [400, 'AuthorizationHeaderMalformed'], 'a date not in the basic ISO format');
      for (const date of [`x${headers?.['x-amz-date']}`, `${headers?.['x-amz-date']}x`]) {
        assert.deepEqual(await refusal(with_({ 'x-amz-date': date }), 's3'), [400, 'AuthorizationHeaderMalformed'], `the date ${date}`);
      }

      const json = await sagemakerPost();
      const badScope = { ...json, headers: { ...json.headers, authorization: json.headers?.authorization.replace('/aws4_request', '/aws5_request') ?? '' } };
      assert.deepEqual(await refusal(badScope, 'sagemaker'), [400, 'IncompleteSignatureException']);
    });

    it('refuses an unknown key and a wrong secret with the code of each protocol, never showing the secret', async () => {
      const stranger = { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: CREDENTIALS.secretAccessKey };
      assert.deepEqual(await verdict(await sagemakerPost(new Date(), '{}', '{}', stranger), 'sagemaker'), {
        status: 403,
        code: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      });
      const wrongSecret = await verdict(await sagemakerPost(new Date(), '{}', '{}', { ...CREDENTIALS, secretAccessKey: 'wrong' }), 'sagemaker');
      assert.notEqual(wrongSecret, 'accepted');
      if (wrongSecret !== 'accepted') {
        assert.deepEqual([wrongSecret.status, wrongSecret.code], [403, 'InvalidSignatureException']);
        assert.equal(
          wrongSecret.message,
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        );
        assert.equal(wrongSecret.message.includes(CREDENTIALS.secretAccessKey), false, 'the answer never shows the secret');
      }
      assert.deepEqual(await verdict(await s3Get('/signed-bucket', new Date(), stranger), 's3'), {
        status: 403,
        code: 'InvalidAccessKeyId',
        message: 'The AWS Access Key Id you provided does not exist in our records.',
      });
      assert.deepEqual(await verdict(await s3Get('/signed-bucket', new Date(), { ...CREDENTIALS, secretAccessKey: 'wrong' }), 's3'), {
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      });
      // Every configured key pair is accepted, not only the first.
      const second = { accessKeyId: 'AKIDSECONDPAIR', secretAccessKey: 'another/secret' };
      const both = new SignatureVerifier([CREDENTIALS, second]);
      assert.equal(await verdict(await s3Get('/signed-bucket', new Date(), second), 's3', both), 'accepted');
      assert.equal(await verdict(await s3Get('/signed-bucket', new Date(), CREDENTIALS), 's3', both), 'accepted');
    });

    it("accepts the emulator's issued key pair of an account beside the configured ones, and nothing derived from another run", async () => {
      const issued = new IssuedCredentials();
      const withIssued = new SignatureVerifier([CREDENTIALS], issued);
      const account = issued.forAccount('123456789012');
      assert.equal(account.accessKeyId, '123456789012', 'the access key id is the account');
      assert.equal(await verdict(await sagemakerPost(new Date(), '{}', '{}', account), 'sagemaker', withIssued), 'accepted');
      assert.equal(await verdict(await s3Get('/signed-bucket', new Date(), CREDENTIALS), 's3', withIssued), 'accepted');
      // The same account's pair from another emulator run (another key) does not verify here.
      const otherRun = new IssuedCredentials().forAccount('123456789012');
      assert.notEqual(otherRun.secretAccessKey, account.secretAccessKey);
      assert.deepEqual(await refusal(await sagemakerPost(new Date(), '{}', '{}', otherRun), 'sagemaker'), [403, 'UnrecognizedClientException'], 'without issued credentials');
      const answer = await verdict(await sagemakerPost(new Date(), '{}', '{}', otherRun), 'sagemaker', withIssued);
      assert.deepEqual(answer === 'accepted' ? answer : answer.code, 'InvalidSignatureException');
      // Only 12-digit account ids are issued: a key id of another shape is unknown.
      assert.equal(issued.secretOf('12345678901'), undefined);
      assert.equal(issued.secretOf('AKID123456789012'), undefined);
      assert.equal(issued.secretOf('1234567890123'), undefined, 'thirteen digits');
      // Each account's secret is its own, and as long as AWS's (40 characters).
      assert.equal(account.secretAccessKey.length, 40);
      assert.notEqual(issued.forAccount('210987654321').secretAccessKey, account.secretAccessKey);
      assert.equal(issued.secretOf('123456789012'), account.secretAccessKey);
    });

    it('checks a JSON body against the signature and hands the protocol the body untouched', async () => {
      assert.deepEqual(await refusal(await sagemakerPost(new Date(), '{"MaxResults":1}', '{"MaxResults":2}'), 'sagemaker'), [403, 'InvalidSignatureException']);
      const sent = await sagemakerPost(new Date(), '{"MaxResults":1}');
      const message = incoming(sent);
      await verifier.verify(message, 'sagemaker');
      const chunks: Buffer[] = [];
      for await (const chunk of message) chunks.push(chunk as Buffer);
      assert.equal(Buffer.concat(chunks).toString(), '{"MaxResults":1}', 'the protocol still reads the whole body');
      assert.equal(await verdict(await sagemakerPost(new Date(), ''), 'sagemaker'), 'accepted', 'an empty body');
      // A declared hash that is not the body's, even though the signature covers the declaration.
      const headers = await signedHeaders({ method: 'POST', path: '/', service: 'sagemaker', headers: { ...listJobs, 'x-amz-content-sha256': sha256Hex('{"MaxResults":3}') }, body: '{}' });
      assert.deepEqual(await refusal({ method: 'POST', url: '/', headers, body: '{}' }, 'sagemaker'), [403, 'InvalidSignatureException']);
      const declaredRight = await signedHeaders({ method: 'POST', path: '/', service: 'sagemaker', headers: { ...listJobs, 'x-amz-content-sha256': sha256Hex('{}') }, body: '{}' });
      assert.equal(await verdict({ method: 'POST', url: '/', headers: declaredRight, body: '{}' }, 'sagemaker'), 'accepted');
    });

    it('verifies a JSON request signed without x-amz-content-sha256, as boto3 and the AWS CLI sign it', async () => {
      // botocore adds the header for S3 only; the verifier hashes the body itself.
      const botocore = new SignatureV4({ credentials: CREDENTIALS, region: 'us-east-1', service: 'sagemaker', sha256: Sha256, applyChecksum: false });
      const sign = async (body: string) =>
        (await botocore.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path: '/', headers: { host: HOST, ...listJobs }, body }, { signingDate: new Date() })).headers;
      const headers = await sign('{"MaxResults":1}');
      assert.equal(headers['x-amz-content-sha256'], undefined, 'signed as botocore signs it');
      assert.equal(await verdict({ method: 'POST', url: '/', headers, body: '{"MaxResults":1}' }, 'sagemaker'), 'accepted');
      assert.deepEqual(await refusal({ method: 'POST', url: '/', headers, body: '{"MaxResults":2}' }, 'sagemaker'), [403, 'InvalidSignatureException'], 'another body');
    });

    it('reads a JSON body that arrives in pieces whole, and refuses a request whose client goes away before its end', async () => {
      const sent = await sagemakerPost(new Date(), '{"NameContains":"a-long-enough-name"}');
      const body = Buffer.from(String(sent.body));
      /** The request as node's parser hands it over while its body is still arriving: the first piece now, the rest later. */
      const arriving = (rest: (message: IncomingMessage) => void) => {
        const message = new IncomingMessage(new Socket());
        Object.assign(message, { method: 'POST', url: '/', headers: sent.headers });
        message.push(body.subarray(0, 10));
        setImmediate(() => rest(message));
        return message;
      };
      const whole = arriving((message) => {
        message.push(body.subarray(10));
        message.complete = true;
        message.push(null);
      });
      await verifier.verify(whole, 'sagemaker');
      const gone = arriving((message) => message.destroy());
      await assert.rejects(verifier.verify(gone, 'sagemaker'), /the client closed the request before sending its body/);
    });

    it("verifies an S3 path as sent (encoded once) and a query parameter without a value (S3's ?uploads)", async () => {
      // S3 signs the path as the client encoded it; the other services encode it once more.
      assert.equal(await verdict(await s3Get('/signed-bucket/a%20b%2Bc%3D%C3%BC.txt'), 's3'), 'accepted', 'an encoded key');
      const headers = await signedHeaders({ method: 'POST', path: '/signed-bucket/key?uploads', service: 's3', headers: { 'x-amz-content-sha256': sha256Hex('') } });
      assert.equal(await verdict({ method: 'POST', url: '/signed-bucket/key?uploads', headers }, 's3'), 'accepted', 'CreateMultipartUpload');
      assert.deepEqual(await refusal({ method: 'POST', url: '/signed-bucket/key?upload', headers }, 's3'), [403, 'SignatureDoesNotMatch'], 'another subresource');
    });

    it('reads at most 16 MiB of a JSON body ahead, refusing a larger one with 413', async () => {
      const limit = 16 * 1024 * 1024;
      // The client declares the body's hash (node's SHA-256), so the signer does not hash it again.
      const signedFor = async (body: Buffer) => {
        const headers = await signedHeaders({ method: 'POST', path: '/', service: 'sagemaker', headers: { ...listJobs, 'x-amz-content-sha256': sha256Hex(body) } });
        return { method: 'POST', url: '/', headers, body };
      };
      // One buffer for both bodies (this file runs once per mutant: allocating and hashing 16 MiB is its slowest step).
      const overLimit = Buffer.alloc(limit + 1);
      assert.equal(await verdict(await signedFor(overLimit.subarray(0, limit)), 'sagemaker'), 'accepted', 'exactly 16 MiB');
      // Refused as it is read, before the signature is compared (which also covers a body of 16 MiB + 1).
      assert.deepEqual(await verdict(await signedFor(overLimit), 'sagemaker'), {
        status: 413,
        code: 'RequestEntityTooLargeException',
        message: `Request body must not exceed ${limit} bytes`,
      });
    });

    it("wants S3's x-amz-content-sha256 on header-signed requests, and one of its allowed values", async () => {
      const { headers } = await s3Get('/signed-bucket');
      // The SDK's signer always sends the header: it is taken out (or changed) after signing.
      const { 'x-amz-content-sha256': _declared, ...undeclared } = headers ?? {};
      assert.deepEqual(await verdict({ url: '/signed-bucket', headers: undeclared }, 's3'), {
        status: 400,
        code: 'InvalidRequest',
        message: 'Missing required header for this request: x-amz-content-sha256',
      });
      const invalidValues = ['SHA-256-OF-NOTHING', sha256Hex('').toUpperCase(), `${sha256Hex('')}0`, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILERS', 'XSTREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'unsigned-payload'];
      for (const invalid of invalidValues) {
        assert.deepEqual(await refusal({ url: '/signed-bucket', headers: { ...undeclared, 'x-amz-content-sha256': invalid } }, 's3'), [400, 'InvalidArgument'], invalid);
      }
      assert.deepEqual(await verdict({ url: '/signed-bucket', headers: { ...undeclared, 'x-amz-content-sha256': 'unsigned-payload' } }, 's3'), {
        status: 400,
        code: 'InvalidArgument',
        message:
          'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
      });
      for (const declared of ['UNSIGNED-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', sha256Hex('')]) {
        const signed = await signedHeaders({ method: 'GET', path: '/signed-bucket', service: 's3', headers: { 'x-amz-content-sha256': declared } });
        assert.equal(await verdict({ url: '/signed-bucket', headers: signed }, 's3'), 'accepted', declared);
      }
      // A client may leave the header out of what it signs; the signature still covers the payload as declared.
      const unsignedHeader = await signer('s3').sign(
        { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', path: '/signed-bucket', query: {}, headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
        { signingDate: new Date(), unsignableHeaders: new Set(['x-amz-content-sha256']) },
      );
      assert.doesNotMatch(unsignedHeader.headers.authorization, /x-amz-content-sha256/);
      assert.equal(await verdict({ url: '/signed-bucket', headers: unsignedHeader.headers }, 's3'), 'accepted');
    });
  });

  describe('S3 bodies', () => {
    it('checks a buffered and a streamed body against the declared SHA-256', async () => {
      const declared = sha256Hex('original body');
      assert.doesNotThrow(() => checkPayloadHash(Buffer.from('original body'), declared));
      assert.throws(() => checkPayloadHash(Buffer.from('tampered body'), declared), {
        code: 'XAmzContentSHA256Mismatch',
        status: 400,
        message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
      });
      const streamed = async (body: string) => {
        const out: Buffer[] = [];
        await pipeline(Readable.from([Buffer.from(body.slice(0, 5)), Buffer.from(body.slice(5))]), new PayloadHashCheck(declared), async function* (source) {
          for await (const chunk of source) out.push(chunk as Buffer);
        });
        return Buffer.concat(out).toString();
      };
      assert.equal(await streamed('original body'), 'original body');
      await assert.rejects(streamed('tampered body'), { code: 'XAmzContentSHA256Mismatch' });
    });

    it('tells the protocol what the body is checked against: its declared hash, nothing, or its chunk signatures', async () => {
      const put = async (declared: string) => {
        const headers = await signedHeaders({ method: 'PUT', path: '/signed-bucket/key', service: 's3', headers: { 'x-amz-content-sha256': declared } });
        return verifier.payloadSignature(incoming({ method: 'PUT', url: '/signed-bucket/key', headers }));
      };
      assert.deepEqual(await put(sha256Hex('body')), { sha256: sha256Hex('body') });
      assert.deepEqual(await put('UNSIGNED-PAYLOAD'), {});
      assert.deepEqual(await put('STREAMING-UNSIGNED-PAYLOAD-TRAILER'), {});
      assert.ok((await put('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')).chunks);
      assert.ok((await put('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER')).chunks);
    });
  });

  describe('signed aws-chunked bodies', () => {
    const chunks = [Buffer.alloc(8 * 1024, 'c'), Buffer.from('the last, short chunk')];
    const whole = Buffer.concat(chunks);

    /** A PUT's body whose chunks are signed as the AWS docs describe (node:crypto alone), decoded as the emulator decodes it. */
    async function chunkedPut(options: { trailer?: boolean; tamper?: 'data' | 'signature' | 'trailerSignature' | 'trailerValue' | 'noTrailerSignature' } = {}): Promise<string> {
      const now = new Date();
      const date = amzDate(now);
      const scope = `${date.slice(0, 8)}/us-east-1/s3/aws4_request`;
      const headers = await signedHeaders(
        {
          method: 'PUT',
          path: '/signed-bucket/chunked',
          service: 's3',
          headers: {
            'content-encoding': 'aws-chunked',
            'x-amz-decoded-content-length': String(whole.length),
            'x-amz-content-sha256': options.trailer ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
            ...(options.trailer && { 'x-amz-trailer': 'x-amz-meta-note' }),
          },
        },
        now,
      );
      const signingKey = [date.slice(0, 8), 'us-east-1', 's3', 'aws4_request'].reduce<Buffer>((key, part) => hmac(key, part), Buffer.from(`AWS4${CREDENTIALS.secretAccessKey}`));
      let previous = /Signature=([0-9a-f]{64})/.exec(headers.authorization)?.[1] ?? '';
      const parts: Buffer[] = [];
      for (const chunk of [...chunks, Buffer.alloc(0)]) {
        previous = hmac(signingKey, ['AWS4-HMAC-SHA256-PAYLOAD', date, scope, previous, sha256Hex(''), sha256Hex(chunk)].join('\n')).toString('hex');
        const data = options.tamper === 'data' && chunk.length > 0 ? Buffer.from(chunk).fill('X', 0, 1) : chunk;
        const sentSignature = options.tamper === 'signature' && chunk.length === 0 ? previous.replace(/^./, (char) => (char === '0' ? '1' : '0')) : previous;
        parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${sentSignature}\r\n`), data, Buffer.from(chunk.length > 0 ? '\r\n' : ''));
      }
      if (options.trailer) {
        const trailer = 'x-amz-meta-note:signed\n';
        const signature = hmac(signingKey, ['AWS4-HMAC-SHA256-TRAILER', date, scope, previous, sha256Hex(trailer)].join('\n')).toString('hex');
        const sent = options.tamper === 'trailerSignature' ? signature.replace(/^./, (char) => (char === '0' ? '1' : '0')) : signature;
        const sentTrailer = options.tamper === 'trailerValue' ? 'x-amz-meta-note:changed\n' : trailer;
        parts.push(Buffer.from(`${sentTrailer.trimEnd()}\r\n`));
        if (options.tamper !== 'noTrailerSignature') parts.push(Buffer.from(`x-amz-trailer-signature:${sent}\r\n`));
      }
      parts.push(Buffer.from('\r\n'));
      const message = incoming({ method: 'PUT', url: '/signed-bucket/chunked', headers });
      await verifier.verify(message, 's3');
      const { chunks: signatures } = await verifier.payloadSignature(message);
      assert.ok(signatures, 'a signed aws-chunked body is checked chunk by chunk');
      const decoded: Buffer[] = [];
      await pipeline(Readable.from([Buffer.concat(parts)]), new AwsChunkedDecoder(whole.length, () => undefined, signatures), async function* (source) {
        for await (const chunk of source) decoded.push(chunk as Buffer);
      });
      return Buffer.concat(decoded).toString();
    }

    it('decodes a body whose every chunk (and trailer) signature verifies', async () => {
      assert.equal(await chunkedPut(), whole.toString());
      assert.equal(await chunkedPut({ trailer: true }), whole.toString());
    });

    it('refuses a changed chunk, a changed chunk signature, a changed or unsigned trailer and a bad trailer signature', async () => {
      for (const options of [
        { tamper: 'data' },
        { tamper: 'signature' },
        { trailer: true, tamper: 'trailerValue' },
        { trailer: true, tamper: 'trailerSignature' },
        { trailer: true, tamper: 'noTrailerSignature' },
      ] as const) {
        await assert.rejects(chunkedPut(options), { code: 'SignatureDoesNotMatch', status: 403 }, options.tamper);
      }
    });
  });

  describe('credentials files', () => {
    it('reads every profile with a key pair from an AWS credentials file, and refuses a file with none or no file', async () => {
      // A directory of its own (not harness/emulatorClients' helper, which loads the SDK's clients: a
      // second more for each of the hundreds of runs mutation testing makes of this file).
      const home = mkdtempSync(join(tmpdir(), 'credentials-file-'));
      try {
        const file = join(home, 'credentials');
        writeFileSync(file, `[default]\naws_access_key_id = ${CREDENTIALS.accessKeyId}\naws_secret_access_key = ${CREDENTIALS.secretAccessKey}\n\n[half]\naws_access_key_id = AKIDHALF\n\n[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other\n`);
        assert.deepEqual(await loadCredentialsFile(file), [CREDENTIALS, { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other' }]);
        writeFileSync(file, '[default]\nregion = us-east-1\n');
        await assert.rejects(loadCredentialsFile(file), new RegExp(`${file} has no profile with aws_access_key_id and aws_secret_access_key`));
        await assert.rejects(loadCredentialsFile(join(home, 'missing')), { code: 'ENOENT' });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  });
});
