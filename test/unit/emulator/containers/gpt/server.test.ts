// Unit tests of request payloads.
import * as assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { loadModel, saveModel } from '../../../../../emulator/containers/gpt/modelFiles';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../../../../../emulator/containers/gpt/model/parameters';
import { parseRequest } from '../../../../../emulator/containers/gpt/payloads';
import { Random } from '../../../../../emulator/containers/gpt/model/random';
import { createModelServer } from '../../../../../emulator/containers/gpt/server';
import { BytePairTokenizer } from '../../../../../emulator/containers/gpt/tokenizer';
import { until } from '../../../../../harness/waiting';

const config: ModelConfig = { vocabSize: 300, layers: 2, heads: 2, width: 32, context: 32 };

async function writeModel(): Promise<string> {
  const directory = mkdtempSync(path.join(tmpdir(), 'gpt-model-'));
  const tokenizer = BytePairTokenizer.train([Buffer.from('hello world, hello there. the world is wide.\n'.repeat(50))], 300);
  const layout = new ParameterLayout({ ...config, vocabSize: tokenizer.vocabSize });
  const parameters = new Float32Array(layout.size);
  initializeParameters(layout, parameters, Random.fromSeed(1));
  parameters.forEach((value, i) => (parameters[i] = value * 10));
  await saveModel(directory, { config: layout.config, tokenizer, parameters });
  return directory;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function waitUntilLoaded(url: string): Promise<void> {
  await until(`the model server at ${url} to load its model (/ping 200)`, async () => ((await fetch(`${url}/ping`)).status === 200 ? true : undefined), { intervalMs: 20 });
}

async function invoke(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/invocations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** The JSON payloads of a server-sent event stream, `[DONE]` kept as a string. */
async function events(response: Response): Promise<unknown[]> {
  const text = await response.text();
  return text.split('\n\n').filter(Boolean).map((event) => {
    assert.match(event, /^data: ?/);
    const data = event.replace(/^data: ?/, '');
    return data === '[DONE]' ? data : JSON.parse(data);
  });
}

interface TgiEvent {
  index: number;
  token: { id: number; text: string; logprob: number; special: boolean };
  generated_text: string | null;
  details: { finish_reason: string; generated_tokens: number; seed: number } | null;
}

interface ChatChunk {
  object: string;
  choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }>;
}

describe('request payloads', () => {
  it('reads TGI requests, greedy unless sampling is asked for', () => {
    const greedy = parseRequest('{"inputs":"hi","parameters":{"max_new_tokens":5,"stop":["."],"seed":3}}');
    assert.deepEqual(greedy.parameters, { maxNewTokens: 5, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, stop: ['.'], seed: 3 });
    assert.equal(greedy.format, 'tgi');
    assert.equal(parseRequest('{"inputs":"hi","parameters":{"do_sample":true}}').parameters.temperature, 1);
    assert.equal(parseRequest('{"inputs":"hi","parameters":{"top_p":0.9}}').parameters.temperature, 1);
  });

  it('reads Messages requests through a chat template, content parts included', () => {
    const parsed = parseRequest(JSON.stringify({
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      max_tokens: 7, temperature: 0.5, stop: 'user:', stream: true, model: 'mine',
    }));
    assert.equal(parsed.prompt, 'system: Be brief.\nuser: Hi\nassistant:');
    assert.deepEqual({ ...parsed.parameters, seed: undefined }, { maxNewTokens: 7, temperature: 0.5, topK: 0, topP: 1, repetitionPenalty: 1, stop: ['user:'], seed: undefined });
    assert.equal(parsed.stream, true);
    assert.equal(parsed.model, 'mine');
  });

  it('refuses malformed requests with TGI validation errors', () => {
    for (const [body, message] of [
      ['{', /Failed to parse/], ['[]', /JSON object/], ['{"prompt":"x"}', /expected a TGI request/], ['{"inputs":3}', /inputs must be a string/],
      ['{"inputs":"x","parameters":{"temperature":0}}', /strictly positive/], ['{"messages":[]}', /non-empty/], ['{"messages":[{"role":"user"}]}', /content/],
      ['{"inputs":"x","parameters":{"stop":[1]}}', /stop must be/], ['{"inputs":"x","parameters":{"top_k":"5"}}', /top_k must be a number/],
    ] as const) {
      assert.throws(() => parseRequest(body), (error: Error & { status?: number }) => error.status === 422 && message.test(error.message), body);
    }
  });
});

describe('model server', () => {
  let modelDirectory: string;
  let server: http.Server;
  let url: string;

  before(async () => {
    modelDirectory = await writeModel();
    server = createModelServer({ modelDirectory, maxConcurrentRequests: 4 });
    url = await listen(server);
    await waitUntilLoaded(url);
  });

  after(() => server.close());

  it('loads the saved model without copying its weights', async () => {
    const model = await loadModel(modelDirectory);
    assert.ok(model.parameters.buffer.byteLength > model.parameters.byteLength, 'the weights are a view of the file bytes');
  });

  it('answers TGI requests, reproducibly with a seed', async () => {
    const body = { inputs: 'hello', parameters: { max_new_tokens: 12, temperature: 0.8, seed: 7, details: true } };
    const response = await invoke(url, body);
    assert.equal(response.status, 200);
    const [result] = await response.json() as Array<{ generated_text: string; details: { finish_reason: string; generated_tokens: number; seed: number } }>;
    assert.deepEqual(result.details, { finish_reason: 'length', generated_tokens: 12, seed: 7 });
    const [again] = await (await invoke(url, body)).json() as Array<{ generated_text: string }>;
    assert.equal(again.generated_text, result.generated_text);
    const [full] = await (await invoke(url, { ...body, parameters: { ...body.parameters, return_full_text: true } })).json() as Array<{ generated_text: string }>;
    assert.equal(full.generated_text, `hello${result.generated_text}`);
  });

  it('streams TGI tokens, the last with the generated text and details', async () => {
    const response = await invoke(url, { inputs: 'hello', parameters: { max_new_tokens: 9, seed: 3, do_sample: true }, stream: true });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const stream = await events(response) as TgiEvent[];
    assert.equal(stream.length, 9);
    stream.slice(0, -1).forEach((event, index) => assert.deepEqual([event.index, event.generated_text, event.details], [index, null, null]));
    const last = stream.at(-1)!;
    assert.equal(last.generated_text, stream.map((event) => event.token.text).join(''));
    assert.deepEqual(last.details, { finish_reason: 'length', generated_tokens: 9, seed: 3 });
    const [whole] = await (await invoke(url, { inputs: 'hello', parameters: { max_new_tokens: 9, seed: 3, do_sample: true } })).json() as Array<{ generated_text: string }>;
    assert.equal(whole.generated_text, last.generated_text, 'streaming and not streaming generate the same');
  });

  it('answers Messages API requests, leaving the stop sequence out', async () => {
    const request = { messages: [{ role: 'user', content: 'hello' }], max_tokens: 20, temperature: 0, model: 'tiny' };
    const free = await (await invoke(url, request)).json() as { choices: Array<{ message: { content: string } }> };
    const text = free.choices[0].message.content;
    const stop = text.slice(3, 5);
    const response = await invoke(url, { ...request, stop: [stop] });
    const completion = await response.json() as Record<string, unknown> & { choices: Array<{ message: { role: string; content: string }; finish_reason: string }>; usage: Record<string, number> };
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, 'tiny');
    assert.match(String(completion.id), /^chatcmpl-/);
    assert.equal(completion.choices[0].message.role, 'assistant');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(completion.choices[0].message.content, text.slice(0, text.indexOf(stop)));
    assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
  });

  it('streams the same Messages API answer as it sends whole, the stop sequence held back', async () => {
    const request = { messages: [{ role: 'user', content: 'hello' }], max_tokens: 30, temperature: 0 };
    const free = await (await invoke(url, request)).json() as { choices: Array<{ message: { content: string } }> };
    const text = free.choices[0].message.content;
    for (const stop of [text.slice(6, 9), text.slice(10, 11), 'never']) {
      const whole = await (await invoke(url, { ...request, stop })).json() as { choices: Array<{ message: { content: string }; finish_reason: string }> };
      const chunks = (await events(await invoke(url, { ...request, stop, stream: true }))).slice(0, -1) as ChatChunk[];
      assert.equal(chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join(''), whole.choices[0].message.content, `stop ${JSON.stringify(stop)}`);
      assert.equal(chunks.at(-1)!.choices[0].finish_reason, whole.choices[0].finish_reason);
    }
  });

  it('streams Messages API chunks ending with a finish reason and [DONE]', async () => {
    const response = await invoke(url, { messages: [{ role: 'user', content: 'hello' }], max_tokens: 6, seed: 1, stream: true });
    const stream = await events(response);
    assert.equal(stream.at(-1), '[DONE]');
    const chunks = stream.slice(0, -1) as ChatChunk[];
    // One chunk per token (but none for a token that is half a character), then the finish reason.
    assert.ok(chunks.length >= 2 && chunks.length <= 7, `${chunks.length} chunks`);
    assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'));
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    assert.deepEqual(chunks.at(-1)!.choices[0], { index: 0, delta: {}, finish_reason: 'length' });
    assert.ok(chunks.slice(1, -1).every((chunk) => chunk.choices[0].finish_reason === null && chunk.choices[0].delta.content !== ''));
  });

  it('answers errors in the TGI shape with their statuses', async () => {
    const invalid = await invoke(url, '{"inputs": ');
    assert.equal(invalid.status, 422);
    assert.equal((await invalid.json() as { error_type: string }).error_type, 'validation');
    const outOfRange = await invoke(url, { inputs: 'hello', parameters: { top_p: 2 } });
    assert.equal(outOfRange.status, 422);
    assert.match((await outOfRange.json() as { error: string }).error, /top_p must be in/);
    assert.equal((await invoke(url, { inputs: '' })).status, 422);
    assert.equal((await fetch(`${url}/nowhere`)).status, 404);
  });

  it('keeps answering /ping during a long generation, and refuses work beyond its limit', async () => {
    const limited = createModelServer({ modelDirectory, maxConcurrentRequests: 1 });
    const limitedUrl = await listen(limited);
    try {
      await waitUntilLoaded(limitedUrl);
      const long = await invoke(limitedUrl, { inputs: 'hello', parameters: { max_new_tokens: 4000 }, stream: true });
      const reader = long.body!.getReader();
      await reader.read(); // the stream has started
      let streamEnded = false;
      const draining = (async () => {
        // 4000 tokens come in at most 8000 reads (an event split in two at worst): a stream that
        // never ends fails here instead of hanging the run.
        for (let reads = 0; !(await reader.read()).done; reads++) assert.ok(reads < 8000, 'the stream ends after max_new_tokens');
        streamEnded = true;
      })();
      assert.equal((await fetch(`${limitedUrl}/ping`)).status, 200);
      assert.equal(streamEnded, false, '/ping had to wait for the generation');
      const refused = await invoke(limitedUrl, { inputs: 'hello' });
      assert.equal(refused.status, 429);
      assert.equal((await refused.json() as { error_type: string }).error_type, 'overloaded');
      await draining;
    } finally {
      limited.close();
    }
  });

  it('serves the same model from its model.tar.gz, read from a file or over HTTP', async () => {
    const archiveDirectory = mkdtempSync(path.join(tmpdir(), 'gpt-archive-'));
    const archive = path.join(archiveDirectory, 'model.tar.gz');
    await tar.create({ gzip: true, file: archive, cwd: modelDirectory, portable: true }, ['.']);
    // A plain HTTP server standing for S3 (a presigned GetObject URL): the archive, or a 404.
    const files = createServer((request, response) => {
      if (request.url === '/model.tar.gz') {
        createReadStream(archive).pipe(response);
      } else {
        response.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
      }
    });
    const filesUrl = await listen(files);
    const body = { inputs: 'hello', parameters: { max_new_tokens: 10, temperature: 0.8, seed: 5 } };
    const [expected] = await (await invoke(url, body)).json() as Array<{ generated_text: string }>;
    const servers = [archive, `${filesUrl}/model.tar.gz`, `${filesUrl}/missing.tar.gz`].map((modelArchive) => createModelServer({ modelArchive, maxConcurrentRequests: 1 }));
    try {
      const [fromFile, fromUrl, fromMissing] = await Promise.all(servers.map(listen));
      for (const served of [fromFile, fromUrl]) {
        await waitUntilLoaded(served);
        const [answer] = await (await invoke(served, body)).json() as Array<{ generated_text: string }>;
        assert.equal(answer.generated_text, expected.generated_text, served);
      }
      const missing = await until('the load of a missing archive to fail', async () => {
        const response = await invoke(fromMissing, body);
        assert.equal(response.status, 503);
        const answer = await response.json() as { error: string };
        return answer.error === 'the model is loading' ? undefined : answer;
      }, { intervalMs: 20 });
      assert.match(missing.error, /failed to load: GET of the model archive answered 404: <Error><Code>NoSuchKey/);
    } finally {
      servers.forEach((server) => server.close());
      files.close();
      rmSync(archiveDirectory, { recursive: true, force: true });
    }
  });

  it('is unhealthy when the model cannot be loaded', async () => {
    const broken = createModelServer({ modelDirectory: path.join(modelDirectory, 'missing'), maxConcurrentRequests: 1 });
    const brokenUrl = await listen(broken);
    try {
      // Loading or failed, it is not healthy; once the load has failed, it says why.
      assert.equal((await fetch(`${brokenUrl}/ping`)).status, 503);
      const failure = await until('the load of a missing model directory to fail', async () => {
        const response = await invoke(brokenUrl, { inputs: 'hello' });
        assert.equal(response.status, 503);
        const answer = await response.json() as { error: string };
        return answer.error === 'the model is loading' ? undefined : answer.error;
      }, { intervalMs: 20 });
      assert.match(failure, /failed to load/);
      assert.equal((await fetch(`${brokenUrl}/ping`)).status, 503);
    } finally {
      broken.close();
    }
  });
});
