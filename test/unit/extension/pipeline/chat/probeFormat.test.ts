// The format probe against a model server that never answers (one that streams until stopped, one
// stuck): each step gives up after its bound and the probe goes on to the next format, ending with
// no format and every step said — it does not hang the chat. The user's Stop ends it at once.
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { probeFormat } from '../../../../../src/pipeline/chat/formats';

describe('probeFormat against a server that never answers', () => {
  let server: Server;
  let runtime: SageMakerRuntimeClient;
  const requests: string[] = [];

  before(async () => {
    // Takes each request and never answers it.
    server = createServer((request) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => requests.push(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    runtime = new SageMakerRuntimeClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  after(() => {
    runtime.destroy();
    server.closeAllConnections();
    server.close();
  });

  it('gives up on each format after its bound and ends with none found', { timeout: 10_000 }, async () => {
    requests.length = 0;
    const result = await probeFormat(runtime, 'stuck', undefined, 150);
    assert.equal(result.format, undefined);
    assert.deepEqual(
      result.steps.map((step) => [step.format, step.outcome, step.detail]),
      [
        ['messages', 'refused', 'no answer within 0.15 s'],
        ['tgi', 'refused', 'no answer within 0.15 s'],
        ['jumpstart', 'refused', 'no answer within 0.15 s'],
      ],
    );
    // At most one request per format (the SDK does not retry a step that timed out). Fewer may reach
    // the server: on a loaded machine a step can end before its request has arrived.
    assert.ok(requests.length <= 3, `one request per format at most, ${requests.length} arrived`);
  });

  it("ends at once when the user stops it, as the user's stop, not as a refusal", { timeout: 10_000 }, async () => {
    const stop = new AbortController();
    const probing = probeFormat(runtime, 'stuck', stop.signal, 60_000);
    stop.abort();
    await assert.rejects(probing, (error: Error) => error.name === 'AbortError');
  });
});
