// The attacks a web page (or a network peer) could make on a default emulator, each reproduced with a
// raw request as a browser would send it, and refused in the addressed service's own error shape —
// while the real clients go on working (they run in every other test).
import { CreateBucketCommand, ListMultipartUploadsCommand, PutObjectCommand, HeadObjectCommand, DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { ListTrainingJobsCommand, CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { authorization, jsonTargetHeaders, rawRequest, type RawResponse } from './helpers';
import { trainingJobRequest } from '../../harness/requests';
import { CLI_PATH, makeTempDir, s3Client, sagemakerClient, spawnCli } from '../../harness/emulatorClients';

const BUCKET = 'front-door';

/** The `<Code>` and `<Message>` of an S3 XML error. */
function s3Error(response: RawResponse): { code?: string; message?: string } {
  return { code: /<Code>([^<]*)<\/Code>/.exec(response.body)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(response.body)?.[1] };
}

/** Everything a server answers to `request` sent as is on a new connection. */
function rawHttp10(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

function jsonError(response: RawResponse): { __type?: string; message?: string } {
  return JSON.parse(response.body) as { __type?: string; message?: string };
}

describe('the front door', () => {
  const scratch = makeTempDir('front-door');
  let emulator: RunningEmulator;
  let port: number;

  before(async () => {
    emulator = await startEmulator({ dataDir: scratch.path, allowHosts: ['devbox.internal'], runtime: { maxConcurrentJobs: 0, runEndpoints: false } });
    port = emulator.port;
    const s3 = s3Client(emulator.url);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'precious.txt', Body: 'keep me' }));
    s3.destroy();
    const sagemaker = sagemakerClient(emulator.url);
    await sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('secret-job')));
    sagemaker.destroy();
  });
  after(async () => {
    await emulator.close();
    scratch.remove();
  });

  it('refuses a request addressed to another name (DNS rebinding), in each protocol, naming --allow-host', async () => {
    const rebound = `rebind.evil.example:${port}`;
    const json = await rawRequest(emulator.url, { method: 'POST', headers: { ...jsonTargetHeaders('SageMaker.ListTrainingJobs'), Host: rebound }, body: '{}' });
    assert.equal(json.status, 403);
    assert.equal(json.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.match(jsonError(json).message ?? '', /--allow-host rebind\.evil\.example/);
    assert.doesNotMatch(json.body, /secret-job/);

    const s3 = await rawRequest(emulator.url, { path: `/${BUCKET}/precious.txt`, headers: { Host: rebound } });
    assert.equal(s3.status, 403);
    assert.equal(s3Error(s3).code, 'AccessDenied');
    assert.match(s3Error(s3).message ?? '', /--allow-host rebind\.evil\.example/);
    assert.doesNotMatch(s3.body, /keep me/);

    const query = await rawRequest(emulator.url, {
      method: 'POST',
      headers: { Host: rebound, 'Content-Type': 'application/x-www-form-urlencoded', ...authorization('monitoring') },
      body: 'Action=ListMetrics&Version=2010-08-01',
    });
    assert.equal(query.status, 403);
    assert.match(query.body, /<Code>AccessDeniedException<\/Code>/);

    const control = await rawRequest(emulator.url, { path: '/_emulator/health', headers: { Host: rebound } });
    assert.equal(control.status, 403);
    assert.equal(jsonError(control).__type, 'AccessDeniedException');

    // HTTP/1.0 lets a request leave Host out (Node refuses that only for HTTP/1.1).
    const noHost = await rawHttp10(port, `GET /${BUCKET}/precious.txt HTTP/1.0\r\n\r\n`);
    assert.match(noHost, /^HTTP\/1\.1 403 /);
    assert.match(noHost, /no Host header/);
    assert.doesNotMatch(noHost, /keep me/);
  });

  it('answers loopback names and addresses, the address it listens on, and names given with --allow-host', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST.', `app.localhost:${port}`, '127.8.9.10', `[::1]:${port}`, '[::ffff:127.0.0.1]', `devbox.internal:${port}`]) {
      const response = await rawRequest(emulator.url, { path: `/${BUCKET}/precious.txt`, headers: { Host: host } });
      assert.equal(response.status, 200, host);
      assert.equal(response.body, 'keep me', host);
    }
    for (const host of ['localhost.evil.example', '127.0.0.1.evil.example', '0.0.0.0', '10.0.0.1', '[::2]']) {
      const response = await rawRequest(emulator.url, { path: `/${BUCKET}/precious.txt`, headers: { Host: host } });
      assert.equal(response.status, 403, host);
    }
  });

  it('refuses requests from web pages: an Origin, or a cross-site fetch without one', async () => {
    const fromPage = { Origin: 'https://evil.example' };
    const list = await rawRequest(emulator.url, { method: 'POST', headers: { ...jsonTargetHeaders('SageMaker.ListTrainingJobs'), ...fromPage }, body: '{}' });
    assert.equal(list.status, 403);
    assert.match(jsonError(list).message ?? '', /--allow-origin https:\/\/evil\.example/);
    assert.equal(list.headers['access-control-allow-origin'], undefined, 'nothing lets the page read the answer');

    const sandboxed = await rawRequest(emulator.url, { path: `/${BUCKET}/precious.txt`, headers: { Origin: 'null' } });
    assert.equal(sandboxed.status, 403);
    assert.equal(s3Error(sandboxed).code, 'AccessDenied');

    // An <img> or <script> GET has no Origin, but the browser says where it comes from.
    const image = await rawRequest(emulator.url, { path: `/${BUCKET}/precious.txt`, headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' } });
    assert.equal(image.status, 403);
    assert.doesNotMatch(image.body, /keep me/);
    // Typed into the address bar: the user's own request.
    const typed = await rawRequest(emulator.url, { path: `/${BUCKET}/precious.txt`, headers: { 'Sec-Fetch-Site': 'none' } });
    assert.equal(typed.status, 200);

    // A CORS preflight from a page is refused too, so the browser sends nothing after it.
    const preflight = await rawRequest(emulator.url, { method: 'OPTIONS', path: `/${BUCKET}/x`, headers: { ...fromPage, 'Access-Control-Request-Method': 'PUT' } });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });

  it('refuses the simple requests a page can send without a preflight (text/plain and form bodies)', async () => {
    const page = { Origin: 'https://evil.example', 'Content-Type': 'text/plain;charset=UTF-8' };
    const deleteXml = `<Delete><Object><Key>precious.txt</Key></Object></Delete>`;
    const deletion = await rawRequest(emulator.url, { method: 'POST', path: `/${BUCKET}?delete`, headers: page, body: deleteXml });
    assert.equal(deletion.status, 403);
    const upload = await rawRequest(emulator.url, { method: 'POST', path: `/${BUCKET}/planted.sh?uploads`, headers: page, body: '' });
    assert.equal(upload.status, 403);
    const fault = await rawRequest(emulator.url, { method: 'POST', path: '/_emulator/faults', headers: page, body: '{"type":"spot-interruption","trainingJobName":"secret-job"}' });
    assert.equal(fault.status, 403);
    assert.equal(jsonError(fault).__type, 'AccessDeniedException');

    // The JSON protocols take only their own media type, whoever sends another.
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const headers: Record<string, string> = { 'X-Amz-Target': 'SageMaker.CreateTrainingJob' };
      if (contentType) headers['Content-Type'] = contentType;
      const create = await rawRequest(emulator.url, { method: 'POST', headers, body: JSON.stringify(trainingJobRequest('planted-job')) });
      assert.equal(create.status, 400, contentType);
      assert.equal(jsonError(create).__type, 'UnknownOperationException', contentType);
      assert.match(jsonError(create).message ?? '', /application\/x-amz-json-1\.1/, contentType);
    }

    const s3 = s3Client(emulator.url);
    const sagemaker = sagemakerClient(emulator.url);
    try {
      await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'precious.txt' }));
      assert.deepEqual((await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads, undefined, 'no upload was started');
      const jobs = await sagemaker.send(new ListTrainingJobsCommand({}));
      assert.deepEqual(jobs.TrainingJobSummaries?.map((job) => job.TrainingJobName), ['secret-job'], 'no job was planted');
    } finally {
      s3.destroy();
      sagemaker.destroy();
    }
  });

  it('requires Content-MD5 or a checksum for DeleteObjects, as S3 does, and checks it', async () => {
    const body = `<Delete><Object><Key>precious.txt</Key></Object></Delete>`;
    const bare = await rawRequest(emulator.url, { method: 'POST', path: `/${BUCKET}?delete`, headers: { 'Content-Type': 'application/xml' }, body });
    assert.equal(bare.status, 400);
    assert.deepEqual(s3Error(bare), { code: 'InvalidRequest', message: 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*' });
    const wrongMd5 = await rawRequest(emulator.url, {
      method: 'POST',
      path: `/${BUCKET}?delete`,
      headers: { 'Content-MD5': createHash('md5').update('something else').digest('base64') },
      body,
    });
    assert.equal(s3Error(wrongMd5).code, 'BadDigest');
    const wrongCrc = await rawRequest(emulator.url, { method: 'POST', path: `/${BUCKET}?delete`, headers: { 'x-amz-checksum-crc32': 'AAAAAA==' }, body });
    assert.equal(s3Error(wrongCrc).code, 'BadDigest');

    const s3 = s3Client(emulator.url);
    try {
      await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'precious.txt' }));
      // With the right Content-MD5 it deletes; the SDK itself sends a CRC32 (as boto3 and the AWS CLI do).
      const md5 = await rawRequest(emulator.url, {
        method: 'POST',
        path: `/${BUCKET}?delete`,
        headers: { 'Content-MD5': createHash('md5').update(body).digest('base64') },
        body,
      });
      assert.equal(md5.status, 200, md5.body);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'precious.txt', Body: 'keep me' }));
      const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'temporary.txt' }] } }));
      assert.deepEqual(deleted.Deleted?.map((object) => object.Key), ['temporary.txt']);
    } finally {
      s3.destroy();
    }
  });

  it('lets pages from an origin given with --allow-origin call it, with CORS headers', async () => {
    const dataDir = makeTempDir('front-door-cors');
    const allowed = await startEmulator({ dataDir: dataDir.path, allowOrigins: ['http://localhost:3000'], runtime: { maxConcurrentJobs: 0, runEndpoints: false } });
    try {
      const origin = { Origin: 'http://localhost:3000' };
      const preflight = await rawRequest(allowed.url, {
        method: 'OPTIONS',
        headers: { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:3000');
      assert.equal(preflight.headers['access-control-allow-headers'], 'content-type,x-amz-target');
      const list = await rawRequest(allowed.url, { method: 'POST', headers: { ...jsonTargetHeaders('SageMaker.ListTrainingJobs'), ...origin }, body: '{}' });
      assert.equal(list.status, 200);
      assert.equal(list.headers['access-control-allow-origin'], 'http://localhost:3000');
      // An error keeps the CORS headers, so the page can read why.
      const missing = await rawRequest(allowed.url, { method: 'POST', headers: { ...jsonTargetHeaders('SageMaker.DescribeTrainingJob'), ...origin }, body: '{"TrainingJobName":"none"}' });
      assert.equal(missing.status, 400);
      assert.equal(missing.headers['access-control-allow-origin'], 'http://localhost:3000');
      const other = await rawRequest(allowed.url, { method: 'POST', headers: { ...jsonTargetHeaders('SageMaker.ListTrainingJobs'), Origin: 'http://localhost:3001' }, body: '{}' });
      assert.equal(other.status, 403);
    } finally {
      await allowed.close();
      dataDir.remove();
    }
  });
});

/** The CLI run to its end, with an environment holding no AWS credentials unless given. */
function runCli(args: string[], env: Record<string, string> = {}) {
  const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...rest } = process.env;
  return spawnSync(process.execPath, [CLI_PATH, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...rest, ...env } });
}

describe('binding off loopback, and the controls with --verify-signatures', () => {
  const scratch = makeTempDir('front-door-cli');
  after(() => scratch.remove());

  it('refuses to listen off loopback without --verify-signatures; --insecure-bind starts it with a warning', async () => {
    const refused = runCli(['--host', '0.0.0.0', '--port', '0', '--data-dir', scratch.path]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /refusing to listen on 0\.0\.0\.0: anyone who can reach it could run any command as you/);
    assert.match(refused.stderr, /--verify-signatures/);
    assert.match(refused.stderr, /--insecure-bind/);

    const insecure = await spawnCli(['--host', '0.0.0.0', '--port', '0', '--data-dir', scratch.path, '--insecure-bind']);
    insecure.child.kill('SIGTERM');
    assert.equal(await insecure.exited, 0);
    assert.match(insecure.stderr(), /^WARNING: listening on 0\.0\.0\.0 without --verify-signatures/m);

    const verified = await spawnCli(['--host', '0.0.0.0', '--port', '0', '--data-dir', scratch.path, '--verify-signatures', '--access-key-id', 'AKIDCONTROL', '--secret-access-key', 'control-secret']);
    verified.child.kill('SIGTERM');
    assert.equal(await verified.exited, 0);
    assert.doesNotMatch(verified.stderr(), /WARNING/);
  });

  it('needs the APIs\' signature for /_emulator/ (but a bare liveness answer), and the fault command signs', async () => {
    const credentials = { accessKeyId: 'AKIDCONTROL', secretAccessKey: 'control-secret' };
    const emulator = await spawnCli(['--port', '0', '--data-dir', scratch.path, '--verify-signatures', '--access-key-id', credentials.accessKeyId, '--secret-access-key', credentials.secretAccessKey]);
    try {
      const liveness = await rawRequest(emulator.url, { path: '/_emulator/health' });
      assert.equal(liveness.status, 200);
      assert.deepEqual(JSON.parse(liveness.body), { status: 'ok' }, 'no version or details without a signature');

      const url = new URL('/_emulator/health', emulator.url);
      const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'sagemaker', sha256: Sha256 });
      const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host } });
      const health = await rawRequest(emulator.url, { path: '/_emulator/health', headers: signed.headers });
      assert.equal(health.status, 200);
      // Signed: the details, with the data folder and process a VS Code window tells its own emulator by.
      const details = JSON.parse(health.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(details).sort(), ['dataDir', 'pid', 'status', 'store', 'version']);
      assert.equal(details.dataDir, scratch.path);

      const unsigned = await rawRequest(emulator.url, {
        method: 'POST',
        path: '/_emulator/faults',
        headers: { 'Content-Type': 'application/json' },
        body: '{"type":"spot-interruption","trainingJobName":"nope"}',
      });
      assert.equal(unsigned.status, 403);
      assert.equal(jsonError(unsigned).__type, 'MissingAuthenticationTokenException');
      const badlySigned = await rawRequest(emulator.url, { path: '/_emulator/health', headers: { ...signed.headers, 'x-amz-date': '20200101T000000Z' } });
      assert.equal(badlySigned.status, 403);

      const job = ['fault', 'spot-interruption', '--job', 'nope', '--url', emulator.url];
      const withoutCredentials = runCli(job);
      assert.equal(withoutCredentials.status, 1);
      assert.match(withoutCredentials.stderr, /Missing Authentication Token/);
      // Signed: past the signature, to the control's own answer.
      for (const signedRun of [
        runCli([...job, '--access-key-id', credentials.accessKeyId, '--secret-access-key', credentials.secretAccessKey]),
        runCli(job, { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey }),
      ]) {
        assert.equal(signedRun.status, 1);
        assert.match(signedRun.stderr, /Training job nope is not running, or is not a managed spot training job/);
      }
      const wrongSecret = runCli([...job, '--access-key-id', credentials.accessKeyId, '--secret-access-key', 'not-the-secret']);
      assert.match(wrongSecret.stderr, /signature we calculated does not match/);
    } finally {
      emulator.child.kill('SIGTERM');
      await emulator.exited;
    }
  });
});
