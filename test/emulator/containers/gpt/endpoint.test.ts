// The built-in GPT deployed as a SageMaker endpoint: its model.tar.gz in S3, the built-in image's
// model server per instance, TGI and Messages API payloads through InvokeEndpoint and streamed
// through InvokeEndpointWithResponseStream.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DescribeEndpointCommand, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, InvokeEndpointWithResponseStreamCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { saveModel } from '../../../../emulator/containers/gpt/modelFiles';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../../../../emulator/containers/gpt/model/parameters';
import { Random } from '../../../../emulator/containers/gpt/model/random';
import { BytePairTokenizer } from '../../../../emulator/containers/gpt/tokenizer';
import { type RunningEmulator, startEmulator } from '../../../../emulator/server';
import { clientConfig, makeTempDir, s3Client, sagemakerClient } from '../../../../harness/emulatorClients';

const CONFIG: ModelConfig = { vocabSize: 300, layers: 2, heads: 2, width: 32, context: 64 };

describe('the built-in GPT served by an endpoint', () => {
  const scratch = makeTempDir('gpt-endpoint');
  let emulator: RunningEmulator;
  let runtime: SageMakerRuntimeClient;

  const invoke = async (payload: object) => {
    const response = await runtime.send(new InvokeEndpointCommand({ EndpointName: 'gpt', Body: JSON.stringify(payload), ContentType: 'application/json' }));
    return JSON.parse(Buffer.from(response.Body).toString('utf8')) as unknown;
  };
  const stream = async (payload: object) => {
    const response = await runtime.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'gpt', Body: JSON.stringify(payload), ContentType: 'application/json' }));
    let text = '';
    let parts = 0;
    for await (const event of response.Body!) {
      if (!event.PayloadPart?.Bytes) continue;
      parts++;
      text += Buffer.from(event.PayloadPart.Bytes).toString('utf8');
    }
    return { parts, events: text.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()) };
  };

  before(async () => {
    const layout = new ParameterLayout(CONFIG);
    const parameters = new Float32Array(layout.size);
    initializeParameters(layout, parameters, Random.fromSeed(7));
    const tokenizer = BytePairTokenizer.train([Buffer.from('the cat sat on the mat. the dog sat on the log. '.repeat(20))], CONFIG.vocabSize);
    const modelDir = path.join(scratch.path, 'model');
    await saveModel(modelDir, { config: CONFIG, tokenizer, parameters });
    const archive = path.join(scratch.path, 'model.tar.gz');
    await tar.create({ gzip: true, file: archive, cwd: modelDir, portable: true }, ['.']);

    emulator = await startEmulator({ dataDir: path.join(scratch.path, 'data'), runtime: { maxConcurrentJobs: 0 } });
    const s3 = s3Client(emulator.url);
    const sagemaker = sagemakerClient(emulator.url);
    runtime = new SageMakerRuntimeClient({ ...clientConfig(emulator.url), maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'models' }));
    await s3.send(new PutObjectCommand({ Bucket: 'models', Key: 'gpt/model.tar.gz', Body: readFileSync(archive) }));
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: 'gpt',
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        PrimaryContainer: { Image: 'sagemaker-emulator/builtin-gpt', ModelDataUrl: 's3://models/gpt/model.tar.gz' },
      }),
    );
    await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'gpt', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'gpt', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }] }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'gpt', EndpointConfigName: 'gpt' }));
    await waitUntilEndpointInService({ client: sagemaker, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { EndpointName: 'gpt' }).catch(() => undefined);
    const described = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'gpt' }));
    assert.equal(described.EndpointStatus, 'InService', described.FailureReason);
    s3.destroy();
    sagemaker.destroy();
  });
  after(async () => {
    runtime.destroy();
    await emulator.close();
    scratch.remove();
  });

  it('generates with a TGI payload, reproducibly for a seed', async () => {
    const payload = { inputs: 'the cat', parameters: { max_new_tokens: 8, seed: 3, temperature: 0.8 } };
    const first = (await invoke(payload)) as { generated_text: string }[];
    assert.equal(first.length, 1);
    assert.equal(typeof first[0].generated_text, 'string');
    assert.ok(first[0].generated_text.length > 0);
    assert.deepEqual(await invoke(payload), first);
  });

  // (That parts flow as the container writes them is proven with a slow fixture in runtime/endpoints/endpointRuntime.test.ts:
  // this model is fast enough for TCP to coalesce its tokens.)
  it('streams TGI tokens as server-sent events ending with the whole text', async () => {
    const { parts, events } = await stream({ inputs: 'the dog', parameters: { max_new_tokens: 6, seed: 5 }, stream: true });
    assert.ok(parts >= 1);
    const tokens = events.map((event) => JSON.parse(event) as { token: { text: string }; generated_text: string | null });
    assert.equal(tokens.length, 6);
    const last = tokens[tokens.length - 1];
    assert.equal(last.generated_text, tokens.map((token) => token.token.text).join(''));
  });

  it('answers the Messages API, streamed as chat.completion.chunk events', async () => {
    const completion = (await invoke({ messages: [{ role: 'user', content: 'the cat' }], max_tokens: 4, seed: 1 })) as { object: string; choices: { message: { role: string; content: string } }[] };
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0].message.role, 'assistant');
    const { events } = await stream({ messages: [{ role: 'user', content: 'the cat' }], max_tokens: 4, seed: 1, stream: true });
    assert.equal(events[events.length - 1], '[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as { object: string; choices: { delta: { content?: string } }[] });
    assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'));
    assert.equal(chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join(''), completion.choices[0].message.content);
  });

  it('streams model.tar.gz into the server: nothing is extracted on disk', () => {
    const endpointsDir = path.join(scratch.path, 'data', 'endpoints');
    const deployment = readdirSync(endpointsDir).find((name) => name.startsWith('gpt-'));
    assert.ok(deployment, 'the endpoint has a working folder');
    assert.deepEqual(readdirSync(path.join(endpointsDir, deployment, 'AllTraffic', 'model')), []);
  });

  it('answers a malformed payload as ModelError with the model server status', async () => {
    const error = (await invoke({ nothing: true }).catch((caught: unknown) => caught)) as Error & { OriginalStatusCode?: number };
    assert.equal(error.name, 'ModelError');
    assert.ok(error.OriginalStatusCode !== undefined && error.OriginalStatusCode >= 400 && error.OriginalStatusCode < 500);
  });
});
