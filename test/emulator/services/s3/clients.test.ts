// rclone and s3cmd (Debian's packages), independent S3 clients users bring, against the emulator:
// copy, multipart uploads, listing (ListObjects version 1, paged by Marker), sync with deletes and
// purge — each checked from the other side through the SDK.
import { HeadBucketCommand, ListObjectsV2Command, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startEmulator, type RunningEmulator } from '../../../../emulator/server';
import { patterned, rejection } from '../../helpers';
import { makeTempDir, s3Client } from '../../../../harness/emulatorClients';

const run = promisify(execFile);

/** The tree both clients upload: a 12 MB file (multipart in 5 MB parts) and small ones in folders. */
function writeTree(root: string): void {
  mkdirSync(path.join(root, 'train', 'shards'), { recursive: true });
  writeFileSync(path.join(root, 'model.bin'), patterned(12 * 1024 * 1024, 7));
  writeFileSync(path.join(root, 'readme.txt'), 'a dataset\n');
  for (let index = 0; index < 5; index++) writeFileSync(path.join(root, 'train', 'shards', `part-${index}.jsonl`), `{"text": "shard ${index}"}\n`);
}

async function keys(s3: S3Client, bucket: string): Promise<string[]> {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return Contents.map((object) => object.Key ?? '');
}

async function objectBytes(s3: S3Client, bucket: string, key: string): Promise<{ body: Buffer; etag: string }> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: Buffer.from(await object.Body!.transformToByteArray()), etag: object.ETag ?? '' };
}

const TREE_KEYS = ['model.bin', 'readme.txt', ...Array.from({ length: 5 }, (_, index) => `train/shards/part-${index}.jsonl`)];

describe('rclone and s3cmd against the emulator', () => {
  let emulator: RunningEmulator;
  let dataDir: ReturnType<typeof makeTempDir>;
  let work: ReturnType<typeof makeTempDir>;
  let s3: S3Client;
  /** What the clients run with: nothing of this machine's AWS or TLS settings. */
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dataDir = makeTempDir('clients');
    work = makeTempDir('clients-work');
    emulator = await startEmulator({ dataDir: dataDir.path, runtime: { maxConcurrentJobs: 0, runEndpoints: false } });
    s3 = s3Client(emulator.url);
    env = { PATH: process.env.PATH, HOME: work.path };
  });

  after(async () => {
    s3.destroy();
    await emulator.close();
    dataDir.remove();
    work.remove();
  });

  describe('rclone', () => {
    const rclone = (...args: string[]) =>
      run('rclone', ['--config', '/dev/null', ...args], {
        env: {
          ...env,
          RCLONE_CONFIG_EMU_TYPE: 's3',
          // "Other": a generic S3 server, which rclone lists with ListObjects version 1.
          RCLONE_CONFIG_EMU_PROVIDER: 'Other',
          RCLONE_CONFIG_EMU_ENDPOINT: emulator.url,
          RCLONE_CONFIG_EMU_ACCESS_KEY_ID: 'test',
          RCLONE_CONFIG_EMU_SECRET_ACCESS_KEY: 'test',
          RCLONE_CONFIG_EMU_REGION: 'us-east-1',
          RCLONE_CONFIG_EMU_FORCE_PATH_STYLE: 'true',
          RCLONE_CONFIG_EMU_LIST_VERSION: '1',
        },
        timeout: 60_000,
      });

    it('copies a tree, the large file in multipart uploads, and lists it page by page', async () => {
      const source = path.join(work.path, 'rclone-tree');
      writeTree(source);
      await rclone('mkdir', 'emu:rclone-bucket');
      await rclone('copy', source, 'emu:rclone-bucket/data', '--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M');
      assert.deepEqual(await keys(s3, 'rclone-bucket'), TREE_KEYS.map((key) => `data/${key}`));
      const model = await objectBytes(s3, 'rclone-bucket', 'data/model.bin');
      assert.deepEqual(model.body, readFileSync(path.join(source, 'model.bin')));
      assert.match(model.etag, /-3"$/, 'completed from 3 parts, their ETags sent as &#34;…&#34;');
      // Two keys a page: ListObjects v1 paged by Marker.
      const { stdout } = await rclone('lsf', '-R', '--s3-list-chunk', '2', 'emu:rclone-bucket');
      assert.deepEqual(stdout.trim().split('\n').sort(), ['data/', 'data/model.bin', 'data/readme.txt', 'data/train/', 'data/train/shards/', ...TREE_KEYS.slice(2).map((key) => `data/${key}`)].sort());
      const listed = JSON.parse((await rclone('lsjson', '-R', '--files-only', 'emu:rclone-bucket/data')).stdout) as Array<{ Path: string; Size: number }>;
      assert.equal(listed.find((entry) => entry.Path === 'model.bin')?.Size, 12 * 1024 * 1024);
    });

    it('syncs with deletes, then purges the bucket', async () => {
      const source = path.join(work.path, 'rclone-tree');
      rmSync(path.join(source, 'readme.txt'));
      writeFileSync(path.join(source, 'train', 'shards', 'part-0.jsonl'), '{"text": "shard 0, again"}\n');
      await rclone('sync', source, 'emu:rclone-bucket/data');
      assert.deepEqual(await keys(s3, 'rclone-bucket'), TREE_KEYS.filter((key) => key !== 'readme.txt').map((key) => `data/${key}`));
      assert.equal((await objectBytes(s3, 'rclone-bucket', 'data/train/shards/part-0.jsonl')).body.toString(), '{"text": "shard 0, again"}\n');
      await rclone('purge', 'emu:rclone-bucket');
      assert.equal((await rejection(s3.send(new HeadBucketCommand({ Bucket: 'rclone-bucket' })))).$metadata.httpStatusCode, 404);
    });
  });

  describe('s3cmd', () => {
    let config: string;
    const s3cmd = (...args: string[]) => run('s3cmd', ['-c', config, ...args], { env, timeout: 60_000 });

    before(() => {
      const hostPort = emulator.url.replace(/^http:\/\//, '');
      config = path.join(work.path, 's3cfg');
      writeFileSync(
        config,
        `[default]\naccess_key = test\nsecret_key = test\nhost_base = ${hostPort}\nhost_bucket = ${hostPort}\nuse_https = False\nsignature_v2 = False\nbucket_location = us-east-1\n`,
      );
    });

    it('puts a large file in parts, syncs a tree, lists it and reads bucket and object information', async () => {
      const source = path.join(work.path, 's3cmd-tree');
      writeTree(source);
      await s3cmd('mb', 's3://s3cmd-bucket');
      await s3cmd('put', '--multipart-chunk-size-mb=5', path.join(source, 'model.bin'), 's3://s3cmd-bucket/model.bin');
      const model = await objectBytes(s3, 's3cmd-bucket', 'model.bin');
      assert.deepEqual(model.body, readFileSync(path.join(source, 'model.bin')));
      assert.match(model.etag, /-3"$/);
      await s3cmd('sync', `${path.join(source, 'train')}/`, 's3://s3cmd-bucket/train/');
      const listing = (await s3cmd('ls', '-r', 's3://s3cmd-bucket')).stdout;
      for (const key of TREE_KEYS.filter((key) => key !== 'readme.txt')) assert.ok(listing.includes(`s3://s3cmd-bucket/${key}`), listing);
      const top = (await s3cmd('ls', 's3://s3cmd-bucket')).stdout;
      assert.match(top, /DIR +s3:\/\/s3cmd-bucket\/train\//);
      const bucketInfo = (await s3cmd('info', 's3://s3cmd-bucket')).stdout;
      assert.match(bucketInfo, /Location: +us-east-1/);
      assert.match(bucketInfo, /CORS: +none/);
      assert.match(bucketInfo, /ACL: +[0-9a-f]{64}: FULL_CONTROL/);
      const objectInfo = (await s3cmd('info', 's3://s3cmd-bucket/model.bin')).stdout;
      assert.match(objectInfo, /File size: +12582912/);
      const back = path.join(work.path, 'model.back');
      await s3cmd('get', 's3://s3cmd-bucket/model.bin', back);
      assert.deepEqual(readFileSync(back), readFileSync(path.join(source, 'model.bin')));
    });

    it('syncs with --delete-removed, then removes the bucket with everything in it', async () => {
      const source = path.join(work.path, 's3cmd-tree');
      rmSync(path.join(source, 'train', 'shards', 'part-4.jsonl'));
      await s3cmd('sync', '--delete-removed', `${path.join(source, 'train')}/`, 's3://s3cmd-bucket/train/');
      assert.deepEqual(await keys(s3, 's3cmd-bucket'), ['model.bin', ...TREE_KEYS.slice(2, 6)]);
      await s3cmd('rb', '--recursive', '--force', 's3://s3cmd-bucket');
      assert.equal((await rejection(s3.send(new HeadBucketCommand({ Bucket: 's3cmd-bucket' })))).$metadata.httpStatusCode, 404);
    });
  });
});
