// CopyObject (copy source parsing, metadata directives, conditions) and DeleteObjects (Quiet mode,
// per-key errors) through the SDK.
import {
  CopyObjectCommand,
  type CopyObjectCommandInput,
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rejection, startTestEmulator, type TestEmulator } from '../../helpers';

const BUCKET = 'copy-delete-bucket';

describe('S3 CopyObject and DeleteObjects', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(() => emulator.close());

  const put = (key: string, body: string | Buffer, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) =>
    emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ...extra }));
  const copy = (key: string, copySource: string, extra: Partial<CopyObjectCommandInput> = {}) =>
    emulator.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: key, CopySource: copySource, ...extra }));
  const text = async (key: string) =>
    (await (await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body?.transformToString()) ?? '';
  const keys = async () => ((await emulator.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((object) => object.Key);

  describe('CopyObject', () => {
    it("copies the body with the source's headers, or the request's with REPLACE", async () => {
      await put('source.txt', 'copied body', { ContentType: 'text/plain', Metadata: { origin: 'source' }, CacheControl: 'no-cache' });
      const copied = await copy('copy.txt', `${BUCKET}/source.txt`);
      assert.equal(copied.CopyObjectResult?.ETag, `"${createHash('md5').update('copied body').digest('hex')}"`);
      assert.ok(copied.CopyObjectResult?.LastModified instanceof Date);
      const head = await emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'copy.txt' }));
      assert.equal(head.ContentType, 'text/plain');
      assert.equal(head.CacheControl, 'no-cache');
      assert.deepEqual(head.Metadata, { origin: 'source' });
      assert.equal(await text('copy.txt'), 'copied body');

      await copy('replaced.txt', `/${BUCKET}/source.txt`, { MetadataDirective: 'REPLACE', ContentType: 'text/markdown', Metadata: { origin: 'request' } });
      const replaced = await emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'replaced.txt' }));
      assert.equal(replaced.ContentType, 'text/markdown');
      assert.equal(replaced.CacheControl, undefined);
      assert.deepEqual(replaced.Metadata, { origin: 'request' });
    });

    it('decodes a URL-encoded source key and ignores its versionId', async () => {
      const key = 'dir/with space, ünïcödé & a ?question.txt';
      await put(key, 'odd key');
      await copy('from-odd-key', `${BUCKET}/${encodeURIComponent(key)}?versionId=null`);
      assert.equal(await text('from-odd-key'), 'odd key');
      await copy('from-odd-key-2', `${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`);
      assert.equal(await text('from-odd-key-2'), 'odd key');
    });

    it('copies a multipart object into a single-part one, keeping its checksum algorithm', async () => {
      const body = Buffer.alloc(6 * 1024 * 1024, 'multipart ');
      await new Upload({ client: emulator.s3, params: { Bucket: BUCKET, Key: 'multipart-source', Body: body }, partSize: 5 * 1024 * 1024 }).done();
      const copied = await copy('multipart-copy', `${BUCKET}/multipart-source`);
      assert.equal(copied.CopyObjectResult?.ETag, `"${createHash('md5').update(body).digest('hex')}"`);
      const object = await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'multipart-copy', ChecksumMode: 'ENABLED' }));
      assert.equal(object.ChecksumType, 'FULL_OBJECT');
      assert.ok(object.ChecksumCRC32, 'a full-object CRC32, which the SDK verified while reading');
      assert.ok(Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(body));
    });

    it('refuses copying an object onto itself unless the metadata is replaced', async () => {
      await put('self', 'self');
      const refused = await rejection(copy('self', `${BUCKET}/self`));
      assert.equal(refused.name, 'InvalidRequest');
      assert.equal(refused.$metadata.httpStatusCode, 400);
      await copy('self', `${BUCKET}/self`, { MetadataDirective: 'REPLACE', Metadata: { touched: 'yes' } });
      assert.deepEqual((await emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'self' }))).Metadata, { touched: 'yes' });
    });

    it('checks the copy-source conditions: any failing one is 412', async () => {
      const { ETag } = await put('conditional-source', 'v1');
      assert.equal((await rejection(copy('c1', `${BUCKET}/conditional-source`, { CopySourceIfMatch: '"other"' }))).$metadata.httpStatusCode, 412);
      const unchanged = await rejection(copy('c2', `${BUCKET}/conditional-source`, { CopySourceIfNoneMatch: ETag }));
      assert.equal(unchanged.name, 'PreconditionFailed');
      assert.equal(unchanged.$metadata.httpStatusCode, 412);
      await copy('c3', `${BUCKET}/conditional-source`, { CopySourceIfMatch: ETag });
      assert.equal(await text('c3'), 'v1');
    });

    it('answers NoSuchKey, NoSuchBucket and InvalidArgument for bad sources', async () => {
      assert.equal((await rejection(copy('x', `${BUCKET}/no-such-key`))).name, 'NoSuchKey');
      assert.equal((await rejection(copy('x', 'no-such-bucket/key'))).name, 'NoSuchBucket');
      for (const source of ['just-a-bucket', `${BUCKET}/`, '/', `${BUCKET}/%zz`]) {
        const error = await rejection(copy('x', source));
        assert.equal(error.name, 'InvalidArgument', source);
        assert.equal(error.$metadata.httpStatusCode, 400, source);
      }
      assert.equal((await rejection(copy('x', `${BUCKET}/source.txt`, { MetadataDirective: 'MERGE' as 'COPY' }))).name, 'InvalidArgument');
    });
  });

  describe('DeleteObjects', () => {
    it('deletes several keys at once, missing ones too, and reports per-key errors', async () => {
      const names = ['batch/a', 'batch/b <&> "quoted"', 'batch/ü/日本', 'batch/kept'];
      for (const key of names) await put(key, key);
      const result = await emulator.s3.send(
        new DeleteObjectsCommand({
          Bucket: BUCKET,
          Delete: {
            Objects: [{ Key: names[0] }, { Key: names[1] }, { Key: names[2] }, { Key: 'batch/never-existed' }, { Key: names[3], VersionId: '3HL4kqtJlcpXroDTDmJ' }],
          },
        }),
      );
      assert.deepEqual(result.Deleted?.map((object) => object.Key), [names[0], names[1], names[2], 'batch/never-existed']);
      assert.deepEqual(result.Errors?.map((error) => [error.Key, error.Code]), [[names[3], 'NoSuchVersion']]);
      assert.deepEqual((await keys()).filter((key) => key?.startsWith('batch/')), ['batch/kept']);
    });

    it('reports only the errors in Quiet mode', async () => {
      await put('quiet/a', 'a');
      const result = await emulator.s3.send(
        new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Quiet: true, Objects: [{ Key: 'quiet/a' }, { Key: 'quiet/b', VersionId: 'v2' }] } }),
      );
      assert.equal(result.Deleted, undefined);
      assert.deepEqual(result.Errors?.map((error) => error.Key), ['quiet/b']);
      assert.equal((await keys()).includes('quiet/a'), false);
    });

    it('refuses more than 1000 keys, or none, with MalformedXML', async () => {
      const tooMany = Array.from({ length: 1001 }, (_, index) => ({ Key: `k${index}` }));
      for (const objects of [tooMany, []]) {
        const error = await rejection(emulator.s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: objects } })));
        assert.equal(error.name, 'MalformedXML');
        assert.equal(error.$metadata.httpStatusCode, 400);
      }
      assert.equal(
        (await rejection(emulator.s3.send(new DeleteObjectsCommand({ Bucket: 'no-such-bucket', Delete: { Objects: [{ Key: 'k' }] } })))).name,
        'NoSuchBucket',
      );
    });

    it('deletes the bodies with the objects', async () => {
      const listed = await keys();
      await emulator.s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: listed.map((key) => ({ Key: key })) } }));
      assert.deepEqual(await keys(), []);
      assert.deepEqual(readdirSync(join(emulator.dataDir, 'blobs')), ['tmp']);
    });
  });
});
