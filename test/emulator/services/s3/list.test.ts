// Emulator tests (a running emulator, the real AWS SDK v3 clients) of S3 ListObjectsV2.
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorization, rawRequest, rejection, startTestEmulator, type TestEmulator } from '../../helpers';
import { allPages } from '../../../../harness/waiting';

const BUCKET = 'listing-bucket';
const KEYS = [
  'data/readme.md',
  'data/train/part-000.jsonl',
  'data/train/part-001.jsonl',
  'data/train/part-002.jsonl',
  'data/validation/part-000.jsonl',
  'models/v1/model.tar.gz',
  'models/v2/model.tar.gz',
  'top-level.txt',
  // UTF-8 byte order puts U+E000 (EE 80 80) before U+1F600 (F0 9F 98 80), unlike UTF-16 order.
  'z/\uE000',
  'z/😀',
];

describe('S3 ListObjectsV2', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const key of [...KEYS].reverse()) await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
  });
  after(() => emulator.close());

  const list = (input: Partial<ConstructorParameters<typeof ListObjectsV2Command>[0]> = {}) =>
    emulator.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ...input }));

  it('lists every key in UTF-8 byte order with sizes and ETags', async () => {
    const result = await list();
    assert.deepEqual(result.Contents?.map((object) => object.Key), KEYS);
    assert.equal(result.KeyCount, KEYS.length);
    assert.equal(result.IsTruncated, false);
    assert.equal(result.Name, BUCKET);
    const first = result.Contents?.[0];
    assert.equal(first?.Size, Buffer.byteLength(KEYS[0]));
    assert.match(first?.ETag ?? '', /^"[0-9a-f]{32}"$/);
    assert.equal(first?.StorageClass, 'STANDARD');
  });

  it('rolls keys up into common prefixes with a delimiter', async () => {
    const top = await list({ Delimiter: '/' });
    assert.deepEqual(top.Contents?.map((object) => object.Key), ['top-level.txt']);
    assert.deepEqual(top.CommonPrefixes?.map((prefix) => prefix.Prefix), ['data/', 'models/', 'z/']);
    assert.equal(top.KeyCount, 4);

    const data = await list({ Prefix: 'data/', Delimiter: '/' });
    assert.deepEqual(data.Contents?.map((object) => object.Key), ['data/readme.md']);
    assert.deepEqual(data.CommonPrefixes?.map((prefix) => prefix.Prefix), ['data/train/', 'data/validation/']);
  });

  it('pages with MaxKeys and continuation tokens to the end', async () => {
    const seen: string[] = [];
    let pages = 0;
    for (const page of await allPages('the objects of the bucket', paginateListObjectsV2({ client: emulator.s3, pageSize: 3 }, { Bucket: BUCKET }), Math.ceil(KEYS.length / 3) + 1)) {
      pages += 1;
      assert.ok((page.KeyCount ?? 0) <= 3);
      seen.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
    }
    assert.deepEqual(seen, KEYS);
    assert.equal(pages, Math.ceil(KEYS.length / 3));
  });

  it('pages common prefixes without repeating them', async () => {
    const first = await list({ Delimiter: '/', MaxKeys: 1 });
    assert.deepEqual(first.CommonPrefixes?.map((prefix) => prefix.Prefix), ['data/']);
    assert.equal(first.IsTruncated, true);
    const second = await list({ Delimiter: '/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken });
    assert.deepEqual(second.CommonPrefixes?.map((prefix) => prefix.Prefix), ['models/']);
    assert.deepEqual(second.Contents?.map((object) => object.Key), ['top-level.txt']);
    assert.equal(second.ContinuationToken, first.NextContinuationToken);
    const third = await list({ Delimiter: '/', ContinuationToken: second.NextContinuationToken });
    assert.deepEqual(third.CommonPrefixes?.map((prefix) => prefix.Prefix), ['z/']);
    assert.equal(third.IsTruncated, false);
    assert.equal(third.NextContinuationToken, undefined);
  });

  it('starts after StartAfter and honours MaxKeys=0', async () => {
    const rest = await list({ StartAfter: 'models/v2/model.tar.gz' });
    assert.deepEqual(rest.Contents?.map((object) => object.Key), KEYS.slice(7));
    assert.equal(rest.StartAfter, 'models/v2/model.tar.gz');
    const none = await list({ MaxKeys: 0 });
    assert.equal(none.KeyCount, 0);
    assert.equal(none.Contents, undefined);
  });

  it('percent-encodes keys with encoding-type=url', async () => {
    const result = await list({ Prefix: 'z/', EncodingType: 'url' });
    assert.deepEqual(result.Contents?.map((object) => decodeURIComponent(object.Key ?? '')), ['z/\uE000', 'z/😀']);
    assert.equal(result.Contents?.[1]?.Key, 'z%2F%F0%9F%98%80');
  });

  it("lists each object's checksum algorithm and type (none for an object stored without one), and its owner only when asked", async () => {
    const bucket = 'checksum-listing';
    await emulator.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await emulator.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'with-sha256', Body: 'checked', ChecksumAlgorithm: 'SHA256' }));
    // A client that sends no checksum header (as curl or an older SDK does).
    const plain = await rawRequest(emulator.url, { method: 'PUT', path: `/${bucket}/without-checksum`, headers: authorization('s3'), body: 'unchecked' });
    assert.equal(plain.status, 200, plain.body);
    const listed = await emulator.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(
      listed.Contents?.map(({ Key, ChecksumAlgorithm, ChecksumType, Owner }) => ({ Key, ChecksumAlgorithm, ChecksumType, Owner })),
      [
        { Key: 'with-sha256', ChecksumAlgorithm: ['SHA256'], ChecksumType: 'FULL_OBJECT', Owner: undefined },
        { Key: 'without-checksum', ChecksumAlgorithm: undefined, ChecksumType: undefined, Owner: undefined },
      ],
    );
    // fetch-owner: the bucket owner's canonical ID, as ListBuckets gives it.
    const { Owner } = await emulator.s3.send(new ListBucketsCommand({}));
    assert.match(Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    const owned = await emulator.s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
    assert.deepEqual(owned.Contents?.map((object) => object.Owner?.ID), [Owner?.ID, Owner?.ID]);
  });

  it('refuses a bad continuation token, negative MaxKeys and a missing bucket', async () => {
    const badToken = await rejection(list({ ContinuationToken: 'not-a-token' }));
    assert.equal(badToken.name, 'InvalidArgument');
    assert.equal(badToken.$metadata.httpStatusCode, 400);
    const negative = await rejection(list({ MaxKeys: -1 }));
    const { ArgumentName, ArgumentValue } = negative as unknown as Record<string, unknown>;
    assert.deepEqual([negative.name, negative.message, ArgumentName, ArgumentValue], ['InvalidArgument', 'Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', '-1']);
    const missing = await rejection(emulator.s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })));
    assert.equal(missing.name, 'NoSuchBucket');
  });
});
