// `npm run bench:test-load`: Send Test Load's invocations/s against a plain SDK loop on the same
// endpoint, in the same run. Both drive one endpoint of the built-in GPT (the model the test
// fixture trains) through the real SageMaker Runtime client with the same body and the same number
// of calls in flight; Send Test Load runs its own scheduler (runTestLoad, as the command does) at a
// rate above what the endpoint can answer, so its figure is what it sustains. Rounds alternate so
// both see the same machine load. Issue 12's figure: ≥ 0.8 of the plain loop.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MAX_IN_FLIGHT, endpointInvoker, runTestLoad, testLoadBody } from '../src/pipeline/testLoad';
import { startEmulatorProcess } from '../harness/emulatorProcess';
import { createEndpointOf } from '../harness/endpoints';
import { trainedFixture } from '../harness/trainedFixture';
import { median, runBenchmark } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const CALLS_PER_ROUND = 300;
const ROUNDS = 5;
const BODY = testLoadBody('The cat', 8);

/** The plain loop: DEFAULT_MAX_IN_FLIGHT callers, each awaiting InvokeEndpoint in turn, until `calls` are answered. */
async function plainLoop(runtime: SageMakerRuntimeClient, endpointName: string, calls: number): Promise<number> {
  let remaining = calls;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: DEFAULT_MAX_IN_FLIGHT }, async () => {
      while (remaining-- > 0) {
        await runtime.send(new InvokeEndpointCommand({ EndpointName: endpointName, ContentType: 'application/json', Accept: 'application/json', Body: BODY }));
      }
    }),
  );
  return (calls * 1000) / (performance.now() - started);
}

async function main(): Promise<void> {
  const fixture = await trainedFixture();
  const emulator = await startEmulatorProcess({ dataDir: fixture.dataDir });
  const config = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sageMaker = new SageMakerClient(config);
  const runtime = new SageMakerRuntimeClient({ ...config, maxAttempts: 1 });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-test-load' })).catch(() => undefined);
    await s3.send(new PutObjectCommand({ Bucket: 'bench-test-load', Key: 'marker', Body: 'x' }));
    await createEndpointOf(emulator.url, 'load', {
      Image: 'sagemaker-emulator/builtin-gpt:latest',
      ModelDataUrl: `s3://${fixture.bucket}/models/${fixture.trainingJob}/output/model.tar.gz`,
    });
    await waitUntilEndpointInService({ client: sageMaker, maxWaitTime: 120, minDelay: 1, maxDelay: 1 }, { EndpointName: 'load' });

    const invoke = endpointInvoker(runtime, 'load', BODY);
    const testLoad = async () => {
      const result = await runTestLoad(invoke, { count: CALLS_PER_ROUND, ratePerSecond: 10_000 });
      if (result.failed > 0) throw new Error(`Send Test Load: ${result.failed} failed: ${result.firstError}`);
      return result.invocationsPerSecond;
    };
    // Warm both, then alternate.
    await plainLoop(runtime, 'load', 50);
    await runTestLoad(invoke, { count: 50, ratePerSecond: 10_000 });
    const plain: number[] = [];
    const load: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plain.push(await plainLoop(runtime, 'load', CALLS_PER_ROUND));
      load.push(await testLoad());
    }
    const ratio = median(load) / median(plain);
    console.log(`| figure (median of ${ROUNDS} rounds of ${CALLS_PER_ROUND} calls, ${DEFAULT_MAX_IN_FLIGHT} in flight) | Send Test Load | plain SDK loop | ratio | budget |`);
    console.log('|---|---|---|---|---|');
    console.log(`| InvokeEndpoint/s, built-in GPT endpoint (8 new tokens) | ${median(load).toFixed(1)} | ${median(plain).toFixed(1)} | ${ratio.toFixed(2)} | ≥ 0.80 ${ratio >= 0.8 ? '✓' : '✗'} |`);
    if (ratio < 0.8) process.exitCode = 1;
  } finally {
    s3.destroy();
    sageMaker.destroy();
    runtime.destroy();
    await emulator.stop();
  }
}

runBenchmark(main);
