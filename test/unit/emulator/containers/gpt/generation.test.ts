// Unit tests of KV cache.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_GENERATION, TextGenerator, type GenerationParameters } from '../../../../../emulator/containers/gpt/generation';
import { GptModel } from '../../../../../emulator/containers/gpt/model/model';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../../../../../emulator/containers/gpt/model/parameters';
import { Random } from '../../../../../emulator/containers/gpt/model/random';
import { sampleToken, type SamplingOptions } from '../../../../../emulator/containers/gpt/sampling';
import { completeResponse, createStreamEncoder, parseRequest } from '../../../../../emulator/containers/gpt/payloads';
import { BytePairTokenizer, END_OF_TEXT } from '../../../../../emulator/containers/gpt/tokenizer';

const config: ModelConfig = { vocabSize: 256, layers: 2, heads: 2, width: 16, context: 24 };
const layout = new ParameterLayout(config);
// Untrained weights scaled up, so that the distributions are far from uniform but still random.
const parameters = new Float32Array(layout.size);
initializeParameters(layout, parameters, Random.fromSeed(5));
parameters.forEach((value, i) => (parameters[i] = value * 20));
const tokenizer = BytePairTokenizer.train([], 256, { endOfText: false }); // bytes only: multi-byte characters span tokens
const generator = new TextGenerator({ config, tokenizer, parameters });

function sampling(overrides: Partial<GenerationParameters> = {}): GenerationParameters {
  return { ...DEFAULT_GENERATION, maxNewTokens: 40, seed: 1, ...overrides };
}

describe('KV cache', () => {
  it('gives the logits of a full forward pass, position by position', () => {
    const weights = new Float64Array(layout.size);
    initializeParameters(layout, weights, Random.fromSeed(6));
    const views = layout.views(weights);
    const tokens = [72, 101, 108, 108, 111, 32, 119, 111, 114, 108, 100];
    const cached = new GptModel(layout, 1, Float64Array);
    const full = new GptModel(layout, 1, Float64Array);
    let logits = cached.forwardFrom(views, tokens.slice(0, 4), 0);
    for (let position = 4; position <= tokens.length; position++) {
      const expected = full.forwardFrom(views, tokens.slice(0, position), 0);
      logits.forEach((value, i) => assert.ok(Math.abs(value - expected[i]) < 1e-12, `position ${position} logit ${i}`));
      if (position < tokens.length) {
        logits = cached.forwardFrom(views, [tokens[position]], position);
      }
    }
  });
});

describe('sampling', () => {
  const logits = Float32Array.of(2, 1, 0.5, 0, -1);
  const options: SamplingOptions = { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 };

  function frequencies(sampleOptions: SamplingOptions, previous = new Set<number>()): number[] {
    const random = Random.fromSeed(3);
    const counts = new Array<number>(logits.length).fill(0);
    for (let i = 0; i < 20_000; i++) {
      counts[sampleToken(logits, previous, sampleOptions, random).token]++;
    }
    return counts.map((count) => count / 20_000);
  }

  it('draws from the softmax at temperature 1', () => {
    const total = logits.reduce((sum, value) => sum + Math.exp(value), 0);
    frequencies(options).forEach((frequency, token) => assert.ok(Math.abs(frequency - Math.exp(logits[token]) / total) < 0.015, `token ${token}: ${frequency}`));
  });

  it('is greedy at temperature 0 and with top_k 1', () => {
    assert.deepEqual(frequencies({ ...options, temperature: 0 }), [1, 0, 0, 0, 0]);
    assert.deepEqual(frequencies({ ...options, topK: 1 }), [1, 0, 0, 0, 0]);
  });

  it('keeps only the top-k tokens, or the nucleus reaching top_p', () => {
    assert.deepEqual(frequencies({ ...options, topK: 2 }).slice(2), [0, 0, 0]);
    // p(0) ≈ 0.52, p(1) ≈ 0.19: top_p 0.6 keeps exactly those two.
    const nucleus = frequencies({ ...options, topP: 0.6 });
    assert.deepEqual(nucleus.slice(2), [0, 0, 0]);
    assert.ok(Math.abs(nucleus[0] - 0.52 / 0.71) < 0.02, `${nucleus[0]}`);
  });

  it('penalises tokens already seen', () => {
    // Logit 2 becomes 2 / 4 = 0.5: probability e^0.5 / (e^0.5 + e + e^0.5 + 1 + e^-1) ≈ 0.22 instead of 0.52.
    const penalised = frequencies({ ...options, repetitionPenalty: 4 }, new Set([0, 4]));
    const scores = [0.5, 1, 0.5, 0, -4];
    const total = scores.reduce((sum, score) => sum + Math.exp(score), 0);
    penalised.forEach((frequency, token) => assert.ok(Math.abs(frequency - Math.exp(scores[token]) / total) < 0.015, `token ${token}: ${frequency}`));
  });

  it('reports the log-probability of the drawn token', () => {
    const { token, logprob } = sampleToken(logits, new Set(), { ...options, topK: 2 }, Random.fromSeed(1));
    const expected = token === 0 ? Math.log(Math.E / (Math.E + 1)) : Math.log(1 / (Math.E + 1));
    assert.ok(Math.abs(logprob - expected) < 1e-6);
  });
});

describe('text generation', () => {
  it('is reproducible with a seed and differs with another', () => {
    const first = generator.generate('Hello', sampling());
    const again = generator.generate('Hello', sampling());
    const other = generator.generate('Hello', sampling({ seed: 2 }));
    assert.deepEqual(again, first);
    assert.notDeepEqual(other.tokens.map(({ id }) => id), first.tokens.map(({ id }) => id));
    assert.equal(first.tokens.length, 40);
    assert.equal(first.finishReason, 'length');
    assert.equal(first.promptTokens, 5);
  });

  it('streams pieces that assemble the text, characters split across tokens included', () => {
    const pieces: string[] = [];
    const stream = generator.stream('Grüße', sampling({ maxNewTokens: 60 }));
    let next = stream.next();
    while (!next.done) {
      pieces.push(next.value.text);
      // One piece per new token at most: a stream that never ends fails here instead of hanging.
      assert.ok(pieces.length <= 60, 'the stream ends after maxNewTokens');
      next = stream.next();
    }
    const result = next.value;
    const bytes = Buffer.from(result.tokens.map(({ id }) => id));
    assert.equal(result.text, bytes.toString('utf8'));
    assert.equal(pieces.join(''), result.text);
    assert.ok(pieces.some((piece) => piece === ''), 'some token was half a character');
    assert.deepEqual(result.tokens.map(({ finishReason }) => finishReason), [...new Array(59).fill(undefined), 'length']);
  });

  it('goes on past the context length with a sliding window', () => {
    const result = generator.generate('a'.repeat(30), sampling({ maxNewTokens: 50 }));
    assert.equal(result.tokens.length, 50);
  });

  it('ends at a stop sequence', () => {
    const free = generator.generate('Hello', sampling({ temperature: 0 }));
    const stop = free.text.slice(5, 7);
    const stopped = generator.generate('Hello', sampling({ temperature: 0, stop: ['never', stop] }));
    assert.equal(stopped.finishReason, 'stop_sequence');
    assert.equal(stopped.stopSequence, stop);
    assert.equal(stopped.tokens.at(-1)?.finishReason, 'stop_sequence');
    assert.ok(stopped.text.endsWith(stop), `${JSON.stringify(stopped.text)} should end with ${JSON.stringify(stop)}`);
    assert.ok(stopped.tokens.length < free.tokens.length);
    assert.ok(free.text.startsWith(stopped.text));
  });

  it('refuses an empty prompt and parameters out of range', () => {
    assert.throws(() => generator.generate('', sampling()), /prompt is empty/);
    assert.throws(() => generator.generate('x', sampling({ topP: 0, temperature: -1 })), /temperature must be non-negative, got -1; top_p must be in/);
  });
});

describe('end of text', () => {
  // Bytes and <|endoftext|> (id 256). The final norm feeds a constant into one dimension that only
  // <|endoftext|>'s embedding reads, so that it is drawn now and then: p ≈ 0.1 at each step.
  const withEnd = BytePairTokenizer.train([], 257);
  const endOfText = withEnd.endOfText!;
  const endConfig: ModelConfig = { ...config, vocabSize: withEnd.vocabSize };
  const endLayout = new ParameterLayout(endConfig);
  const endParameters = new Float32Array(endLayout.size);
  initializeParameters(endLayout, endParameters, Random.fromSeed(5));
  const views = endLayout.views(endParameters);
  const { width } = endConfig;
  for (let token = 0; token < withEnd.vocabSize; token++) {
    views.tokenEmbedding[token * width] = token === endOfText ? 0.8 : 0;
  }
  views.finalNorm.weight[0] = 0;
  views.finalNorm.bias[0] = 4;
  const endGenerator = new TextGenerator({ config: endConfig, tokenizer: withEnd, parameters: endParameters });

  it('stops at the first <|endoftext|> drawn, which is special and not part of the text', () => {
    const result = endGenerator.generate('Hello', sampling({ maxNewTokens: 60 }));
    assert.equal(result.finishReason, 'eos_token');
    assert.ok(result.tokens.length > 1 && result.tokens.length < 60, `${result.tokens.length} tokens`);
    const last = result.tokens.at(-1)!;
    assert.deepEqual({ ...last, logprob: 0 }, { id: endOfText, text: END_OF_TEXT, special: true, logprob: 0, finishReason: 'eos_token' });
    assert.ok(result.tokens.slice(0, -1).every(({ id, special, finishReason }) => id !== endOfText && !special && !finishReason));
    assert.equal(result.text, withEnd.decodeText(result.tokens.map(({ id }) => id)));
    assert.equal(endGenerator.generate('Hello', sampling({ temperature: 0 })).tokens.length, 1, 'greedy: it is the likeliest token');
  });

  it('is never drawn by a model whose tokenizer predates it', () => {
    const old = new TextGenerator({ config: endConfig, tokenizer: BytePairTokenizer.fromJSON({ ...withEnd.toJSON(), version: 1, added_tokens: undefined }), parameters: endParameters });
    for (const seed of [1, 2, 3]) {
      const result = old.generate('Hello', sampling({ maxNewTokens: 60, seed }));
      assert.equal(result.finishReason, 'length');
      assert.ok(result.tokens.every(({ id }) => id !== endOfText));
    }
  });

  it('is reported as TGI\'s eos_token and the Messages API\'s stop, whole and streamed', () => {
    const tgi = parseRequest(JSON.stringify({ inputs: 'Hello', parameters: { max_new_tokens: 60, seed: 1, do_sample: true, details: true } }));
    const result = endGenerator.generate(tgi.prompt, tgi.parameters);
    assert.equal(result.finishReason, 'eos_token');
    assert.deepEqual(completeResponse(tgi, result, 'id', 0), [{ generated_text: result.text, details: { finish_reason: 'eos_token', generated_tokens: result.tokens.length, seed: 1 } }]);
    const tgiEncoder = createStreamEncoder({ ...tgi, stream: true }, 'id', 0);
    const tgiEvents = result.tokens.map((token, i) => (i + 1 < result.tokens.length ? tgiEncoder.token(token) : tgiEncoder.last(token, result)));
    const lastEvent = JSON.parse(tgiEvents.at(-1)!.replace(/^data:/, '')) as { token: { text: string; special: boolean }; generated_text: string; details: { finish_reason: string } };
    assert.deepEqual([lastEvent.token.text, lastEvent.token.special, lastEvent.generated_text, lastEvent.details.finish_reason], [END_OF_TEXT, true, result.text, 'eos_token']);

    const messages = parseRequest(JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }], max_tokens: 60, seed: 1 }));
    const chat = endGenerator.generate(messages.prompt, messages.parameters);
    assert.equal(chat.finishReason, 'eos_token');
    const whole = completeResponse(messages, chat, 'id', 0) as { choices: Array<{ message: { content: string }; finish_reason: string }> };
    assert.deepEqual([whole.choices[0].message.content, whole.choices[0].finish_reason], [chat.text, 'stop']);
    const chatEncoder = createStreamEncoder({ ...messages, stream: true }, 'id', 0);
    const chunks = chat.tokens.map((token, i) => (i + 1 < chat.tokens.length ? chatEncoder.token(token) : chatEncoder.last(token, chat)))
      .join('').split('\n\n').filter((event) => event.startsWith('data: {')).map((event) => JSON.parse(event.slice(6)) as { choices: Array<{ delta: { content?: string }; finish_reason: string | null }> });
    assert.equal(chunks.map((chunk) => chunk.choices[0].delta.content ?? '').join(''), chat.text);
    assert.equal(chunks.at(-1)!.choices[0].finish_reason, 'stop');
  });
});
