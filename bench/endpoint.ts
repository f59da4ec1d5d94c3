// `node out/bench/endpoint.js`: what the emulator adds to an invocation. A one-instance endpoint
// serves a small echo model (the test fixture); InvokeEndpoint through the emulator (the real
// SageMaker Runtime client, as an application calls it) is measured against POST /invocations
// sent straight to the same container in the same run — latency one at a time, and throughput
// with 8 callers at once. No issue sets a figure for this yet; the table reports the ratios.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tar from 'tar';
import { startEmulatorProcess } from '../harness/emulatorProcess';
import { REPO_ROOT } from '../harness/paths';
import { median, runBenchmark } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const LATENCY_CALLS = 300;
const THROUGHPUT_MS = 3000;
const CALLERS = 8;
const BODY = JSON.stringify({ inputs: 'The cat', parameters: { max_new_tokens: 16 } });

/** model.tar.gz with the echo model server of the endpoint tests as its code. */
function echoModel(dir: string): Buffer {
  const root = path.join(dir, 'model');
  mkdirSync(path.join(root, 'code'), { recursive: true });
  writeFileSync(path.join(root, 'model.txt'), 'echo');
  writeFileSync(path.join(root, 'code', 'serve.js'), readFileSync(path.join(REPO_ROOT, 'test', 'emulator', 'fixtures', 'modelServer.js')));
  const archive = path.join(dir, 'model.tar.gz');
  tar.create({ gzip: true, file: archive, cwd: root, sync: true, portable: true }, ['.']);
  return readFileSync(archive);
}

function post(agent: http.Agent, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (response) => {
      response.resume();
      response.once('end', resolve);
    });
    request.once('error', reject);
    request.end(BODY);
  });
}

async function latencies(call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < LATENCY_CALLS; index++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return times;
}

async function throughput(call: () => Promise<unknown>): Promise<number> {
  let calls = 0;
  const deadline = performance.now() + THROUGHPUT_MS;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (performance.now() < deadline) {
        await call();
        calls++;
      }
    }),
  );
  return calls / (THROUGHPUT_MS / 1000);
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-endpoint-'));
  const emulator = await startEmulatorProcess();
  const config = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sageMaker = new SageMakerClient(config);
  const runtime = new SageMakerRuntimeClient(config);
  const agent = new http.Agent({ keepAlive: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-endpoint' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bench-endpoint', Key: 'echo/model.tar.gz', Body: echoModel(scratch) }));
    await sageMaker.send(
      new CreateModelCommand({
        ModelName: 'echo',
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/bench',
        PrimaryContainer: { Image: 'sagemaker-emulator/node', ModelDataUrl: 's3://bench-endpoint/echo/model.tar.gz', Environment: { SAGEMAKER_PROGRAM: 'serve.js' } },
      }),
    );
    await sageMaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'echo', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'echo', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }] }));
    await sageMaker.send(new CreateEndpointCommand({ EndpointName: 'echo', EndpointConfigName: 'echo' }));
    await waitUntilEndpointInService({ client: sageMaker, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { EndpointName: 'echo' });

    const viaEmulator = () => runtime.send(new InvokeEndpointCommand({ EndpointName: 'echo', Body: BODY, ContentType: 'application/json' }));
    const first = JSON.parse(Buffer.from((await viaEmulator()).Body).toString('utf8')) as { port: number };
    const direct = () => post(agent, `http://127.0.0.1:${first.port}/invocations`);
    // The same call without the SDK client (unsigned, which the emulator accepts): what the emulator itself adds.
    const rawViaEmulator = () => post(agent, `${emulator.url}/endpoints/echo/invocations`);
    // Warm both paths, then measure them interleaved so that both see the same machine load.
    const paths = { sdk: viaEmulator, raw: rawViaEmulator, direct };
    for (const call of Object.values(paths)) await latencies(call);
    const latency: Record<keyof typeof paths, number[]> = { sdk: [], raw: [], direct: [] };
    const rate: Record<keyof typeof paths, number[]> = { sdk: [], raw: [], direct: [] };
    for (let round = 0; round < 3; round++) {
      for (const [name, call] of Object.entries(paths) as [keyof typeof paths, () => Promise<unknown>][]) {
        latency[name].push(median(await latencies(call)));
        rate[name].push(await throughput(call));
      }
    }
    const ms = (name: keyof typeof paths) => median(latency[name]);
    const perSecond = (name: keyof typeof paths) => median(rate[name]);
    console.log('| figure (median of 3 rounds) | SDK client → emulator | plain HTTP → emulator | plain HTTP → container | emulator ÷ container |');
    console.log('|---|---|---|---|---|');
    console.log(
      `| InvokeEndpoint latency, one at a time (${LATENCY_CALLS} calls) | ${ms('sdk').toFixed(2)} ms | ${ms('raw').toFixed(2)} ms | ${ms('direct').toFixed(2)} ms | ${(ms('raw') / ms('direct')).toFixed(2)} |`,
    );
    console.log(
      `| invocations/s, ${CALLERS} callers | ${perSecond('sdk').toFixed(0)} | ${perSecond('raw').toFixed(0)} | ${perSecond('direct').toFixed(0)} | ${(perSecond('raw') / perSecond('direct')).toFixed(2)} |`,
    );
    console.log('(Clients, emulator and container share these 2 cores. The SDK column adds the client\'s signing and parsing.)');
  } finally {
    agent.destroy();
    s3.destroy();
    sageMaker.destroy();
    runtime.destroy();
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

runBenchmark(main);
