// S3 through the AWS CLI, an independent client: `aws s3 cp` switches to a multipart upload above
// 8 MB (and copies between buckets with UploadPartCopy), `aws s3api delete-objects` sends
// DeleteObjects, `aws s3 rm --recursive` deletes key by key.
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI, awsCli } from '../../awsCli';
import { startTestEmulator, type TestEmulator } from '../../helpers';

describe('AWS CLI: S3', { skip: !existsSync(AWS_CLI) && `${AWS_CLI} is not installed` }, () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());

  it('uploads a 9 MB file in parts, downloads it whole, copies it in parts, and deletes with delete-objects and rm --recursive', async () => {
    const aws = (...args: string[]) => awsCli(emulator.url, emulator.root, ...args);
    const file = join(emulator.root, 'dataset.bin');
    const content = Buffer.alloc(9 * 1024 * 1024);
    for (let index = 0; index < content.length; index++) content[index] = (index * 31 + (index >> 12)) & 0xff;
    writeFileSync(file, content);

    // Each CLI run costs a Python start-up: the set-up and checks go through the SDK.
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'cli-multipart' }));
    await aws('s3', 'cp', file, 's3://cli-multipart/data/dataset.bin');
    const head = await emulator.s3.send(new HeadObjectCommand({ Bucket: 'cli-multipart', Key: 'data/dataset.bin' }));
    assert.match(head.ETag ?? '', /^"[0-9a-f]{32}-2"$/, 'the CLI uploaded 8 MiB parts');
    assert.equal(head.ContentLength, content.length);
    const downloaded = join(emulator.root, 'downloaded.bin');
    await aws('s3', 'cp', 's3://cli-multipart/data/dataset.bin', downloaded);
    assert.ok(readFileSync(downloaded).equals(content));
    // From bucket to bucket, the CLI copies in parts: UploadPartCopy of byte ranges.
    await aws('s3', 'cp', 's3://cli-multipart/data/dataset.bin', 's3://cli-multipart/data/copy.bin');
    const copy = await emulator.s3.send(new GetObjectCommand({ Bucket: 'cli-multipart', Key: 'data/copy.bin' }));
    assert.match(copy.ETag ?? '', /^"[0-9a-f]{32}-2"$/, 'copied in two parts');
    assert.ok(Buffer.from((await copy.Body?.transformToByteArray()) ?? []).equals(content));

    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      await emulator.s3.send(new PutObjectCommand({ Bucket: 'cli-multipart', Key: `data/small/${name}`, Body: name }));
    }
    const deleted = JSON.parse(
      await aws('s3api', 'delete-objects', '--bucket', 'cli-multipart', '--delete', JSON.stringify({ Objects: [{ Key: 'data/small/a.txt' }, { Key: 'data/small/b.txt' }] })),
    ) as { Deleted: { Key: string }[] };
    assert.deepEqual(deleted.Deleted.map((object) => object.Key).sort(), ['data/small/a.txt', 'data/small/b.txt']);

    const removed = await aws('s3', 'rm', '--recursive', 's3://cli-multipart/data/');
    assert.deepEqual(removed.trim().split('\n').sort(), [
      'delete: s3://cli-multipart/data/copy.bin',
      'delete: s3://cli-multipart/data/dataset.bin',
      'delete: s3://cli-multipart/data/small/c.txt',
    ]);
    assert.equal((await emulator.s3.send(new ListObjectsV2Command({ Bucket: 'cli-multipart' }))).KeyCount, 0);
    const uploads = await emulator.s3.send(new ListMultipartUploadsCommand({ Bucket: 'cli-multipart' }));
    assert.equal(uploads.Uploads, undefined, 'no upload was left behind');
  });
});
