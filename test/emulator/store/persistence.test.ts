// State survives a clean restart, and `kill -9` at a random moment loses no acknowledged write and
// shows no half-written one — also while injected faults throttle, fail and delay the writes.
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, type SageMakerClient, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it, type TestContext } from 'node:test';
import { injectFault, listFaults, startTestEmulator } from '../helpers';
import { trainingJobRequest } from '../../../harness/requests';
import { type CliProcess, makeTempDir, s3Client, sagemakerClient, spawnCli } from '../../../harness/emulatorClients';
import { allPages, until } from '../../../harness/waiting';

const BUCKET = 'durable-bucket';

const MULTIPART_SUFFIX = '.multipart';
/** The smallest part S3 accepts before the last one. */
const FIRST_PART_BYTES = 5 * 1024 * 1024;

/**
 * The body a key is always written with, so any stored object can be checked: 0–48 KiB, or for a
 * multipart upload a 5 MiB first part and such a tail.
 */
function contentFor(key: string): Buffer {
  const seed = createHash('sha256').update(key).digest();
  const tail = Buffer.alloc(seed.readUInt16BE(0) % (48 * 1024), seed);
  return key.endsWith(MULTIPART_SUFFIX) ? Buffer.concat([Buffer.alloc(FIRST_PART_BYTES, seed.subarray(2)), tail]) : tail;
}

describe('persistence', () => {
  it('keeps buckets, objects and training jobs across a restart', async () => {
    const emulator = await startTestEmulator();
    try {
      await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept.txt', Body: 'kept', Metadata: { kind: 'note' } }));
      await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('kept-job')));
      await emulator.sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('stopped-job')));
      await emulator.sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'stopped-job' }));

      await emulator.restart();

      await emulator.s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
      const object = await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept.txt' }));
      assert.equal(await object.Body?.transformToString(), 'kept');
      assert.deepEqual(object.Metadata, { kind: 'note' });
      const kept = await emulator.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'kept-job' }));
      assert.equal(kept.TrainingJobStatus, 'InProgress');
      const stopped = await emulator.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'stopped-job' }));
      assert.equal(stopped.TrainingJobStatus, 'Stopped');
      assert.equal(stopped.SecondaryStatusTransitions?.length, 3);
    } finally {
      await emulator.close();
    }
  });

  it('survives kill -9 at random moments during concurrent writes, three times', async (t) => {
    await crashRounds(t, 3, {});
  });

  it('survives kill -9 while faults fire: throttled, failed and delayed writes lose nothing acknowledged', async (t) => {
    // The SDK retries what the faults inject; what still fails was not acknowledged, and must leave nothing half-written.
    const faults = [
      { type: 'throttling', service: 'sagemaker', operations: ['CreateTrainingJob'], rate: 0.4 },
      { type: 's3-error', bucket: BUCKET, code: 'SlowDown', rate: 0.3 },
      { type: 's3-error', bucket: BUCKET, code: 'InternalError', operations: ['UploadPart', 'CompleteMultipartUpload'], rate: 0.3 },
      { type: 'latency', service: 's3', minMs: 0, maxMs: 20 },
    ];
    const injected = await crashRounds(t, 2, { faults, maxAttempts: 2 });
    assert.ok(injected > 0, 'faults fired');
  });
});

/**
 * Rounds of concurrent writers, each ended by kill -9 at a random moment, then a restart that finds
 * every acknowledged write, every stored object whole, and no blob unaccounted for. With `faults`,
 * each round's emulator has them (they do not survive its restart): writers retry as the SDK does
 * (`maxAttempts`), and a write that still fails on an injected error is not acknowledged. Returns
 * how many requests the faults failed.
 */
async function crashRounds(t: TestContext, rounds: number, options: { faults?: object[]; maxAttempts?: number }): Promise<number> {
  const dataDir = makeTempDir('emulator-crash');
  const acknowledged = { objects: new Set<string>(), jobs: new Set<string>() };
  const refused = new Map<string, number>();
  // Whatever fails, no emulator may outlive the test: its open pipes would keep the runner waiting.
  let running: CliProcess | undefined;
  try {
    for (let round = 1; round <= rounds; round++) {
      const emulator = (running = await spawnCli(['--port', '0', '--data-dir', dataDir.path, '--max-concurrent-jobs', '0']));
      const s3 = s3Client(emulator.url);
      const sagemaker = sagemakerClient(emulator.url);
      if (round === 1) await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      else await verify(s3, sagemaker, acknowledged);
      assert.deepEqual(await listFaults(emulator.url), [], 'no fault survives a restart');
      for (const fault of options.faults ?? []) await injectFault(emulator.url, fault);
      const clients = { s3: s3Client(emulator.url, { maxAttempts: options.maxAttempts }), sagemaker: sagemakerClient(emulator.url, { maxAttempts: options.maxAttempts }) };

      const before = acknowledged.objects.size + acknowledged.jobs.size;
      let crashed = false;
      const writers = Array.from({ length: 6 }, (_, writer) =>
        (async () => {
          for (let index = 0; !crashed; index++) {
            const name = `r${round}-w${writer}-${index}${index % 4 === 1 ? MULTIPART_SUFFIX : ''}`;
            try {
              await write(clients.s3, clients.sagemaker, name, index);
            } catch (error) {
              if (crashed) return; // the emulator died under this request
              const { name: code } = error as Error;
              refused.set(code, (refused.get(code) ?? 0) + 1);
              continue;
            }
            (index % 4 === 3 ? acknowledged.jobs : acknowledged.objects).add(name);
          }
        })(),
      );
      // Kill once some writes went through — 20 to 40 of them, so the crash lands at a different
      // point among the writes in flight (six writers) in every round.
      const acknowledgedBeforeCrash = before + 20 + Math.floor(Math.random() * 21);
      await until(`${acknowledgedBeforeCrash - before} writes acknowledged in round ${round}`, () =>
        acknowledged.objects.size + acknowledged.jobs.size >= acknowledgedBeforeCrash ? true : undefined, { intervalMs: 5, timeoutMs: 60_000 }); // retried faults slow the writers down
      emulator.child.kill('SIGKILL');
      crashed = true;
      await Promise.all(writers);
      assert.equal(await emulator.exited, 'SIGKILL');
      for (const client of [s3, sagemaker, clients.s3, clients.sagemaker]) client.destroy();
    }

    const emulator = (running = await spawnCli(['--port', '0', '--data-dir', dataDir.path, '--max-concurrent-jobs', '0']));
    const s3 = s3Client(emulator.url);
    const sagemaker = sagemakerClient(emulator.url);
    const stored = await verify(s3, sagemaker, acknowledged);
    t.diagnostic(`${acknowledged.objects.size} objects and ${acknowledged.jobs.size} jobs acknowledged; ${stored.objects} objects stored`);
    if (refused.size) t.diagnostic(`writes refused by faults before the crash: ${JSON.stringify(Object.fromEntries(refused))}`);
    // Before the crash, a write fails only on an injected fault the SDK's retries did not outlast.
    for (const code of refused.keys()) assert.ok(['ThrottlingException', 'SlowDown', 'InternalError'].includes(code), `a write failed with ${code}`);
    assert.deepEqual(readdirSync(join(dataDir.path, 'blobs', 'tmp')), [], 'no unfinished upload is left');
    const blobs = readdirSync(join(dataDir.path, 'blobs')).filter((name) => name !== 'tmp');
    const inProgress = await partsInProgress(s3);
    t.diagnostic(`${[...acknowledged.objects].filter((key) => key.endsWith(MULTIPART_SUFFIX)).length} multipart uploads acknowledged; ${inProgress} parts of interrupted ones`);
    assert.equal(blobs.length, stored.blobs + inProgress, 'every body and uploaded part has its blob, and no other blob is left');
    s3.destroy();
    sagemaker.destroy();
    emulator.child.kill('SIGTERM');
    assert.equal(await emulator.exited, 0);
    return [...refused.values()].reduce((total, count) => total + count, 0);
  } finally {
    running?.child.kill('SIGKILL');
    dataDir.remove();
  }
}

/** One write: three objects (a multipart upload, a buffered and a streamed body) for every training job. */
async function write(s3: S3Client, sagemaker: SageMakerClient, name: string, index: number): Promise<void> {
  if (index % 4 === 3) {
    await sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest(name)));
    return;
  }
  const content = contentFor(name);
  if (name.endsWith(MULTIPART_SUFFIX)) {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: name }));
    const parts = [content.subarray(0, FIRST_PART_BYTES), content.subarray(FIRST_PART_BYTES)];
    const uploaded = await Promise.all(
      parts.map(async (part, partIndex) => {
        const { ETag } = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: name, UploadId, PartNumber: partIndex + 1, Body: part }));
        return { PartNumber: partIndex + 1, ETag };
      }),
    );
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: name, UploadId, MultipartUpload: { Parts: uploaded } }));
    return;
  }
  const third = Math.ceil(content.length / 3);
  const body = index % 2 ? Readable.from([content.subarray(0, third), content.subarray(third, 2 * third), content.subarray(2 * third)]) : content;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: name, Body: body, ContentLength: content.length }));
}

/**
 * Every acknowledged write is there, and every stored object is whole. Returns the object count and
 * how many blobs their bodies take (a multipart object's ETag ends with its part count).
 */
async function verify(
  s3: S3Client,
  sagemaker: SageMakerClient,
  acknowledged: { objects: Set<string>; jobs: Set<string> },
): Promise<{ objects: number; blobs: number }> {
  const stored: string[] = [];
  let blobs = 0;
  for (const page of await allPages('the stored objects', paginateListObjectsV2({ client: s3 }, { Bucket: BUCKET }), 100)) {
    stored.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
    blobs += (page.Contents ?? []).reduce((total, object) => total + Number(/-(\d+)"$/.exec(object.ETag ?? '')?.[1] ?? 1), 0);
  }
  const storedSet = new Set(stored);
  for (const key of acknowledged.objects) assert.ok(storedSet.has(key), `acknowledged object ${key} is stored`);
  for (const key of stored) {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const body = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    assert.ok(body.equals(contentFor(key)), `object ${key} is whole (${body.length} of ${contentFor(key).length} bytes)`);
  }
  for (const name of acknowledged.jobs) {
    const job = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    assert.equal(job.TrainingJobStatus, 'InProgress', name);
  }
  return { objects: stored.length, blobs };
}

/** Parts of the multipart uploads a crash interrupted: they stay uploaded until completed or aborted. */
async function partsInProgress(s3: S3Client): Promise<number> {
  const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  let parts = 0;
  for (const upload of Uploads) {
    const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: upload.Key, UploadId: upload.UploadId }));
    parts += listed.Parts?.length ?? 0;
  }
  return parts;
}
