// streamAnswer through the real SageMaker Runtime client against a local HTTP server that answers
// InvokeEndpointWithResponseStream in AWS's event-stream encoding (the SDK's own codec): text handed
// on part by part, events split across parts, the variant and finish reason, `[DONE]` ending it; an
// error event inside the stream (in one part with text before it, or alone between parts) and a
// ModelStreamError exception between events each end it with the error, not a silent answer.
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import * as assert from 'node:assert/strict';
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ModelOutputError, streamAnswer } from '../../../../../src/pipeline/chat/stream';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);
const payloadPart = (text: string) =>
  codec.encode({
    headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: 'PayloadPart' }, ':content-type': { type: 'string', value: 'application/octet-stream' } },
    // PayloadPart's Bytes is the event's payload: the model server's bytes as they are.
    body: Buffer.from(text),
  });
const streamError = (message: string) =>
  codec.encode({
    headers: { ':message-type': { type: 'string', value: 'exception' }, ':exception-type': { type: 'string', value: 'ModelStreamError' }, ':content-type': { type: 'string', value: 'application/json' } },
    body: Buffer.from(JSON.stringify({ Message: message, ErrorCode: '424' })),
  });
const tgi = (text: string, finish?: string) => `data:${JSON.stringify({ token: { text }, ...(finish && { details: { finish_reason: finish } }) })}\n\n`;

/** What the server streams for each endpoint name: the event-stream messages, in order. */
const STREAMS: Record<string, Uint8Array[]> = {
  // One event split across two parts, then two events in one part, then [DONE] (and text after it, never shown).
  'tgi-split': [payloadPart(tgi('Hello').slice(0, 9)), payloadPart(tgi('Hello').slice(9)), payloadPart(tgi(',') + tgi(' world', 'length')), payloadPart('data: [DONE]\n\n'), payloadPart(tgi('ignored'))],
  // A last event without its blank line: read when the stream ends.
  'no-final-newline': [payloadPart(tgi('one ')), payloadPart('data:{"token":{"text":"two"}}')],
  // Text, then an error event in the same part.
  'error-inside': [payloadPart(tgi('partial') + 'data:{"error":"CUDA out of memory","error_type":"generation"}\n\n' + tgi('never'))],
  // An error event in a part of its own, between text parts.
  'error-between': [payloadPart(tgi('before')), payloadPart('data:{"error":{"message":"context length exceeded"}}\n\n'), payloadPart(tgi('after'))],
  // The runtime's ModelStreamError exception between events.
  'exception-between': [payloadPart(tgi('first')), streamError('the model server closed the stream')],
  // An answer ended by [DONE] on a response that stays open.
  'done-then-open': [payloadPart(tgi('done') + 'data: [DONE]\n\n')],
};

const clientConfig = (port: number) => ({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

describe('streamAnswer', () => {
  let server: Server;
  let runtime: SageMakerRuntimeClient;

  before(async () => {
    server = createServer((request, response) => {
      const name = decodeURIComponent(/^\/endpoints\/([^/]+)\//.exec(request.url ?? '')?.[1] ?? '');
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-invoked-production-variant': 'AllTraffic' });
        for (const message of STREAMS[name] ?? []) response.write(message);
        // A server that goes on after `[DONE]` (keep-alive pings, a slow close): the response ends
        // only when the client lets go of it.
        if (name === 'done-then-open') response.socket?.once('close', () => response.end());
        else response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    runtime = new SageMakerRuntimeClient(clientConfig(port));
  });
  after(async () => {
    runtime.destroy();
    server.closeAllConnections(); // a response left open (a broken answer that kept its connection) must not keep the run waiting
    await new Promise((resolve) => server.close(resolve));
  });

  const ask = (endpoint: string, pieces: string[] = [], signal = new AbortController().signal) =>
    streamAnswer(runtime, endpoint, { inputs: 'hi' }, { signal, onText: (text) => pieces.push(text) });

  it('hands on the text as its parts complete events, ends at [DONE], and reports tokens, variant and finish reason', async () => {
    const pieces: string[] = [];
    const answer = await ask('tgi-split', pieces);
    assert.equal(answer.text, 'Hello, world');
    assert.deepEqual(pieces, ['Hello', ', world'], 'one update per part that completed events; nothing for half an event');
    assert.equal(answer.stopped, false);
    assert.equal(answer.metrics.tokens, 3);
    assert.equal(answer.metrics.finishReason, 'length');
    assert.equal(answer.metrics.variant, 'AllTraffic');
    assert.ok(answer.metrics.firstTokenMs !== undefined && answer.metrics.firstTokenMs >= 0);
    assert.ok(answer.metrics.totalMs >= answer.metrics.firstTokenMs);
  });

  it('reads a last event that has no closing blank line', async () => {
    const answer = await ask('no-final-newline');
    assert.equal(answer.text, 'one two');
    assert.equal(answer.metrics.tokens, 2);
  });

  it('fails with the error of an error event inside a part, after handing on the text before it', async () => {
    const pieces: string[] = [];
    // Its name is what the one failure classifier (chat/failures.ts) tells it by.
    await assert.rejects(ask('error-inside', pieces), (error: unknown) => error instanceof ModelOutputError && error.name === 'ModelOutputError' && error.message === 'CUDA out of memory');
    assert.deepEqual(pieces, ['partial'], 'the text before the error was shown, nothing after it');
  });

  it('fails with the error of an error event that comes between parts', async () => {
    const pieces: string[] = [];
    await assert.rejects(ask('error-between', pieces), (error: unknown) => error instanceof ModelOutputError && error.message === 'context length exceeded');
    assert.deepEqual(pieces, ['before']);
  });

  it("fails with the runtime's ModelStreamError that comes between events", async () => {
    const pieces: string[] = [];
    await assert.rejects(ask('exception-between', pieces), (error: unknown) => error instanceof Error && error.name === 'ModelStreamError' && /closed the stream/.test(error.message));
    assert.deepEqual(pieces, ['first']);
  });

  it('gives its connection back once an answer ends at [DONE], so answers never wait for one', async () => {
    // One socket: an answer that kept its connection past [DONE] would leave the next one waiting for
    // it forever (the client's 50 sockets ran out at the 51st answer in the chat and the CLI).
    const oneSocket = new SageMakerRuntimeClient({ ...clientConfig((server.address() as AddressInfo).port), requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 1 }) } });
    try {
      for (let answer = 1; answer <= 3; answer++) {
        let timer: NodeJS.Timeout | undefined;
        const waited = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`answer ${answer} still waiting for a connection after 10 s`)), 10_000);
        });
        try {
          const { text } = await Promise.race([streamAnswer(oneSocket, 'done-then-open', { inputs: 'hi' }, { signal: new AbortController().signal, onText: () => undefined }), waited]);
          assert.equal(text, 'done');
        } finally {
          clearTimeout(timer);
        }
      }
    } finally {
      oneSocket.destroy();
    }
  });

  it('returns what had arrived, marked stopped, when the user stops it', async () => {
    const controller = new AbortController();
    const pieces: string[] = [];
    const answer = await streamAnswer(runtime, 'tgi-split', { inputs: 'hi' }, {
      signal: controller.signal,
      onText: (text) => {
        pieces.push(text);
        controller.abort();
      },
    });
    assert.equal(answer.stopped, true);
    assert.equal(answer.text, 'Hello');
    assert.deepEqual(pieces, ['Hello']);
  });
});
