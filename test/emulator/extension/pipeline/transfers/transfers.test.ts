// The extension's transfer pipeline (src/pipeline/transfers) against the emulator's S3 through the
// real SDK: uploads (multipart, parts in parallel, existing keys), cancel and failure leaving nothing
// partial and no open multipart upload, downloads, deletes in batches of 1,000 and server-side copies.
import { CreateBucketCommand, GetObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listAllObjects, type DatasetObject } from '../../../../../src/pipeline/datasets';
import { downloadFiles, existingFiles, planDownload } from '../../../../../src/pipeline/transfers/download';
import { commonPrefix, copyObjects, copyRanges, deletePrefix } from '../../../../../src/pipeline/transfers/s3Objects';
import { existingKeys, planUpload, uploadFiles } from '../../../../../src/pipeline/transfers/upload';
import { patterned, startTestEmulator, type TestEmulator } from '../../../helpers';
import { makeTempDir } from '../../../../../harness/emulatorClients';

const BUCKET = 'transfers';
const MIB = 1024 * 1024;

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function objectsUnder(s3: S3Client, prefix: string): Promise<DatasetObject[]> {
  const objects: DatasetObject[] = [];
  for await (const page of listAllObjects(s3, BUCKET, prefix)) objects.push(...page);
  return objects;
}

async function keysUnder(s3: S3Client, prefix: string): Promise<string[]> {
  return (await objectsUnder(s3, prefix)).map((object) => object.key);
}

async function openUploads(s3: S3Client, prefix: string): Promise<string[]> {
  const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return Uploads.map((upload) => upload.Key ?? '');
}

async function objectBody(s3: S3Client, key: string): Promise<Buffer> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

/** Counts the calls of each command the client makes. */
function countCalls(s3: S3Client): Map<string, number[]> {
  const calls = new Map<string, number[]>();
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Delete?: { Objects?: unknown[] } };
      const list = calls.get(context.commandName ?? '') ?? [];
      list.push(input.Delete?.Objects?.length ?? 1);
      calls.set(context.commandName ?? '', list);
      return next(args);
    },
    { step: 'initialize', name: `count-${Math.random()}` },
  );
  return calls;
}

describe('transfers (src/pipeline/transfers) against S3', () => {
  let emulator: TestEmulator;
  let local: { path: string; remove(): void };

  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    local = makeTempDir('transfers-local');
  });
  after(async () => {
    local.remove();
    await emulator.close();
  });

  /** A folder `name` with the given files (relative path → bytes). */
  function folder(name: string, files: Record<string, Buffer>): string {
    const root = join(local.path, name);
    for (const [relative, body] of Object.entries(files)) {
      mkdirSync(join(root, relative, '..'), { recursive: true });
      writeFileSync(join(root, relative), body);
    }
    return root;
  }

  it('uploads a folder: its tree under the prefix, a large file as a multipart upload in parallel parts, every byte intact', async () => {
    const files = { 'train/a.jsonl': patterned(1000, 1), 'train/deep/b.jsonl': patterned(3 * MIB + 7, 1), 'big.bin': patterned(21 * MIB + 3, 1) };
    const root = folder('dataset-1', files);
    const items = await planUpload([root], 'uploads/');
    assert.deepEqual(items.map((item) => item.key), ['uploads/dataset-1/big.bin', 'uploads/dataset-1/train/a.jsonl', 'uploads/dataset-1/train/deep/b.jsonl']);
    const calls = countCalls(emulator.s3);
    const snapshots: number[] = [];
    const outcome = await uploadFiles(emulator.s3, BUCKET, items, { onProgress: (snapshot) => snapshots.push(snapshot.doneBytes) });
    assert.deepEqual(outcome.uploaded.sort(), items.map((item) => item.key));
    assert.equal(outcome.openUploads, 0);
    for (const [relative, body] of Object.entries(files)) assert.equal(md5(await objectBody(emulator.s3, `uploads/dataset-1/${relative}`)), md5(body), relative);
    assert.deepEqual(calls.get('UploadPartCommand')?.length, 3, 'the 21 MiB file in three 8 MiB parts');
    assert.deepEqual(calls.get('PutObjectCommand')?.length, 2, 'small files in one PutObject each');
    assert.equal(snapshots.at(-1), 1000 + 3 * MIB + 7 + 21 * MIB + 3, 'progress reaches the total');
    assert.deepEqual(await openUploads(emulator.s3, 'uploads/'), []);
  });

  it('finds the keys that exist, and skips the ones the user keeps', async () => {
    const root = folder('dataset-2', { 'x.txt': Buffer.from('new x'), 'y.txt': Buffer.from('new y') });
    await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'keep/dataset-2/x.txt', Body: 'old x' }));
    const items = await planUpload([root], 'keep/');
    const existing = await existingKeys(emulator.s3, BUCKET, items.map((item) => item.key));
    assert.deepEqual([...existing], ['keep/dataset-2/x.txt']);
    const outcome = await uploadFiles(emulator.s3, BUCKET, items, { skip: existing, existing });
    assert.deepEqual(outcome.skipped, ['keep/dataset-2/x.txt']);
    assert.equal((await objectBody(emulator.s3, 'keep/dataset-2/x.txt')).toString(), 'old x');
    assert.equal((await objectBody(emulator.s3, 'keep/dataset-2/y.txt')).toString(), 'new y');
  });

  it('cancelled mid-upload, leaves nothing: no object it created, no open multipart upload; what existed stays', async () => {
    const root = folder('dataset-3', { 'a-small.txt': Buffer.from('small'), 'b-large.bin': patterned(40 * MIB, 1), 'c-large.bin': patterned(40 * MIB, 1) });
    await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cancel/dataset-3/a-small.txt', Body: 'existing' }));
    const items = await planUpload([root], 'cancel/');
    const existing = await existingKeys(emulator.s3, BUCKET, items.map((item) => item.key));
    const cancel = new AbortController();
    const outcome = await uploadFiles(emulator.s3, BUCKET, items, {
      existing,
      signal: cancel.signal,
      partSize: 5 * MIB,
      // Cancel once a part of a large file is in S3: its multipart upload is open then.
      onProgress: (snapshot) => {
        if (snapshot.doneBytes >= 5 * MIB + 5) cancel.abort();
      },
    });
    assert.ok(outcome.cancelled, 'the outcome says cancelled');
    assert.equal(outcome.openUploads, 0);
    assert.deepEqual(await openUploads(emulator.s3, 'cancel/'), [], 'ListMultipartUploads lists none');
    assert.deepEqual(await keysUnder(emulator.s3, 'cancel/'), ['cancel/dataset-3/a-small.txt'], 'only what existed before');
    assert.equal((await objectBody(emulator.s3, 'cancel/dataset-3/a-small.txt')).toString(), 'small', 'overwritten before the cancel: it cannot be restored, and is not deleted');
  });

  it('a file that fails stops the upload: finished files stay, nothing partial, no open multipart upload', async () => {
    const root = folder('dataset-4', { 'a.bin': patterned(12 * MIB, 1), 'b.bin': patterned(12 * MIB, 1) });
    const items = await planUpload([root], 'failing/');
    rmSync(join(root, 'b.bin')); // gone between planning and uploading
    const outcome = await uploadFiles(emulator.s3, BUCKET, items, { partSize: 5 * MIB, maxConcurrentRequests: 1 });
    assert.equal(outcome.failed?.key, 'failing/dataset-4/b.bin');
    assert.match(String((outcome.failed?.error as Error).message), /ENOENT/);
    assert.deepEqual(await keysUnder(emulator.s3, 'failing/'), ['failing/dataset-4/a.bin']);
    assert.deepEqual(await openUploads(emulator.s3, 'failing/'), []);
  });

  it('downloads a prefix into a folder, each file whole; cancelled, it leaves no file; keys escaping the folder are refused', async () => {
    const target = join(local.path, 'downloads');
    const objects = await objectsUnder(emulator.s3, 'uploads/dataset-1/');
    const items = planDownload(objects, 'uploads/dataset-1/', target);
    assert.deepEqual(items.map((item) => item.localPath.slice(target.length + 1)).sort(), ['dataset-1/big.bin', 'dataset-1/train/a.jsonl', 'dataset-1/train/deep/b.jsonl']);
    const outcome = await downloadFiles(emulator.s3, items);
    assert.equal(outcome.downloaded.length, 3);
    assert.equal(md5(readFileSync(join(target, 'dataset-1', 'big.bin'))), md5(patterned(21 * MIB + 3, 1)));
    assert.deepEqual([...(await existingFiles(items))].length, 3);

    const cancelledTarget = join(local.path, 'cancelled-download');
    const cancel = new AbortController();
    const cancelled = await downloadFiles(emulator.s3, planDownload(objects, 'uploads/dataset-1/', cancelledTarget), {
      signal: cancel.signal,
      onProgress: (snapshot) => {
        if (snapshot.doneBytes > 0) cancel.abort();
      },
    });
    assert.ok(cancelled.cancelled);
    const left = readdirSync(cancelledTarget, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    assert.deepEqual(left, [], 'no file, whole or partial');

    assert.throws(() => planDownload([{ bucket: BUCKET, key: 'p/../../../etc/passwd', size: 1 }], 'p/', target), /outside/);
  });

  it('deletes a prefix of 1,001 objects in two DeleteObjects calls, 1,000 and 1 (S3\'s limit and one more)', async () => {
    await Promise.all(
      Array.from({ length: 1001 }, (_, index) => emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `many/${String(index).padStart(4, '0')}`, Body: 'x' }))),
    );
    await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'many-other/keep', Body: 'x' }));
    const calls = countCalls(emulator.s3);
    const totals: number[] = [];
    const outcome = await deletePrefix(emulator.s3, BUCKET, 'many/', { onDeleted: (total) => totals.push(total) });
    assert.deepEqual(outcome, { deleted: 1001, failures: [] });
    assert.deepEqual(calls.get('DeleteObjectsCommand'), [1000, 1]);
    assert.deepEqual(totals, [1000, 1001]);
    assert.deepEqual(await keysUnder(emulator.s3, 'many'), ['many-other/keep']);
  });

  it('copies objects server-side, by CopyObject and, above the single-copy limit, by UploadPartCopy ranges', async () => {
    await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ckpt/run-1/checkpoint-200/model.safetensors', Body: patterned(12 * MIB + 1, 1) }));
    await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ckpt/run-1/checkpoint-200/trainer_state.json', Body: '{"global_step":200}' }));
    const objects = await objectsUnder(emulator.s3, 'ckpt/run-1/checkpoint-200/');
    const calls = countCalls(emulator.s3);
    const copied = await copyObjects(emulator.s3, objects, 'ckpt/run-1/', BUCKET, 'ckpt/run-1-resume/', { singleCopyLimit: 5 * MIB, partBytes: 5 * MIB });
    assert.deepEqual(copied.sort(), ['ckpt/run-1-resume/checkpoint-200/model.safetensors', 'ckpt/run-1-resume/checkpoint-200/trainer_state.json']);
    assert.equal(calls.get('UploadPartCopyCommand')?.length, 3);
    assert.equal(calls.get('CopyObjectCommand')?.length, 1);
    assert.equal(md5(await objectBody(emulator.s3, copied.sort()[0])), md5(patterned(12 * MIB + 1, 1)));
    assert.deepEqual(copyRanges(10, 4), ['bytes=0-3', 'bytes=4-7', 'bytes=8-9']);
    assert.deepEqual(await openUploads(emulator.s3, 'ckpt/'), []);
  });

  it('lists as little as it can: the keys\' common prefix, cut at a slash', () => {
    assert.equal(commonPrefix(['data/train/a', 'data/train/b', 'data/test/c']), 'data/');
    assert.equal(commonPrefix(['data/train/a']), 'data/train/');
    assert.equal(commonPrefix(['a', 'b']), '');
  });
});
