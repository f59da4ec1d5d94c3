// The runtime's file upload (checkpoints, model.tar.gz, outputs) where it once failed jobs or the
// emulator: a file a training script removed between the checkpoint sync's listing and its upload
// (rotation keeps the newest N) raised an unhandled stream error that killed the emulator; a
// connection dropped under a file stream (a keep-alive socket closed by the server as the request
// went out) failed the job with "InternalServerError: write EPIPE".
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { uploadFile } from '../../../../emulator/runtime/hosts/s3Transfer';
import { patterned, rejection, startTestEmulator, type TestEmulator } from '../../helpers';
import { clientConfig, makeTempDir } from '../../../../harness/emulatorClients';

const BUCKET = 'checkpoint-sync';

describe("the runtime's file uploads", () => {
  let emulator: TestEmulator;
  let local: { path: string; remove(): void };

  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    local = makeTempDir('checkpoint-sync');
  });
  after(async () => {
    local.remove();
    await emulator.close();
  });

  it('uploadFile of a file that is gone rejects with ENOENT and writes no object', async () => {
    const error = (await rejection(uploadFile(emulator.s3, join(local.path, 'rotated-away.safetensors'), { bucket: BUCKET, key: 'gone' }))) as Error & {
      code?: string;
    };
    assert.equal(error.code, 'ENOENT');
    const missing = await rejection(emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'gone' })));
    assert.equal(missing.$metadata.httpStatusCode, 404);
  });

  it('sends a file again, from its start, when the connection drops under the first PUT', async () => {
    const body = patterned(3 * 1024 * 1024, 7);
    const file = join(local.path, 'model.tar.gz');
    writeFileSync(file, body);
    const proxy = await droppingProxy(emulator.url, 1);
    const s3 = new S3Client({ ...clientConfig(proxy.url, { maxAttempts: 3 }), forcePathStyle: true });
    try {
      await uploadFile(s3, file, { bucket: BUCKET, key: 'job/output/model.tar.gz' });
      assert.equal(proxy.dropped(), 1, 'the proxy dropped the first PUT');
    } finally {
      s3.destroy();
      await proxy.close();
    }
    const { Body } = await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'job/output/model.tar.gz' }));
    assert.ok(Buffer.from(await Body!.transformToByteArray()).equals(body), 'the object holds the whole file');
  });
});

/** A proxy to `target` that drops the connection of the first `drops` PUTs after some of the body arrived. */
async function droppingProxy(target: string, drops: number): Promise<{ url: string; dropped(): number; close(): Promise<void> }> {
  let dropped = 0;
  const server: Server = createServer((incoming, outgoing) => {
    if (incoming.method === 'PUT' && dropped < drops) {
      incoming.once('data', () => {
        dropped++;
        incoming.socket.destroy();
      });
      return;
    }
    const forwarded = request(new URL(incoming.url ?? '/', target), { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
