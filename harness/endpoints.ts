// Endpoints for the chat tests, deployed through the SDK as a user's code would: a tiny GPT served by
// the built-in image (it streams TGI and Messages API answers) — with random weights (byte soup, in
// no time), or trained for a few seconds on the demo corpus (its sentences) — and the Node model
// server fixture, which streams plain-text parts for as long as the client listens. Each
// model.tar.gz is built here and put into the emulator's S3.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type ContainerDefinition, CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import { saveModel } from '../emulator/containers/gpt/modelFiles';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../emulator/containers/gpt/model/parameters';
import { Random } from '../emulator/containers/gpt/model/random';
import { BytePairTokenizer } from '../emulator/containers/gpt/tokenizer';
import { DEFAULT_HYPERPARAMETERS, train } from '../emulator/containers/gpt/trainer';
import { tinyTales } from './demo';
import { REPO_ROOT } from './paths';

const BUCKET = 'chat-test-models';
const ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';
const TINY_GPT: ModelConfig = { vocabSize: 300, layers: 2, heads: 2, width: 32, context: 64 };

export type TestModel = 'random-gpt' | 'trained-gpt' | 'streaming-echo' | 'missing-data';

async function tarGz(folder: string): Promise<Buffer> {
  const archive = `${folder}.tar.gz`;
  await tar.create({ gzip: true, file: archive, cwd: folder, portable: true }, ['.']);
  return readFileSync(archive);
}

async function archive(model: Exclude<TestModel, 'missing-data'>): Promise<Buffer> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'chat-model-'));
  try {
    const folder = path.join(scratch, 'model');
    if (model === 'trained-gpt') {
      // 80 steps at a high learning rate: about 4 s of one core, enough to write the corpus's sentences.
      const corpus = path.join(scratch, 'train.txt');
      writeFileSync(corpus, tinyTales(1000, 1));
      const trained = await train({
        files: [corpus],
        hyperparameters: {
          ...DEFAULT_HYPERPARAMETERS,
          ...{ vocabSize: 300, layers: 2, heads: 2, width: 32, context: 32, steps: 80, batchSize: 8, warmupSteps: 10 },
          ...{ learningRate: 1e-2, minLearningRate: 1e-3, validationInterval: 0, evalInterval: 0, checkpointInterval: 0 },
        },
        log: () => undefined,
      });
      await saveModel(folder, trained);
    } else if (model === 'random-gpt') {
      const layout = new ParameterLayout(TINY_GPT);
      const parameters = new Float32Array(layout.size);
      initializeParameters(layout, parameters, Random.fromSeed(7));
      const tokenizer = BytePairTokenizer.train([Buffer.from('the cat sat on the mat. the dog sat on the log. '.repeat(20))], TINY_GPT.vocabSize);
      await saveModel(folder, { config: TINY_GPT, tokenizer, parameters });
    } else {
      // A framework-style model: its code in code/, run through SAGEMAKER_PROGRAM.
      mkdirSync(path.join(folder, 'code'), { recursive: true });
      writeFileSync(path.join(folder, 'model.txt'), 'echo');
      writeFileSync(path.join(folder, 'code', 'serve.js'), readFileSync(path.join(REPO_ROOT, 'test', 'emulator', 'fixtures', 'modelServer.js')));
    }
    return await tarGz(folder);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Puts the test model's model.tar.gz into the emulator's S3 and returns its `s3://` URL. */
export async function putTestModel(emulatorUrl: string, name: string, model: Exclude<TestModel, 'missing-data'>): Promise<string> {
  const s3 = new S3Client({ ...clientConfig(emulatorUrl), forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((error: Error) => {
      if (error.name !== 'BucketAlreadyOwnedByYou') throw error;
    });
    const key = `${name}/model.tar.gz`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: await archive(model) }));
    return `s3://${BUCKET}/${key}`;
  } finally {
    s3.destroy();
  }
}

/**
 * Creates the model, an endpoint configuration with one `AllTraffic` variant of `instanceCount`
 * instances (default 1), and the endpoint (Creating). `startupDelayMs`: the streaming-echo server
 * answers /ping only after it, so the endpoint stays Creating that long.
 */
export async function deployTestEndpoint(
  emulatorUrl: string,
  endpointName: string,
  model: TestModel,
  options: { startupDelayMs?: number; instanceCount?: number } = {},
): Promise<void> {
  const modelDataUrl = model === 'missing-data' ? `s3://${BUCKET}/${endpointName}/model.tar.gz` : await putTestModel(emulatorUrl, endpointName, model);
  await createEndpointOf(
    emulatorUrl,
    endpointName,
    model === 'streaming-echo'
      ? { Image: 'sagemaker-emulator/node', ModelDataUrl: modelDataUrl, Environment: { SAGEMAKER_PROGRAM: 'serve.js', STARTUP_DELAY_MS: String(options.startupDelayMs ?? 0) } }
      : { Image: 'sagemaker-emulator/builtin-gpt:latest', ModelDataUrl: modelDataUrl },
    options.instanceCount ?? 1,
  );
}

/**
 * A model, an endpoint configuration with one variant (AllTraffic) of it and an endpoint, all named
 * `endpointName`; returns once CreateEndpoint is accepted (the endpoint is Creating).
 */
export async function createEndpointOf(emulatorUrl: string, endpointName: string, container: ContainerDefinition, instanceCount = 1): Promise<void> {
  const sageMaker = new SageMakerClient(clientConfig(emulatorUrl));
  try {
    await sageMaker.send(new CreateModelCommand({ ModelName: endpointName, ExecutionRoleArn: ROLE, PrimaryContainer: container }));
    await sageMaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: endpointName,
        ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: endpointName, InstanceType: 'ml.m5.large', InitialInstanceCount: instanceCount }],
      }),
    );
    await sageMaker.send(new CreateEndpointCommand({ EndpointName: endpointName, EndpointConfigName: endpointName }));
  } finally {
    sageMaker.destroy();
  }
}

function clientConfig(emulatorUrl: string) {
  return { endpoint: emulatorUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

/**
 * An endpoint served by the emulator's echo model server (image sagemaker-emulator/format-echo): it
 * answers the last user message back, word by word, in `format` (no model data). Resolves once it
 * is InService (DescribeEndpoint, every 250 ms for at most `timeoutMs`).
 */
export async function deployEchoEndpoint(
  emulatorUrl: string,
  endpointName: string,
  format: 'messages' | 'tgi' | 'lmi' | 'jumpstart' | 'custom',
  options: { timeoutMs?: number; tokenIntervalMs?: number } = {},
): Promise<void> {
  await createEndpointOf(emulatorUrl, endpointName, {
    Image: 'sagemaker-emulator/format-echo:latest',
    Environment: { SM_EMULATOR_FORMAT: format, ECHO_TOKEN_INTERVAL_MS: String(options.tokenIntervalMs ?? 5) },
  });
  const sageMaker = new SageMakerClient(clientConfig(emulatorUrl));
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const { EndpointStatus, FailureReason } = await sageMaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
      if (EndpointStatus === 'InService') return;
      if (EndpointStatus === 'Failed') throw new Error(`endpoint ${endpointName} failed: ${FailureReason}`);
      if (Date.now() > deadline) throw new Error(`endpoint ${endpointName} is still ${EndpointStatus} after ${options.timeoutMs ?? 30_000} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    sageMaker.destroy();
  }
}
