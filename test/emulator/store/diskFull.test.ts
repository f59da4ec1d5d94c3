// The emulator's data directory on a disk that fills up (a small tmpfs, mounted where the tests run
// as root): concurrent writers fill it; writes are refused with each service's retryable 503 while
// reads go on; the health check says the store is degraded; freeing space lets writes through again
// without a restart; and after a restart every write that was acknowledged reads back, and none
// that was refused appears.
import { CreateLogGroupCommand, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateModelCommand, DescribeModelCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../../emulator/server';
import { mountTmpfs, type Tmpfs } from '../../tmpfs';
import { patterned, rawRequest, rejection } from '../helpers';
import { clientConfig, s3Client, sagemakerClient } from '../../../harness/emulatorClients';

const BUCKET = 'full-disk';
const OBJECT_BYTES = 192 * 1024;
const WRITERS = 4;
/** A writer stops after this many refusals in a row (the disk is full), or this many writes. */
const REFUSALS_TO_STOP = 3;
const MAX_WRITES = 200;

function freeBytes(path: string): number {
  const { bavail, bsize } = statfsSync(path);
  return bavail * bsize;
}

/** A file outside the emulator's folder that takes all but `leave` bytes of the disk, as other programs' files do. */
function fillAllBut(disk: string, name: string, leave: number): string {
  const path = join(disk, name);
  writeFileSync(path, Buffer.alloc(Math.max(freeBytes(disk) - leave, 0)));
  return path;
}

async function health(url: string): Promise<{ status: string; store: { status: string; reason?: string } }> {
  return JSON.parse((await rawRequest(url, { path: '/_emulator/health' })).body) as { status: string; store: { status: string; reason?: string } };
}

describe('a full disk', () => {
  let disk: Tmpfs | string;
  before(() => (disk = mountTmpfs(24 * 1024 * 1024)));
  after(() => typeof disk !== 'string' && disk.unmount());

  it('refuses writes with retryable errors, keeps reading, recovers by itself, and loses nothing acknowledged', async (t) => {
    if (typeof disk === 'string') return t.skip(disk);
    const root = disk.path;
    const dataDir = join(root, 'data');
    const start = () => startEmulator({ dataDir, runtime: { maxConcurrentJobs: 0, runEndpoints: false } });
    let emulator: RunningEmulator = await start();
    // No retries: each answer the emulator gives is seen.
    let s3: S3Client = s3Client(emulator.url);
    let sagemaker: SageMakerClient = sagemakerClient(emulator.url);
    const logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    const fillers: string[] = [];
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      const kept = patterned(OBJECT_BYTES, 7);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept.bin', Body: kept }));
      fillers.push(fillAllBut(root, 'filler-1', 4 * 1024 * 1024));

      const acknowledged = new Map<string, Buffer>();
      const refused: string[] = [];
      const writer = async (id: number) => {
        for (let index = 0, refusedInARow = 0; index < MAX_WRITES && refusedInARow < REFUSALS_TO_STOP; index++) {
          const key = `writer-${id}/${index}`;
          const body = patterned(OBJECT_BYTES, id * 1000 + index);
          try {
            await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
            acknowledged.set(key, body);
            refusedInARow = 0;
          } catch (error) {
            const { name, $metadata } = error as Error & { $metadata: { httpStatusCode?: number } };
            assert.equal(name, 'SlowDown', String(error));
            assert.equal($metadata.httpStatusCode, 503);
            assert.match((error as Error).message, /no space left on device/i);
            refused.push(key);
            refusedInARow++;
          }
        }
      };
      // Reads all along: the object stored before, and listings that see writers come and go.
      let writing = true;
      let reads = 0;
      const reader = async () => {
        while (writing) {
          const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept.bin' }));
          assert.ok(Buffer.from(await object.Body!.transformToByteArray()).equals(kept), 'reads the object stored before');
          await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
          reads++;
        }
      };
      const reading = reader();
      await Promise.all(Array.from({ length: WRITERS }, (_, id) => writer(id)));
      writing = false;
      await reading;
      t.diagnostic(`${acknowledged.size} writes acknowledged, ${refused.length} refused, ${reads} rounds of reads`);
      assert.ok(acknowledged.size > 0 && refused.length >= REFUSALS_TO_STOP, 'the disk filled up while being written');
      assert.ok(reads > 0);

      // Not a byte left: every service refuses writes in its own retryable words, and reads still work.
      // (The records are made larger than a page, which the log's last page may still have room for.)
      fillers.push(fillAllBut(root, 'filler-2', 0));
      const large = (prefix: string) => Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`${prefix}${index}`, 'v'.repeat(250)]));
      const model = new CreateModelCommand({
        ModelName: 'late-model',
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/r',
        PrimaryContainer: { Image: 'sagemaker-emulator/node', Environment: large('SETTING_') },
      });
      const sagemakerRefusal = await rejection(sagemaker.send(model));
      assert.equal(sagemakerRefusal.name, 'ServiceUnavailable');
      assert.equal(sagemakerRefusal.$metadata.httpStatusCode, 503);
      const logsRefusal = await rejection(logs.send(new CreateLogGroupCommand({ logGroupName: 'late-group', tags: large('tag') })));
      assert.equal(logsRefusal.name, 'ServiceUnavailableException');
      assert.equal(logsRefusal.$metadata.httpStatusCode, 503);
      assert.equal((await rejection(sagemaker.send(new DescribeModelCommand({ ModelName: 'late-model' })))).name, 'ValidationException', 'taken back: not there');
      const read = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept.bin' }));
      assert.ok(Buffer.from(await read.Body!.transformToByteArray()).equals(kept));
      const degraded = await health(emulator.url);
      assert.equal(degraded.status, 'degraded');
      assert.equal(degraded.store.status, 'degraded');
      assert.match(degraded.store.reason ?? '', /ENOSPC/);

      // Space returns: writes go through again, with no restart.
      for (const filler of fillers.splice(0)) rmSync(filler);
      assert.deepEqual((await health(emulator.url)).store, { status: 'ok' });
      const recovered = patterned(OBJECT_BYTES, 99);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'after-recovery.bin', Body: recovered }));
      acknowledged.set('after-recovery.bin', recovered);
      await sagemaker.send(model);

      // A restart reads back exactly what was acknowledged.
      s3.destroy();
      sagemaker.destroy();
      await emulator.close();
      emulator = await start();
      s3 = s3Client(emulator.url);
      sagemaker = sagemakerClient(emulator.url);
      for (const [key, body] of [...acknowledged, ['kept.bin', kept] as const]) {
        const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        assert.ok(Buffer.from(await object.Body!.transformToByteArray()).equals(body), `${key} reads back as written`);
      }
      for (const key of refused) {
        assert.equal((await rejection(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })))).name, 'NotFound', `${key} was refused, so never appears`);
      }
      assert.equal((await sagemaker.send(new DescribeModelCommand({ ModelName: 'late-model' }))).ModelName, 'late-model');
    } finally {
      for (const filler of fillers) rmSync(filler, { force: true });
      s3.destroy();
      sagemaker.destroy();
      logs.destroy();
      await emulator.close();
    }
  });
});
