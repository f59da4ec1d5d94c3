// `node out/bench/plainS3Server.js DIR SOURCE`: the least an S3-like server must do for the 1 GiB
// figures, in plain node:http, so bench/s3.ts can measure in the same run how much of the machine
// such work leaves — the ceiling any Node emulator meets here.
// - PUT /<anything>: the body is written to a new file under DIR in 1 MiB writes while its MD5 (the
//   part's ETag) is computed on a worker thread, then fsync'ed and renamed into place, as the
//   emulator makes a part durable; answers 200 with the ETag. With `?md5=no`, no MD5: what the
//   writes alone allow.
// - GET /<anything>: streams SOURCE (1 MiB reads) with its Content-Length.
// Prints `listening on http://127.0.0.1:PORT`. No validation, signatures, records or checksums.
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';

const WRITE_BYTES = 1024 * 1024;
const [directory, source] = process.argv.slice(2);

const md5Worker = new Worker(
  `const { parentPort } = require('node:worker_threads');
   const { createHash } = require('node:crypto');
   const hashes = new Map();
   parentPort.on('message', ({ id, data }) => {
     if (!hashes.has(id)) hashes.set(id, createHash('md5'));
     if (data) return void hashes.get(id).update(data);
     parentPort.postMessage({ id, md5: hashes.get(id).digest('hex') });
     hashes.delete(id);
   });`,
  { eval: true },
);
const digests = new Map<number, (md5: string) => void>();
md5Worker.on('message', ({ id, md5 }: { id: number; md5: string }) => digests.get(id)?.(md5));
let nextId = 0;

async function put(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const hashing = !request.url?.endsWith('?md5=no');
  const id = nextId++;
  const name = randomBytes(16).toString('hex');
  const file = await open(join(directory, `${name}.tmp`), 'wx');
  let batch: Buffer[] = [];
  let batchBytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    if (hashing) md5Worker.postMessage({ id, data: chunk });
    batch.push(chunk);
    batchBytes += chunk.length;
    if (batchBytes >= WRITE_BYTES) {
      await file.writev(batch);
      batch = [];
      batchBytes = 0;
    }
  }
  await file.writev(batch);
  const md5 = hashing
    ? await new Promise<string>((resolve) => {
        digests.set(id, resolve);
        md5Worker.postMessage({ id });
      })
    : 'not-hashed';
  digests.delete(id);
  await file.sync();
  await file.close();
  await rename(join(directory, `${name}.tmp`), join(directory, name));
  response.writeHead(200, { ETag: `"${md5}"` }).end();
}

async function get(response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'Content-Length': statSync(source).size });
  await pipeline(createReadStream(source, { highWaterMark: WRITE_BYTES }), response);
}

const server = createServer((request, response) => {
  (request.method === 'PUT' ? put(request, response) : get(response)).catch((error: Error) => {
    response.destroy(error);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
