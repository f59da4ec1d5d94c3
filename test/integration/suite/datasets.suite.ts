// The Datasets commands in the extension host against the emulator's S3: Upload Folder (and its
// cancel leaving nothing), existing keys skipped, drag and drop onto a prefix, Download, Delete of a
// prefix, Copy S3 URI, and a text object opened read-only (one over 10 MB refused).
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UploadOutcome } from '../../../src/pipeline/transfers/upload';
import { DatasetsDragAndDrop } from '../../../src/trees/datasetsDragAndDrop';
import { PrefixTreeItem, type BucketTreeItem, type ObjectTreeItem } from '../../../src/trees/datasetsTree';
import type { Workbench } from '../../../src/workbench';
import { activateWorkbench, createDataset, s3, uniqueName } from '../../../harness/extensionHostFixtures';
import { until } from '../../../harness/waiting';

const MIB = 1024 * 1024;

/** Bytes that differ from file to file (a repeated pattern would hide a part sent twice or out of place). */
function bytes(size: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4)).map((_, index) => Math.imul(index + 1, 2654435761) ^ seed);
  return Buffer.from(words.buffer, 0, size);
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const { Contents = [] } = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return Contents.map((object) => object.Key!).sort();
}

async function openUploads(bucket: string): Promise<string[]> {
  const { Uploads = [] } = await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return Uploads.map((upload) => upload.Key!);
}

/** The bucket's item in the Datasets view. */
async function bucketItem(workbench: Workbench, bucket: string): Promise<BucketTreeItem> {
  workbench.datasets.refresh();
  // The extension's classes are its bundle's, not this suite's: items are recognised by their members.
  const item = (await workbench.datasets.getChildren()).find((candidate) => candidate.contextValue === 'bucket' && (candidate as BucketTreeItem).bucket === bucket);
  assert.ok(item, `bucket ${bucket} is in the Datasets view`);
  return item as BucketTreeItem;
}

async function childNamed(workbench: Workbench, parent: vscode.TreeItem, label: string): Promise<vscode.TreeItem> {
  const children = await workbench.datasets.getChildren(parent);
  const child = children.find((candidate) => candidate.label === label);
  assert.ok(child, `${label} is under ${String(parent.label)}: ${children.map((item) => item.label).join(', ')}`);
  return child;
}

/** A local folder `name` with the given files. */
function localFolder(name: string, files: Record<string, Buffer>): string {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'datasets-suite-')), name);
  for (const [relative, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), body);
  }
  return root;
}

describe('Datasets commands', () => {
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('Upload Folder puts the folder\'s tree under the bucket, byte for byte, and the view shows it', async function () {
    this.timeout(60_000);
    const workbench = await activateWorkbench();
    const bucket = uniqueName('upload');
    await createDataset(bucket, {});
    const files = { 'train.jsonl': bytes(3000, 1), 'shards/part-0.bin': bytes(9 * MIB + 5, 2), 'shards/part-1.bin': bytes(2 * MIB, 3) };
    const folder = localFolder('corpus', files);
    const outcome = await vscode.commands.executeCommand<UploadOutcome>('sagemaker.datasets.uploadFolder', await bucketItem(workbench, bucket), [vscode.Uri.file(folder)]);
    assert.equal(outcome.uploaded.length, 3);
    for (const [relative, body] of Object.entries(files)) {
      const { Body } = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: `corpus/${relative}` }));
      assert.equal(md5(Buffer.from(await Body!.transformToByteArray())), md5(body), relative);
    }
    assert.deepEqual(await openUploads(bucket), []);
    const corpus = await childNamed(workbench, await bucketItem(workbench, bucket), 'corpus/');
    assert.equal(corpus.contextValue, 'prefix');
    assert.deepEqual((await workbench.datasets.getChildren(corpus)).map((item) => item.label), ['shards/', 'train.jsonl']);
  });

  it('Upload Files into a prefix skips the keys that exist when told to, and keeps them unchanged', async function () {
    const workbench = await activateWorkbench();
    const bucket = uniqueName('skip');
    await createDataset(bucket, { 'data/a.txt': 'old a' });
    const folder = localFolder('x', { 'a.txt': Buffer.from('new a'), 'b.txt': Buffer.from('new b') });
    const data = await childNamed(workbench, await bucketItem(workbench, bucket), 'data/');
    const outcome = await vscode.commands.executeCommand<UploadOutcome>(
      'sagemaker.datasets.uploadFiles',
      data,
      [vscode.Uri.file(path.join(folder, 'a.txt')), vscode.Uri.file(path.join(folder, 'b.txt'))],
      { existing: 'skip' },
    );
    assert.deepEqual(outcome.skipped, ['data/a.txt']);
    assert.deepEqual(outcome.uploaded, ['data/b.txt']);
    const { Body } = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'data/a.txt' }));
    assert.equal(await Body!.transformToString(), 'old a');
  });

  it('a cancelled Upload Folder leaves nothing: no object, no open multipart upload', async function () {
    this.timeout(90_000);
    const workbench = await activateWorkbench();
    const bucket = uniqueName('cancel');
    await createDataset(bucket, {});
    const folder = localFolder('big', { 'a-small.txt': Buffer.from('small'), 'b.bin': bytes(48 * MIB, 4), 'c.bin': bytes(48 * MIB, 5), 'd.bin': bytes(48 * MIB, 6) });
    const cancel = new AbortController();
    const upload = vscode.commands.executeCommand<UploadOutcome>('sagemaker.datasets.uploadFolder', await bucketItem(workbench, bucket), [vscode.Uri.file(folder)], {
      signal: cancel.signal,
    });
    let finished = false;
    void upload.then(() => (finished = true));
    // Cancelled while a large file's multipart upload is open, as a user would mid-way.
    await until('a multipart upload in progress', async () => (finished || (await openUploads(bucket)).length > 0 ? true : undefined), 30_000);
    assert.ok(!finished, 'the upload was still running when cancelled');
    cancel.abort();
    const outcome = await upload;
    assert.ok(outcome.cancelled, 'the command reports the cancel');
    assert.deepEqual(await openUploads(bucket), [], 'ListMultipartUploads is empty');
    assert.deepEqual(await keysUnder(bucket, ''), [], 'no object is left, whole or partial');
  });

  it('a drop on a prefix uploads what was dropped there: a folder and a file from the Explorer, a file from the desktop', async function () {
    this.timeout(60_000);
    const workbench = await activateWorkbench();
    const bucket = uniqueName('drop');
    await createDataset(bucket, { 'data/keep.txt': 'kept' });
    const folder = localFolder('tales', { 'train.jsonl': Buffer.from('{"text":"a"}\n'), 'deep/val.jsonl': Buffer.from('{"text":"b"}\n') });
    const single = path.join(localFolder('loose', { 'notes.txt': Buffer.from('notes') }), 'notes.txt');
    const dropped = new vscode.DataTransfer();
    // The Explorer drops URIs; a desktop file in a browser arrives as bytes with no path here.
    dropped.set('text/uri-list', new vscode.DataTransferItem(`${vscode.Uri.file(folder).toString()}\r\n${vscode.Uri.file(single).toString()}`));
    class DesktopFile extends vscode.DataTransferItem {
      override asFile(): vscode.DataTransferFile {
        return { name: 'from-desktop.csv', uri: undefined, data: async () => Buffer.from('a,b\n1,2\n') };
      }
    }
    dropped.set('text/csv', new DesktopFile(''));
    let refreshed = false;
    // The controller the view is built with (this suite's copy of it, so the target is its tree item).
    const controller = new DatasetsDragAndDrop(workbench, () => (refreshed = true));
    await controller.handleDrop(new PrefixTreeItem(bucket, 'data/', workbench.datasets), dropped, new vscode.CancellationTokenSource().token);
    assert.deepEqual(await keysUnder(bucket, ''), ['data/from-desktop.csv', 'data/keep.txt', 'data/notes.txt', 'data/tales/deep/val.jsonl', 'data/tales/train.jsonl']);
    const { Body } = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'data/from-desktop.csv' }));
    assert.equal(await Body!.transformToString(), 'a,b\n1,2\n');
    assert.ok(refreshed, 'the view is refreshed after the upload');
  });

  it('Download fetches a prefix into a folder; Copy S3 URI copies its URI', async function () {
    const workbench = await activateWorkbench();
    const bucket = uniqueName('download');
    await createDataset(bucket, { 'sets/tales/train.jsonl': '{"text":"a"}\n', 'sets/tales/deep/val.jsonl': '{"text":"b"}\n', 'sets/other.txt': 'x' });
    const sets = await childNamed(workbench, await bucketItem(workbench, bucket), 'sets/');
    const tales = await childNamed(workbench, sets, 'tales/');
    const target = mkdtempSync(path.join(tmpdir(), 'download-'));
    const written = await vscode.commands.executeCommand<string[]>('sagemaker.datasets.download', tales, vscode.Uri.file(target));
    assert.deepEqual(written.map((file) => path.relative(target, file)).sort(), ['tales/deep/val.jsonl', 'tales/train.jsonl']);
    assert.equal(readFileSync(path.join(target, 'tales', 'train.jsonl'), 'utf8'), '{"text":"a"}\n');
    assert.deepEqual(readdirSync(target), ['tales']);
    assert.equal(await vscode.commands.executeCommand('sagemaker.datasets.copyUri', tales), `s3://${bucket}/sets/tales/`);
    assert.equal(await vscode.env.clipboard.readText(), `s3://${bucket}/sets/tales/`);
  });

  it('Delete removes every object under a prefix (1,001: two DeleteObjects batches) and nothing beside it', async function () {
    this.timeout(60_000);
    const workbench = await activateWorkbench();
    const bucket = uniqueName('delete');
    await createDataset(bucket, { 'keep/me.txt': 'x' });
    const client = s3();
    for (let start = 0; start < 1001; start += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, 1001 - start) }, (_, index) => client.send(new PutObjectCommand({ Bucket: bucket, Key: `old/${String(start + index).padStart(4, '0')}`, Body: 'x' }))),
      );
    }
    const old = await childNamed(workbench, await bucketItem(workbench, bucket), 'old/');
    const deleted = await vscode.commands.executeCommand<number>('sagemaker.datasets.delete', old, true);
    assert.equal(deleted, 1001);
    assert.deepEqual(await keysUnder(bucket, ''), ['keep/me.txt']);
  });

  it('opens a text object read-only in an editor, and refuses one over 10 MB', async function () {
    // Two 10 MB documents are read and opened in editors: seconds on a quiet machine, far more under load.
    this.timeout(90_000);
    const workbench = await activateWorkbench();
    const bucket = uniqueName('open');
    await createDataset(bucket, { 'train.jsonl': '{"text": "The cat found a red kite."}\n' });
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'huge.jsonl', Body: Buffer.alloc(10 * MIB + 1, 0x61) }));
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'exactly-10mb.txt', Body: Buffer.alloc(10 * MIB, 0x62) }));
    const root = await bucketItem(workbench, bucket);
    const train = await childNamed(workbench, root, 'train.jsonl');
    assert.equal((train as ObjectTreeItem).object.key, 'train.jsonl');
    assert.equal(train.command?.command, 'sagemaker.datasets.open', 'a click opens a text object');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('sagemaker.datasets.open', train);
    assert.equal(editor.document.getText(), '{"text": "The cat found a red kite."}\n');
    assert.equal(editor.document.uri.scheme, 'sagemaker-s3', 'served by a content provider: read-only');
    assert.match(editor.document.uri.path, /train\.jsonl$/);
    const exactly = await childNamed(workbench, root, 'exactly-10mb.txt');
    assert.equal((await vscode.commands.executeCommand<vscode.TextEditor>('sagemaker.datasets.open', exactly)).document.getText().length, 10 * MIB);
    await assert.rejects(workbench.s3Objects.show(bucket, 'huge.jsonl'), /huge\.jsonl is 10 MB \(10,485,761 bytes\): only objects up to 10 MB \(10,485,760 bytes\) open in an editor\. Download it instead\./);
  });
});
