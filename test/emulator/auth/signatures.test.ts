// `--verify-signatures`: requests signed with the configured credentials pass — from the SDK, the AWS
// CLI, presigned URLs and signed aws-chunked uploads — and the rest are refused as AWS refuses them,
// in each protocol's error shape, without the secret ever showing in an answer or the log.
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, ListTrainingJobsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Upload } from '@aws-sdk/lib-storage';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { AWS_CLI, awsCliAs } from '../awsCli';
import { type RawResponse, rawRequest, rejection } from '../helpers';
import { sdkSigning, sha256Hex } from '../signing';
import { trainingJobRequest } from '../../../harness/requests';
import { CLI_PATH, type CliProcess, clientConfig, makeTempDir, spawnCli } from '../../../harness/emulatorClients';

const CREDENTIALS = { accessKeyId: 'AKIDLOCALVERIFY', secretAccessKey: 'local+Secret/never-shown' };
const BUCKET = 'signed-bucket';


describe('signature verification', () => {
  const home = makeTempDir('emulator-signatures');
  let emulator: CliProcess;
  let s3: S3Client;

  before(async () => {
    const credentialsFile = join(home.path, 'credentials');
    writeFileSync(credentialsFile, `[default]\naws_access_key_id = ${CREDENTIALS.accessKeyId}\naws_secret_access_key = ${CREDENTIALS.secretAccessKey}\n`);
    emulator = await spawnCli(['--port', '0', '--data-dir', join(home.path, 'data'), '--verify-signatures', '--credentials-file', credentialsFile]);
    s3 = s3As(CREDENTIALS);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(async () => {
    s3.destroy();
    emulator.child.kill('SIGTERM');
    await emulator.exited;
    assert.equal(emulator.stderr().includes(CREDENTIALS.secretAccessKey), false, 'the log never shows the secret');
    home.remove();
  });

  const s3As = (credentials: typeof CREDENTIALS) => new S3Client({ ...clientConfig(emulator.url), credentials, forcePathStyle: true });
  const sagemakerAs = (credentials: typeof CREDENTIALS) => new SageMakerClient({ ...clientConfig(emulator.url), credentials });

  /** Requests signed as the SDK signs them, for what the SDK would not send (tampered, back-dated). */
  const { signer, signedHeaders, chunkedPut } = sdkSigning(() => emulator.url, CREDENTIALS);

  function assertNoSecret(response: RawResponse): void {
    assert.equal(response.body.includes(CREDENTIALS.secretAccessKey), false);
    assert.equal(JSON.stringify(response.headers).includes(CREDENTIALS.secretAccessKey), false);
  }

  it("accepts the SDK's requests signed with the local credentials, bodies of every kind included", async () => {
    const key = 'odd keys/ü + spaces & (parens)*.txt';
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'buffered: signed payload hash' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed', Body: Readable.from([Buffer.from('streamed: aws-chunked, unsigned')]), ContentLength: 31 }));
    await new Upload({ client: s3, params: { Bucket: BUCKET, Key: 'multipart', Body: Buffer.alloc(6 * 1024 * 1024, 'm') }, partSize: 5 * 1024 * 1024 }).done();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'odd keys/ü + ', MaxKeys: 5 }));
    assert.deepEqual(listed.Contents?.map((object) => object.Key), [key]);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    assert.equal(await object.Body?.transformToString(), 'buffered: signed payload hash');
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'streamed' }] } }));
    assert.equal(deleted.Deleted?.length, 1);

    const sagemaker = sagemakerAs(CREDENTIALS);
    await sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('signed-job')));
    assert.equal((await sagemaker.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length, 1);
    sagemaker.destroy();
  });

  it('refuses a wrong secret, an unknown key and no signature, in S3 XML', async () => {
    const cases: [typeof CREDENTIALS, string][] = [
      [{ ...CREDENTIALS, secretAccessKey: 'wrong' }, 'SignatureDoesNotMatch'],
      [{ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: CREDENTIALS.secretAccessKey }, 'InvalidAccessKeyId'],
    ];
    for (const [credentials, code] of cases) {
      const client = s3As(credentials);
      const error = await rejection(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'refused', Body: 'x' })));
      assert.equal(error.name, code);
      assert.equal(error.$metadata.httpStatusCode, 403);
      client.destroy();
    }
    const anonymous = await rawRequest(emulator.url, { path: `/${BUCKET}/multipart` });
    assert.equal(anonymous.status, 403);
    assert.match(anonymous.body, /<Code>AccessDenied<\/Code>/);
    // A signed header changed after signing.
    const headers = await signedHeaders({ method: 'GET', path: `/${BUCKET}`, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex(''), 'x-amz-meta-note': 'signed' } });
    const mismatch = await rawRequest(emulator.url, { path: `/${BUCKET}`, headers: { ...headers, 'x-amz-meta-note': 'changed' } });
    assert.equal(mismatch.status, 403);
    assert.match(mismatch.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    assertNoSecret(mismatch);
  });

  it('refuses them with the JSON error shape for the JSON services', async () => {
    const cases: [typeof CREDENTIALS, string][] = [
      [{ ...CREDENTIALS, secretAccessKey: 'wrong' }, 'InvalidSignatureException'],
      [{ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: CREDENTIALS.secretAccessKey }, 'UnrecognizedClientException'],
    ];
    for (const [credentials, code] of cases) {
      const client = sagemakerAs(credentials);
      const error = await rejection(client.send(new ListTrainingJobsCommand({})));
      assert.equal(error.name, code);
      assert.equal(error.$metadata.httpStatusCode, 403);
      client.destroy();
    }
    const anonymous = await rawRequest(emulator.url, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'SageMaker.ListTrainingJobs' }, body: '{}' });
    assert.equal(anonymous.status, 403);
    assert.equal(JSON.parse(anonymous.body).__type, 'MissingAuthenticationTokenException');
  });

  it('checks bodies against the signed payload hash', async () => {
    // S3: the declared x-amz-content-sha256 is checked while the body streams in.
    const path = `/${BUCKET}/tampered`;
    const s3Headers = await signedHeaders({ method: 'PUT', path, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex('original body') } });
    const tampered = await rawRequest(emulator.url, { method: 'PUT', path, headers: s3Headers, body: 'tampered body' });
    assert.equal(tampered.status, 400);
    assert.match(tampered.body, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    const original = await rawRequest(emulator.url, { method: 'PUT', path, headers: s3Headers, body: 'original body' });
    assert.equal(original.status, 200);

    // JSON services sign the hash of the body itself (the AWS CLI sends no x-amz-content-sha256).
    const jsonHeaders = await signedHeaders({
      method: 'POST',
      path: '/',
      service: 'sagemaker',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListTrainingJobs' },
      body: '{"MaxResults":1}',
    });
    const changed = await rawRequest(emulator.url, { method: 'POST', headers: jsonHeaders, body: '{"MaxResults":2}' });
    assert.equal(changed.status, 403);
    assert.equal(JSON.parse(changed.body).__type, 'InvalidSignatureException');
    const unchanged = await rawRequest(emulator.url, { method: 'POST', headers: jsonHeaders, body: '{"MaxResults":1}' });
    assert.equal(unchanged.status, 200);
  });

  it('refuses requests signed too long ago, and expired presigned URLs', async () => {
    const anHourAgo = new Date(Date.now() - 3600_000);
    const skewed = await rawRequest(emulator.url, {
      path: `/${BUCKET}`,
      headers: await signedHeaders({ method: 'GET', path: `/${BUCKET}`, service: 's3', headers: { 'x-amz-content-sha256': sha256Hex('') } }, anHourAgo),
    });
    assert.equal(skewed.status, 403);
    assert.match(skewed.body, /<Code>RequestTimeTooSkewed<\/Code>/);

    const host = new URL(emulator.url).host;
    const presign = async (signingDate: Date) => {
      const presigned = await signer('s3').presign(
        { method: 'GET', protocol: 'http:', hostname: '', path: `/${BUCKET}/multipart`, query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
        { signingDate, expiresIn: 600, unsignableHeaders: new Set(['x-amz-content-sha256']), unhoistableHeaders: new Set(['x-amz-content-sha256']) },
      );
      return `${presigned.path}?${new URLSearchParams(presigned.query as Record<string, string>).toString()}`;
    };
    assert.equal((await rawRequest(emulator.url, { path: await presign(new Date()) })).status, 200);
    const expired = await rawRequest(emulator.url, { path: await presign(anHourAgo) });
    assert.equal(expired.status, 403);
    assert.match(expired.body, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  });

  describe('signed aws-chunked uploads (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
    const chunks = [Buffer.alloc(64 * 1024, 'c'), Buffer.from('the last, short chunk')];
    const whole = Buffer.concat(chunks);

    /** A PUT whose chunks are signed as the AWS docs describe, with node:crypto alone. */
    async function signedChunkedPut(key: string, options: { trailer?: boolean; tamper?: 'data' | 'trailerSignature' } = {}): Promise<RawResponse> {
      const path = `/${BUCKET}/${key}`;
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(whole));
      const signed = await chunkedPut(path, chunks, { trailer: options.trailer ? `x-amz-checksum-crc32:${crc.toString('base64')}\n` : undefined, tamper: options.tamper });
      return rawRequest(emulator.url, { method: 'PUT', path, ...signed });
    }

    it('verifies each chunk signature and stores the decoded body', async () => {
      assert.equal((await signedChunkedPut('signed-chunks')).status, 200);
      assert.equal((await signedChunkedPut('signed-chunks-trailer', { trailer: true })).status, 200);
      for (const key of ['signed-chunks', 'signed-chunks-trailer']) {
        const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        assert.ok(Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(whole), key);
      }
    });

    it('refuses a changed chunk or a bad trailer signature, and stores nothing', async () => {
      for (const [key, options] of [
        ['changed-chunk', { tamper: 'data' }],
        ['bad-trailer', { trailer: true, tamper: 'trailerSignature' }],
      ] as const) {
        const response = await signedChunkedPut(key, options);
        assert.equal(response.status, 403, key);
        assert.match(response.body, /<Code>SignatureDoesNotMatch<\/Code>/, key);
        assert.equal((await rejection(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })))).name, 'NoSuchKey', key);
      }
    });
  });

  describe('with the AWS CLI', { skip: !existsSync(AWS_CLI) && `${AWS_CLI} is not installed` }, () => {
    it('signs S3 and SageMaker requests that verify, and presigns URLs that do', async () => {
      const aws = (...args: string[]) => awsCliAs(CREDENTIALS, emulator.url, home.path, ...args);
      const file = join(home.path, 'upload.txt');
      writeFileSync(file, 'from the CLI');
      await aws('s3', 'cp', file, `s3://${BUCKET}/cli/upload.txt`);
      const listed = JSON.parse(await aws('sagemaker', 'list-training-jobs')) as { TrainingJobSummaries: unknown[] };
      assert.ok(Array.isArray(listed.TrainingJobSummaries));
      const url = new URL((await aws('s3', 'presign', `s3://${BUCKET}/cli/upload.txt`, '--expires-in', '300')).trim());
      const presigned = await rawRequest(emulator.url, { path: `${url.pathname}${url.search}` });
      assert.equal(presigned.status, 200);
      assert.equal(presigned.body, 'from the CLI');
      const signature = url.searchParams.get('X-Amz-Signature') ?? '';
      url.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
      const forged = await rawRequest(emulator.url, { path: `${url.pathname}${url.search}` });
      assert.equal(forged.status, 403);
      assert.match(forged.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    });
  });

  it('refuses incomplete credential flags at start-up, without echoing a secret', async () => {
    const run = promisify(execFile);
    for (const args of [['--verify-signatures'], ['--access-key-id', 'AKID', '--secret-access-key', CREDENTIALS.secretAccessKey], ['--verify-signatures', '--access-key-id', 'AKID']]) {
      const failure = await rejection(run(process.execPath, [CLI_PATH, ...args]));
      const { code, stderr } = failure as Error & { code?: number; stderr?: string };
      assert.equal(code, 2, args.join(' '));
      assert.equal(stderr?.includes(CREDENTIALS.secretAccessKey), false);
    }
  });
});
