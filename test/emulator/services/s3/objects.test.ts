// Emulator tests (a running emulator, the real AWS SDK v3 clients) of S3 objects.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { crc32Base64, rawRequest, rejection, startTestEmulator, type TestEmulator } from '../../helpers';

const BUCKET = 'objects-bucket';

function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** Every file under `directory`, relative to it. */
function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath ?? entry.path, entry.name)));
}

describe('S3 objects', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(() => emulator.close());

  const get = (key: string, extra: Partial<ConstructorParameters<typeof GetObjectCommand>[0]> = {}) =>
    emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...extra }));
  const put = (key: string, body: string | Buffer | Readable, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) =>
    emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ...extra }));

  it('stores an object with its content type and user metadata', async () => {
    const put1 = await put('docs/readme.txt', 'hello world', { ContentType: 'text/plain', Metadata: { Owner: 'alice', purpose: 'test' } });
    assert.equal(put1.ETag, `"${md5Hex('hello world')}"`);
    assert.equal(put1.ChecksumCRC32, crc32Base64(Buffer.from('hello world')), 'the checksum the SDK sent is echoed');

    const object = await get('docs/readme.txt');
    assert.equal(await object.Body?.transformToString(), 'hello world');
    assert.equal(object.ContentType, 'text/plain');
    assert.equal(object.ContentLength, 11);
    assert.equal(object.ETag, put1.ETag);
    assert.deepEqual(object.Metadata, { owner: 'alice', purpose: 'test' });
    assert.ok(object.LastModified instanceof Date);

    const head = await emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'docs/readme.txt' }));
    assert.equal(head.ContentLength, 11);
    assert.equal(head.ETag, put1.ETag);
    assert.equal(head.AcceptRanges, 'bytes');
  });

  it('answers the empty tag set of an untagged object (what the AWS CLI reads to copy it), and NoSuchKey for a missing one', async () => {
    await put('untagged', 'x');
    const tagging = await emulator.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'untagged' }));
    assert.deepEqual(tagging.TagSet, []);
    const missing = await rejection(emulator.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'no-such-key' })));
    assert.equal(missing.name, 'NoSuchKey');
  });

  it('defaults the content type to binary/octet-stream', async () => {
    await rawRequest(emulator.url, { method: 'PUT', path: `/${BUCKET}/untyped`, body: 'x' });
    assert.equal((await get('untyped')).ContentType, 'binary/octet-stream');
  });

  it('returns the stored checksum when asked, which the SDK then verifies', async () => {
    await put('checked', 'some content', { ChecksumAlgorithm: 'SHA256' });
    const object = await get('checked', { ChecksumMode: 'ENABLED' });
    assert.equal(object.ChecksumSHA256, createHash('sha256').update('some content').digest('base64'));
    assert.equal(await object.Body?.transformToString(), 'some content');
  });

  it('computes CRC32C like the SDK does', async () => {
    const stored = await put('crc32c', Buffer.from('123456789'), { ChecksumAlgorithm: 'CRC32C' });
    assert.equal(stored.ChecksumCRC32C, Buffer.from('e3069283', 'hex').toString('base64'));
  });

  it('refuses a body that does not match Content-MD5 or a checksum: BadDigest', async () => {
    await put('md5-ok', 'payload', { ContentMD5: createHash('md5').update('payload').digest('base64') });
    const badMd5 = await rejection(put('md5-bad', 'payload', { ContentMD5: createHash('md5').update('other').digest('base64') }));
    assert.equal(badMd5.name, 'BadDigest');
    assert.equal(badMd5.$metadata.httpStatusCode, 400);
    const badCrc = await rejection(put('crc-bad', 'payload', { ChecksumCRC32: 'AAAAAA==' }));
    assert.equal(badCrc.name, 'BadDigest');
    const invalidMd5 = await rejection(put('md5-invalid', 'payload', { ContentMD5: 'not-base64' }));
    assert.equal(invalidMd5.name, 'InvalidDigest');
    for (const key of ['md5-bad', 'crc-bad', 'md5-invalid']) {
      assert.equal((await rejection(get(key))).name, 'NoSuchKey', `${key} was not stored`);
    }
  });

  it('serves byte ranges with 206 and Content-Range, and 416 past the end', async () => {
    await put('digits', '0123456789');
    const middle = await get('digits', { Range: 'bytes=2-5' });
    assert.equal(middle.$metadata.httpStatusCode, 206);
    assert.equal(middle.ContentRange, 'bytes 2-5/10');
    assert.equal(middle.ContentLength, 4);
    assert.equal(await middle.Body?.transformToString(), '2345');
    assert.equal(await (await get('digits', { Range: 'bytes=-3' })).Body?.transformToString(), '789');
    assert.equal(await (await get('digits', { Range: 'bytes=7-' })).Body?.transformToString(), '789');
    assert.equal(await (await get('digits', { Range: 'bytes=8-100' })).Body?.transformToString(), '89');
    const whole = await get('digits', { Range: 'bytes=5-2' });
    assert.equal(whole.$metadata.httpStatusCode, 200, 'an invalid range is ignored, as S3 does');
    assert.equal(await whole.Body?.transformToString(), '0123456789');
    const beyond = await rejection(get('digits', { Range: 'bytes=10-20' }));
    assert.equal(beyond.name, 'InvalidRange');
    assert.equal(beyond.$metadata.httpStatusCode, 416);
  });

  it('answers conditional requests: 304 for If-None-Match, 412 for If-Match', async () => {
    const { ETag } = await put('conditional', 'v1');
    const notModified = await rejection(get('conditional', { IfNoneMatch: ETag }));
    assert.equal(notModified.$metadata.httpStatusCode, 304);
    const changed = await get('conditional', { IfNoneMatch: '"something-else"' });
    assert.equal(await changed.Body?.transformToString(), 'v1');
    const future = new Date(Date.now() + 3600_000);
    assert.equal((await rejection(get('conditional', { IfModifiedSince: future }))).$metadata.httpStatusCode, 304);
    const failed = await rejection(get('conditional', { IfMatch: '"something-else"' }));
    assert.equal(failed.name, 'PreconditionFailed');
    assert.equal(failed.$metadata.httpStatusCode, 412);
    assert.equal(await (await get('conditional', { IfMatch: ETag })).Body?.transformToString(), 'v1');
  });

  it('answers NoSuchKey, NoSuchBucket, and NotFound to HEAD', async () => {
    const missingKey = await rejection(get('no/such/key'));
    assert.equal(missingKey.name, 'NoSuchKey');
    assert.equal(missingKey.$metadata.httpStatusCode, 404);
    const missingBucket = await rejection(emulator.s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })));
    assert.equal(missingBucket.name, 'NoSuchBucket');
    const head = await rejection(emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'no/such/key' })));
    assert.equal(head.name, 'NotFound');
    assert.equal(head.$metadata.httpStatusCode, 404);
  });

  it('streams a multi-chunk upload (aws-chunked with a trailing checksum)', async () => {
    const chunks = Array.from({ length: 12 }, (_, index) => Buffer.alloc(100_000 + index, index));
    const whole = Buffer.concat(chunks);
    const stored = await put('streamed.bin', Readable.from(chunks), { ContentLength: whole.length });
    assert.equal(stored.ETag, `"${md5Hex(whole)}"`);
    assert.equal(stored.ChecksumCRC32, crc32Base64(whole), 'the trailing checksum was verified and kept');
    const object = await get('streamed.bin', { ChecksumMode: 'ENABLED' });
    const body = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    assert.equal(body.length, whole.length);
    assert.ok(body.equals(whole));
  });

  it('refuses an aws-chunked body whose trailing checksum or length is wrong', async () => {
    const chunked = (data: string, trailer: string) => `${data.length.toString(16)}\r\n${data}\r\n0\r\n${trailer}\r\n\r\n`;
    const headers = (decodedLength: number) => ({
      'Content-Encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': String(decodedLength),
      'x-amz-sdk-checksum-algorithm': 'CRC32',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    });
    const good = chunked('hello', `x-amz-checksum-crc32:${crc32Base64(Buffer.from('hello'))}`);
    const accepted = await rawRequest(emulator.url, { method: 'PUT', path: `/${BUCKET}/chunked-ok`, headers: headers(5), body: good });
    assert.equal(accepted.status, 200);
    assert.equal(await (await get('chunked-ok')).Body?.transformToString(), 'hello');

    const badChecksum = await rawRequest(emulator.url, {
      method: 'PUT',
      path: `/${BUCKET}/chunked-bad`,
      headers: headers(5),
      body: chunked('hello', 'x-amz-checksum-crc32:AAAAAA=='),
    });
    assert.equal(badChecksum.status, 400);
    assert.match(badChecksum.body, /<Code>BadDigest<\/Code>/);
    const wrongLength = await rawRequest(emulator.url, { method: 'PUT', path: `/${BUCKET}/chunked-short`, headers: headers(9), body: good });
    assert.equal(wrongLength.status, 400);
    assert.match(wrongLength.body, /<Code>IncompleteBody<\/Code>/);
    const garbage = await rawRequest(emulator.url, { method: 'PUT', path: `/${BUCKET}/chunked-garbage`, headers: headers(5), body: 'zz\r\nhello' });
    assert.equal(garbage.status, 400);
    assert.match(garbage.body, /<Code>InvalidRequest<\/Code>/);
  });

  it('replaces an object and deletes the replaced body', async () => {
    await put('replaced', 'first version');
    await put('replaced', 'second');
    assert.equal(await (await get('replaced')).Body?.transformToString(), 'second');
    await emulator.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'replaced' }));
    assert.equal((await rejection(get('replaced'))).name, 'NoSuchKey');
    const deleteAgain = await emulator.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'replaced' }));
    assert.equal(deleteAgain.$metadata.httpStatusCode, 204, 'deleting a missing key succeeds');

    const listed = await emulator.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const blobFiles = filesUnder(join(emulator.dataDir, 'blobs'));
    assert.equal(blobFiles.length, listed.KeyCount, 'one body file per object, none left over');
  });

  it('keeps keys that look like paths as keys, inside the data directory', async () => {
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'traversal-bucket' }));
    const keys = ['../../etc/passwd', '../outside', '/absolute/path', '//double', 'a/../b', '.', '..', 'nul\u0000byte', 'ctrl\u0001\u001f', 'cr\rlf\n', 'tab\t', 'percent%2F%00', 'space and+plus', 'ünïcödé/日本/😀', '\uE000private', '<xml>&amp;"\''];
    for (const key of keys) {
      await emulator.s3.send(new PutObjectCommand({ Bucket: 'traversal-bucket', Key: key, Body: `body of ${key}` }));
    }
    for (const key of keys) {
      const object = await emulator.s3.send(new GetObjectCommand({ Bucket: 'traversal-bucket', Key: key }));
      assert.equal(await object.Body?.transformToString(), `body of ${key}`, JSON.stringify(key));
    }
    const listed = await emulator.s3.send(new ListObjectsV2Command({ Bucket: 'traversal-bucket' }));
    assert.deepEqual(new Set(listed.Contents?.map((object) => object.Key)), new Set(keys));

    assert.deepEqual(readdirSync(emulator.root), ['data'], 'nothing was written next to the data directory');
    for (const file of filesUnder(emulator.dataDir)) {
      assert.match(file, /^(store\/(wal\.log|snapshot\.json)|blobs\/[0-9a-f]{32})$/, file);
    }
  });

  it('keeps the connection usable after refusing a large upload it did not read', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 7);
    for (const streamed of [false, true]) {
      const error = await rejection(
        emulator.s3.send(
          new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'big', Body: streamed ? Readable.from([body]) : body, ContentLength: body.length }),
        ),
      );
      assert.equal(error.name, 'NoSuchBucket');
      // The same keep-alive client goes on working.
      await put(`after-refusal-${streamed}`, 'still fine');
    }
  });

  it('refuses keys longer than 1024 bytes and oversized metadata', async () => {
    assert.equal((await rejection(put('k'.repeat(1025), 'x'))).name, 'KeyTooLongError');
    assert.equal((await rejection(put('meta', 'x', { Metadata: { big: 'v'.repeat(2100) } }))).name, 'MetadataTooLarge');
  });
});
