// Continuous batching (batcher.ts): streams generated together in one model pass per step give exactly
// the tokens each gives alone, whatever joins or leaves around them; a cancelled stream frees its slot;
// a stop sequence ends only its own stream. Over HTTP, a client that goes away frees its slot too.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ContinuousBatcher, type BatcherOptions } from '../../../../../emulator/containers/gpt/batcher';
import { DEFAULT_GENERATION, type GeneratedToken, type GenerationParameters, type GenerationResult } from '../../../../../emulator/containers/gpt/generation';
import { saveModel, type SavedModel } from '../../../../../emulator/containers/gpt/modelFiles';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../../../../../emulator/containers/gpt/model/parameters';
import { Random } from '../../../../../emulator/containers/gpt/model/random';
import { createModelServer } from '../../../../../emulator/containers/gpt/server';
import { BytePairTokenizer } from '../../../../../emulator/containers/gpt/tokenizer';
import { until } from '../../../../../harness/waiting';

const config: ModelConfig = { vocabSize: 256, layers: 2, heads: 2, width: 16, context: 24 };
const layout = new ParameterLayout(config);
// Untrained weights scaled up, so that the distributions are far from uniform but still random.
const parameters = new Float32Array(layout.size);
initializeParameters(layout, parameters, Random.fromSeed(5));
parameters.forEach((value, i) => (parameters[i] = value * 20));
const model: SavedModel = { config, tokenizer: BytePairTokenizer.train([], 256, { endOfText: false }), parameters };
// Few prompt rows per step, so that prompts are run in several chunks, more so when streams share them.
const options: BatcherOptions = { slots: 8, prefillRows: 5 };

interface Run {
  tokens: GeneratedToken[];
  result: Promise<GenerationResult>;
  cancel(): void;
}

function start(batcher: ContinuousBatcher, prompt: string, parameters: GenerationParameters): Run {
  const tokens: GeneratedToken[] = [];
  let cancel = (): void => undefined;
  const result = new Promise<GenerationResult>((resolve, reject) => {
    cancel = batcher.start(prompt, parameters, {
      token(token, result) {
        tokens.push(token);
        if (result) {
          resolve(result);
        }
      },
      fail: reject,
    }).cancel;
  });
  return { tokens, result, cancel };
}

const requests: Array<[string, GenerationParameters]> = [
  ['Hello', { ...DEFAULT_GENERATION, maxNewTokens: 30, seed: 1 }],
  ['Once upon a time', { ...DEFAULT_GENERATION, maxNewTokens: 20, temperature: 0.7, topP: 0.9, seed: 2 }],
  ['x', { ...DEFAULT_GENERATION, maxNewTokens: 40, temperature: 0, seed: 3 }],
  // Longer than the context: its end is kept, and generation slides past the context.
  ['a long prompt that is longer than the context of the model', { ...DEFAULT_GENERATION, maxNewTokens: 25, topK: 5, seed: 4 }],
  ['Grüße', { ...DEFAULT_GENERATION, maxNewTokens: 35, repetitionPenalty: 1.3, seed: 5 }],
  ['stop me', { ...DEFAULT_GENERATION, maxNewTokens: 30, seed: 6 }],
  ['Hello', { ...DEFAULT_GENERATION, maxNewTokens: 30, seed: 7 }],
  ['twelve chars', { ...DEFAULT_GENERATION, maxNewTokens: 15, temperature: 1.5, topK: 20, topP: 0.8, seed: 8 }],
];

/** Each request alone, on a batcher of its own. */
async function alone(): Promise<GenerationResult[]> {
  if (requests[5][1].stop.length === 0) {
    // A stop sequence from what this stream generates without one: it ends there, early.
    const free = await start(new ContinuousBatcher(model, options), requests[5][0], requests[5][1]).result;
    requests[5][1] = { ...requests[5][1], stop: ['never', free.text.slice(8, 10)] };
  }
  const results: GenerationResult[] = [];
  for (const [prompt, parameters] of requests) {
    results.push(await start(new ContinuousBatcher(model, options), prompt, parameters).result);
  }
  return results;
}

describe('continuous batching', () => {
  it('gives eight streams with different parameters and seeds exactly the tokens each gives alone', async () => {
    const expected = await alone();
    assert.ok(expected.some((result) => result.finishReason === 'stop_sequence'), 'a stop sequence should end one of them');
    const batcher = new ContinuousBatcher(model, options);
    const runs = requests.map(([prompt, parameters]) => start(batcher, prompt, parameters));
    const results = await Promise.all(runs.map((run) => run.result));
    assert.equal(batcher.peakStreamsPerPass, 8, 'the eight streams should have shared passes');
    results.forEach((result, i) => assert.deepEqual(result, expected[i], `stream ${i}`));
    assert.equal(batcher.active, 0);
  });

  it('shares passes of eight streams with a second thread, each stream still getting the tokens it gets alone on one', async () => {
    const expected = await alone();
    const batcher = new ContinuousBatcher(model, { ...options, threads: 2 });
    try {
      const runs = requests.map(([prompt, parameters]) => start(batcher, prompt, parameters));
      const results = await Promise.all(runs.map((run) => run.result));
      assert.ok(batcher.sharedPasses > 0, 'passes of eight streams should have been shared');
      results.forEach((result, i) => assert.deepEqual(result, expected[i], `stream ${i}`));
    } finally {
      batcher.close();
    }
  });

  it('lets streams join a running batch at the next step, with the same tokens', async () => {
    const expected = await alone();
    const batcher = new ContinuousBatcher(model, options);
    const first = requests.slice(0, 4).map(([prompt, parameters]) => start(batcher, prompt, parameters));
    await until('the first streams to generate 3 tokens each', () => (first.every((run) => run.tokens.length >= 3) ? true : undefined), { intervalMs: 0 });
    const later = requests.slice(4).map(([prompt, parameters]) => start(batcher, prompt, parameters));
    const results = await Promise.all([...first, ...later].map((run) => run.result));
    results.forEach((result, i) => assert.deepEqual(result, expected[i], `stream ${i}`));
    assert.ok(batcher.peakStreamsPerPass > 4, 'the later streams should have joined the running ones');
  });

  it('frees the slot of a cancelled stream at once, and generates no more for it', async () => {
    const batcher = new ContinuousBatcher(model, { ...options, slots: 2 });
    const long = { ...DEFAULT_GENERATION, maxNewTokens: 1000, seed: 1 };
    const cancelled = start(batcher, 'Hello', long);
    const other = start(batcher, 'Hello', { ...long, seed: 2 });
    assert.throws(() => batcher.start('Hello', long, { token: () => undefined, fail: () => undefined }), /all 2 generation slots are taken/);
    await until('the stream to cancel to generate 2 tokens', () => (cancelled.tokens.length >= 2 ? true : undefined), { intervalMs: 0 });
    cancelled.cancel();
    const tokensAtCancel = cancelled.tokens.length;
    assert.equal(batcher.active, 1);
    const next = start(batcher, 'Hello', { ...DEFAULT_GENERATION, maxNewTokens: 5, seed: 3 });
    assert.equal((await next.result).tokens.length, 5);
    assert.equal(cancelled.tokens.length, tokensAtCancel, 'a cancelled stream got more tokens');
    other.cancel();
    assert.equal(batcher.active, 0);
  });

  it('ends only the stream whose stop sequence appears', async () => {
    const greedy = { ...DEFAULT_GENERATION, maxNewTokens: 30, temperature: 0, seed: 1 };
    const free = await start(new ContinuousBatcher(model, options), 'Hello', greedy).result;
    const stop = free.text.slice(4, 6);
    const batcher = new ContinuousBatcher(model, options);
    const [stopped, unstopped] = await Promise.all([
      start(batcher, 'Hello', { ...greedy, stop: [stop] }).result,
      start(batcher, 'Hello', greedy).result,
    ]);
    assert.equal(stopped.finishReason, 'stop_sequence');
    assert.ok(stopped.tokens.length < free.tokens.length);
    assert.deepEqual(unstopped, free);
  });

  it('frees the slot of a client that goes away (HTTP)', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'gpt-batching-'));
    await saveModel(directory, model);
    const server = createModelServer({ modelDirectory: directory, maxConcurrentRequests: 1 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const invoke = (body: unknown, signal?: AbortSignal) => fetch(`${url}/invocations`, { method: 'POST', body: JSON.stringify(body), signal });
    try {
      await until('the model server to load its model (/ping 200)', async () => ((await fetch(`${url}/ping`)).status === 200 ? true : undefined), { intervalMs: 10 });
      const abort = new AbortController();
      const long = await invoke({ inputs: 'hello', parameters: { max_new_tokens: 100_000 }, stream: true }, abort.signal);
      await long.body!.getReader().read(); // the stream has started
      assert.equal((await invoke({ inputs: 'hello' })).status, 429);
      abort.abort();
      const status = await until('the slot of the aborted stream to be freed', async () => {
        const response = await invoke({ inputs: 'hello', parameters: { max_new_tokens: 3 } });
        await response.arrayBuffer();
        return response.status === 429 ? undefined : response.status;
      }, { intervalMs: 10 });
      assert.equal(status, 200);
    } finally {
      server.close();
    }
  });
});
