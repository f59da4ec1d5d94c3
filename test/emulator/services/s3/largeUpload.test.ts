// A large upload through @aws-sdk/lib-storage, its download stream and a copy of it in parts
// (UploadPartCopy) through the emulator in constant memory: the emulator runs as its own process, so
// its peak resident set can be read.
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { describe, it } from 'node:test';
import { makeTempDir, s3Client, spawnCli } from '../../../../harness/emulatorClients';

const MIB = 1024 * 1024;
const WARM_UP_BYTES = 16 * MIB;
const OBJECT_BYTES = 64 * MIB;
/** Half the object: an emulator holding the object in memory would grow by all of it. */
const MAX_GROWTH_BYTES = OBJECT_BYTES / 2;

/** `bytes` of generated data, produced as it is read. */
function generated(bytes: number): Readable {
  const block = Buffer.alloc(MIB);
  for (let index = 0; index < block.length; index++) block[index] = (index * 7 + (index >> 10)) & 0xff;
  let produced = 0;
  return new Readable({
    read() {
      if (produced === bytes) {
        this.push(null);
        return;
      }
      const size = Math.min(block.length, bytes - produced);
      // A fresh buffer per push: the same memory must not be reused while the SDK still holds it.
      this.push(Buffer.from(block.subarray(0, size)).fill(produced / MIB, 0, 1));
      produced += size;
    },
  });
}

/** Peak resident set size of a Linux process, in bytes. */
function peakRss(pid: number): number {
  const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kilobytes) * 1024;
}

/** MD5 (hex) and length of an object, streamed. */
async function downloaded(s3: S3Client, key: string): Promise<{ md5: string; bytes: number }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: 'large', Key: key }));
  const md5 = createHash('md5');
  let bytes = 0;
  for await (const chunk of object.Body as Readable) {
    md5.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { md5: md5.digest('hex'), bytes };
}

/** Uploads `bytes` of generated data with lib-storage, streams them back, and checks they are the same. */
async function roundTrip(s3: S3Client, key: string, bytes: number): Promise<void> {
  const uploadedMd5 = createHash('md5');
  const body = generated(bytes).pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        uploadedMd5.update(chunk);
        callback(null, chunk);
      },
    }),
  );
  await new Upload({ client: s3, params: { Bucket: 'large', Key: key, Body: body }, partSize: 8 * MIB }).done();
  assert.deepEqual(await downloaded(s3, key), { md5: uploadedMd5.digest('hex'), bytes });
}

/** Copies an object of `bytes` into another in two parts (UploadPartCopy of each half), and checks the copy. */
async function copyInParts(s3: S3Client, source: string, key: string, bytes: number): Promise<void> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'large', Key: key }));
  const halves = [`bytes=0-${bytes / 2 - 1}`, `bytes=${bytes / 2}-${bytes - 1}`];
  const parts = [];
  for (const [index, range] of halves.entries()) {
    const copied = await s3.send(
      new UploadPartCopyCommand({ Bucket: 'large', Key: key, UploadId, PartNumber: index + 1, CopySource: `large/${source}`, CopySourceRange: range }),
    );
    parts.push({ PartNumber: index + 1, ETag: copied.CopyPartResult?.ETag });
  }
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'large', Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  assert.deepEqual(await downloaded(s3, key), await downloaded(s3, source));
}

describe('S3 large objects', { skip: process.platform !== 'linux' && 'peak RSS is read from /proc' }, () => {
  it(`uploads ${OBJECT_BYTES / MIB} MiB with lib-storage, streams it back and copies it in parts in bounded emulator memory`, async (t) => {
    const dataDir = makeTempDir('emulator-large');
    const emulator = await spawnCli(['--port', '0', '--data-dir', dataDir.path]);
    const s3 = s3Client(emulator.url);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'large' }));
      // Node frees request buffers lazily (V8 collects once tens of MiB of them are garbage), so a
      // first upload lifts the peak to that steady state. From there a streaming emulator's peak
      // stays flat whatever the object's size.
      await roundTrip(s3, 'warm-up', WARM_UP_BYTES);
      const pid = emulator.child.pid ?? 0;
      const before = peakRss(pid);
      await roundTrip(s3, 'model.bin', OBJECT_BYTES);
      await copyInParts(s3, 'model.bin', 'model-copy.bin', OBJECT_BYTES);
      const growth = peakRss(pid) - before;
      t.diagnostic(`emulator peak RSS ${(before / MIB).toFixed(0)} MiB after the warm-up, then grew by ${(growth / MIB).toFixed(1)} MiB`);
      assert.ok(growth < MAX_GROWTH_BYTES, `peak RSS grew by ${(growth / MIB).toFixed(1)} MiB`);
    } finally {
      s3.destroy();
      emulator.child.kill('SIGTERM');
      await emulator.exited;
      dataDir.remove();
    }
  });
});
