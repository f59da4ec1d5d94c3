// What the chat sends to an endpoint and how it reads streamed answers: request bodies, server-sent
// events cut anywhere across PayloadParts, the TGI and Messages API events (as the built-in GPT's own
// encoder writes them), error bodies, and the inline failure messages with their next step.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GeneratedToken, GenerationResult } from '../../../../../emulator/containers/gpt/generation';
import { createStreamEncoder, type ParsedRequest } from '../../../../../emulator/containers/gpt/payloads';
import type { ConnectionSettings } from '../../../../../src/connection/settings';
import { describeChatFailure } from '../../../../../src/pipeline/chat/failures';
import {
  modelErrorMessage,
  parseStreamEvent,
  requestBody,
  ServerSentEvents,
  type StreamEvent,
} from '../../../../../src/pipeline/chat/payloads';
import { isPanelMessage, normalizeParameters, type ChatParameters } from '../../../../../webview/chat/protocol';

const PARAMETERS: ChatParameters = { format: 'messages', maxNewTokens: 32, temperature: 0.7, topP: 0.9 };

/** Every event of `stream` cut into parts at `cuts` (byte offsets), as PayloadParts arrive. */
function decode(stream: Uint8Array, cuts: number[]): string[] {
  const events = new ServerSentEvents();
  const out: string[] = [];
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    out.push(...events.push(stream.subarray(from, cut)));
    from = cut;
  }
  return [...out, ...events.end()];
}

/** The answer a stream adds up to, as the chat assembles it. */
function answer(events: string[]): { text: string; tokens: number; finishReason?: string; done: boolean } {
  const parsed: StreamEvent[] = events.map(parseStreamEvent);
  return {
    text: parsed.map((event) => event.text).join(''),
    tokens: parsed.reduce((sum, event) => sum + event.tokens, 0),
    finishReason: parsed.reduce<string | undefined>((reason, event) => event.finishReason ?? reason, undefined),
    done: parsed.some((event) => event.done),
  };
}

/** A stream as the built-in GPT's model server writes it, for these tokens. */
function gptStream(format: 'tgi' | 'messages', texts: string[], finishReason: GenerationResult['finishReason'] = 'length'): Uint8Array {
  const request: ParsedRequest = {
    format,
    prompt: 'the cat',
    parameters: { maxNewTokens: texts.length, temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1, stop: [] },
    stream: true,
    returnFullText: false,
    details: true,
    model: 'gpt',
  };
  const tokens: GeneratedToken[] = texts.map((text, index) => ({ id: index, text, logprob: -1 }));
  tokens[tokens.length - 1].finishReason = finishReason;
  const result: GenerationResult = { text: texts.join(''), tokens, promptTokens: 2, finishReason, seed: 1 };
  const encoder = createStreamEncoder(request, 'chatcmpl-1', 0);
  const body = tokens.map((token, index) => (index === tokens.length - 1 ? encoder.last(token, result) : encoder.token(token))).join('');
  return new TextEncoder().encode(body);
}

describe('ServerSentEvents', () => {
  const TOKENS = [' The', ' café', ' 🐱', ' sat', '\n', ' on', ' "the" mat.'];

  it('reads the same events however the stream is cut into parts, in lines and in UTF-8 characters', () => {
    for (const format of ['tgi', 'messages'] as const) {
      const stream = gptStream(format, TOKENS);
      const whole = decode(stream, []);
      for (let cut = 1; cut < stream.length; cut++) {
        assert.deepEqual(decode(stream, [cut]), whole, `${format} cut at byte ${cut}`);
      }
      // One byte per part: every line and every character split.
      assert.deepEqual(decode(stream, Array.from({ length: stream.length - 1 }, (_, index) => index + 1)), whole);
    }
  });

  it('reads CRLF line ends, multi-line data, comments and a last event without its blank line', () => {
    const stream = new TextEncoder().encode(': keep-alive\r\nevent: message\r\ndata: first\r\ndata: second\r\n\r\ndata:{"token":{"text":"x"}}');
    assert.deepEqual(decode(stream, [5, 30]), ['first\nsecond', '{"token":{"text":"x"}}']);
  });

  it('reads JSON lines without `data:`, as LMI containers stream', () => {
    const stream = new TextEncoder().encode('{"token":{"text":"a"}}\n{"token":{"text":"b"}}\n');
    assert.deepEqual(decode(stream, [3]), ['{"token":{"text":"a"}}', '{"token":{"text":"b"}}']);
  });
});

describe('parseStreamEvent', () => {
  it('assembles a TGI stream: one token per event, the finish reason from the last one', () => {
    const result = answer(decode(gptStream('tgi', [' The', ' cat', ' sat']), [7, 19]));
    assert.deepEqual(result, { text: ' The cat sat', tokens: 3, finishReason: 'length', done: false });
  });

  it('does not show TGI special tokens such as <|endoftext|>', () => {
    assert.deepEqual(parseStreamEvent('{"token":{"id":0,"text":"<|endoftext|>","special":true},"generated_text":"hi","details":{"finish_reason":"eos_token"}}'), {
      text: '',
      tokens: 1,
      finishReason: 'eos_token',
    });
  });

  it('assembles a Messages API stream of chat.completion.chunk events ending with [DONE]', () => {
    const events = decode(gptStream('messages', [' The', ' cat', ' sat'], 'eos_token'), [11]);
    assert.equal(events[events.length - 1], '[DONE]');
    assert.deepEqual(answer(events), { text: ' The cat sat', tokens: 3, finishReason: 'stop', done: true });
  });

  it('turns error bodies in the stream into errors: TGI, OpenAI and Messages API shapes', () => {
    assert.equal(parseStreamEvent('{"error":"CUDA out of memory","error_type":"generation"}').error, 'CUDA out of memory');
    assert.equal(parseStreamEvent('{"error":{"message":"context too long","type":"invalid_request_error"}}').error, 'context too long');
    assert.equal(parseStreamEvent('{"object":"error","message":"bad request","code":400}').error, 'bad request');
  });

  it('reads plain text events, and whole answers from servers that do not stream', () => {
    assert.deepEqual(parseStreamEvent('alpha part 0'), { text: 'alpha part 0', tokens: 1 });
    assert.equal(parseStreamEvent('[{"generated_text":"whole answer"}]').text, 'whole answer');
    assert.equal(parseStreamEvent('{"choices":[{"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}]}').text, 'hello');
    assert.deepEqual(parseStreamEvent('{"unknown":true}'), { text: '', tokens: 0 });
  });
});

describe('requestBody', () => {
  it('sends the Messages API the conversation so far and the prompt, streamed', () => {
    const history = [
      { role: 'user' as const, content: 'hi' },
      { role: 'assistant' as const, content: 'hello' },
    ];
    assert.deepEqual(requestBody('messages', history, 'and then?', { ...PARAMETERS, seed: 7 }), {
      messages: [...history, { role: 'user', content: 'and then?' }],
      max_tokens: 32,
      temperature: 0.7,
      top_p: 0.9,
      seed: 7,
      stream: true,
    });
  });

  it('sends TGI the prompt alone with its parameters, greedy without sampling parameters at temperature 0', () => {
    assert.deepEqual(requestBody('tgi', [], 'The cat', { ...PARAMETERS, format: 'tgi' }), {
      inputs: 'The cat',
      parameters: { max_new_tokens: 32, do_sample: true, temperature: 0.7, top_p: 0.9, details: true },
      stream: true,
    });
    // TGI refuses temperature 0 and top_p 1.
    assert.deepEqual(requestBody('tgi', [], 'The cat', { ...PARAMETERS, temperature: 0, seed: 3 }), {
      inputs: 'The cat',
      parameters: { max_new_tokens: 32, seed: 3, details: true },
      stream: true,
    });
    assert.equal('top_p' in (requestBody('tgi', [], 'x', { ...PARAMETERS, topP: 1 }) as { parameters: object }).parameters, false);
  });

  it('brings parameters within the limits containers accept', () => {
    assert.deepEqual(normalizeParameters({ format: 'tgi', maxNewTokens: 1e9, temperature: -1, topP: 0, seed: 2.6 }), {
      format: 'tgi',
      maxNewTokens: 4096,
      temperature: 0,
      topP: 0.01,
      seed: 3,
    });
    const blank = normalizeParameters({ format: 'messages', maxNewTokens: Number.NaN, temperature: Number.NaN, topP: Number.NaN, seed: Number.NaN });
    assert.deepEqual(blank, { format: 'messages', maxNewTokens: 256, temperature: 0.7, topP: 0.9 });
  });
});

describe('chat failures', () => {
  const emulator: ConnectionSettings = { mode: 'emulator', region: 'us-east-1', endpoint: 'http://127.0.0.1:4590', autoStart: false };
  const aws: ConnectionSettings = { mode: 'aws', region: 'us-east-1', profile: undefined };
  const context = { endpoint: 'chat', format: 'messages' as const, failure: { settings: emulator } };

  it('shows what the model server said for a ModelError, and offers the other payload format for a 4xx', () => {
    const error = Object.assign(new Error('Received client error (422) from primary with message "…"'), {
      name: 'ModelError',
      OriginalStatusCode: 422,
      OriginalMessage: '{"error":"`temperature` must be strictly positive","error_type":"validation"}',
      LogStreamArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/sagemaker/Endpoints/chat',
    });
    const failure = describeChatFailure(error, context);
    assert.equal(failure.title, 'The model server answered 422');
    assert.equal(failure.message, '`temperature` must be strictly positive');
    assert.match(failure.detail!, /Messages API format/);
    assert.match(failure.detail!, /Model log: arn:aws:logs/);
    assert.deepEqual(failure.actions, ['useTgi', 'detectFormat', 'retry']);
    assert.deepEqual(describeChatFailure(error, { ...context, format: 'tgi' }).actions, ['useMessages', 'detectFormat', 'retry']);
    assert.deepEqual(describeChatFailure(error, { ...context, format: 'lmi' }).actions, ['detectFormat', 'retry']);
    assert.deepEqual(describeChatFailure(Object.assign(error, { OriginalStatusCode: 500 }), context).actions, ['retry']);
  });

  it('offers to accept the EULA when a JumpStart model refuses without accept_eula', () => {
    const error = Object.assign(new Error('Received client error (424)'), {
      name: 'ModelError',
      OriginalStatusCode: 424,
      OriginalMessage: '{"error":"Need to pass custom_attributes=\'accept_eula=true\' as part of header.","error_type":"validation"}',
    });
    const failure = describeChatFailure(error, { ...context, format: 'jumpstart' });
    assert.equal(failure.title, 'The model needs its licence (EULA) accepted');
    assert.deepEqual(failure.actions, ['acceptEula']);
  });

  it('sends a missing endpoint to the Endpoints view and a refused connection to Start Local Emulator', () => {
    const missing = Object.assign(new Error('Endpoint chat of account 000000000000 not found.'), { name: 'ValidationError' });
    assert.deepEqual(describeChatFailure(missing, context).actions, ['showEndpoints', 'retry']);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4590'), { code: 'ECONNREFUSED' });
    // Said as the views say it (the one classifier), with no raw socket code.
    assert.deepEqual(describeChatFailure(refused, context), {
      title: 'Cannot reach the local emulator at 127.0.0.1:4590',
      message: 'Nothing answered at http://127.0.0.1:4590 (connection refused: nothing is listening there).',
      actions: ['startEmulator', 'switchConnection', 'retry'],
    });
    // A local emulator of ours that ran is restarted rather than started anew.
    assert.deepEqual(describeChatFailure(refused, { ...context, failure: { settings: emulator, emulatorStep: 'restartEmulator' } }).actions, [
      'restartEmulator',
      'switchConnection',
      'retry',
    ]);
    assert.deepEqual(describeChatFailure(refused, { ...context, failure: { settings: aws } }).actions, ['switchConnection', 'retry']);
  });

  it('says a stream broke off, with its error code', () => {
    const broken = Object.assign(new Error('The stream broke off'), { name: 'ModelStreamError', ErrorCode: 'StreamBroken' });
    assert.deepEqual(describeChatFailure(broken, context), { title: 'The answer broke off', message: 'The stream broke off', detail: 'Error code: StreamBroken', actions: ['retry'] });
  });

  it('keeps the useful part of a model server error body', () => {
    assert.equal(modelErrorMessage('{"error":{"message":"too long"}}'), 'too long');
    assert.equal(modelErrorMessage('{"message":"bad input"}'), 'bad input');
    assert.equal(modelErrorMessage('plain failure'), 'plain failure');
    assert.equal(modelErrorMessage(''), undefined);
    assert.equal(modelErrorMessage('x'.repeat(600))!.length, 501);
  });
});

describe('panel messages', () => {
  it('accepts only the messages of the protocol, with the fields it needs', () => {
    assert.ok(isPanelMessage({ type: 'send', prompt: 'hi' }));
    assert.ok(isPanelMessage({ type: 'action', action: 'useTgi', turnId: 2 }));
    assert.ok(isPanelMessage({ type: 'parameters', parameters: PARAMETERS }));
    assert.equal(isPanelMessage({ type: 'send', prompt: 3 }), false);
    assert.equal(isPanelMessage({ type: 'action', action: 'runCommand', turnId: 2 }), false);
    assert.equal(isPanelMessage({ type: 'parameters', parameters: { ...PARAMETERS, maxNewTokens: '9' } }), false);
    assert.equal(isPanelMessage({ type: 'eval', code: 'x' }), false);
    assert.equal(isPanelMessage(null), false);
  });
});
