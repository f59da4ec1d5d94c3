// The Datasets view's S3 reads (src/pipeline/datasets.ts and s3Text.ts) against an in-process
// emulator through the real SDK: buckets, a prefix's folders and objects a page at a time (the folder
// marker left out), every object at all depths, S3 URIs, and which objects open as text — at the
// 10 MB limit and one byte past it (whyNotText; one object past it through the SDK), by name and by
// their first bytes.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { baseName, listAllObjects, listBuckets, listPrefix, parseS3Uri } from '../../../../src/pipeline/datasets';
import { isTextName, looksLikeText, MAX_TEXT_OBJECT_BYTES, readTextObject, whyNotText } from '../../../../src/pipeline/s3Text';
import { resourceOf } from '../../../../src/failures/resources';
import { startTestEmulator, type TestEmulator } from '../../../emulator/helpers';

const BUCKET = 'datasets';

describe('datasets against the emulator', () => {
  let emulator: TestEmulator;
  const put = (key: string, body: string | Uint8Array = key) => emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'another-bucket' }));
    for (const key of ['data/', 'data/train/a.jsonl', 'data/train/b.jsonl', 'data/valid/c.jsonl', 'data/readme.md', 'data/z.csv', 'top.txt']) await put(key);
  });
  after(() => emulator.close());

  it('lists every bucket by name', async () => {
    assert.deepEqual((await listBuckets(emulator.s3)).map((bucket) => bucket.name).sort(), ['another-bucket', BUCKET]);
  });

  it("lists a prefix's folders and objects, leaving out the folder marker named like the prefix", async () => {
    const page = await listPrefix(emulator.s3, BUCKET, 'data/');
    assert.deepEqual(page.prefixes, ['data/train/', 'data/valid/']);
    assert.deepEqual(
      page.objects.map((object) => [object.bucket, object.key, object.size]),
      [
        [BUCKET, 'data/readme.md', 'data/readme.md'.length],
        [BUCKET, 'data/z.csv', 'data/z.csv'.length],
      ],
    );
    assert.equal(page.nextToken, undefined, 'one page holds it all');
    const root = await listPrefix(emulator.s3, BUCKET, '');
    assert.deepEqual([root.prefixes, root.objects.map((object) => object.key)], [['data/'], ['top.txt']]);
  });

  it('pages a prefix with a token until the last page, which has none', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let pages = 1; ; pages++) {
      assert.ok(pages <= 5, 'five entries (the folder marker one of them), one a page, end within five pages');
      const page = await listPrefix(emulator.s3, BUCKET, 'data/', token, 1);
      seen.push(...page.prefixes, ...page.objects.map((object) => object.key));
      token = page.nextToken;
      if (!token) break;
    }
    assert.deepEqual(seen, ['data/readme.md', 'data/train/', 'data/valid/', 'data/z.csv']);
  });

  it("names the bucket a listing failed for, so the failure says which", async () => {
    const error = await listPrefix(emulator.s3, 'no-such-bucket', '').then(
      () => assert.fail('listed a missing bucket'),
      (failure: unknown) => failure,
    );
    assert.equal((error as Error).name, 'NoSuchBucket');
    assert.deepEqual(resourceOf(error), { kind: 'bucket', name: 'no-such-bucket' });
  });

  it('lists every object under a prefix at all depths, the folder marker included', async () => {
    const keys: string[] = [];
    for await (const page of listAllObjects(emulator.s3, BUCKET, 'data/')) keys.push(...page.map((object) => object.key));
    assert.deepEqual(keys, ['data/', 'data/readme.md', 'data/train/a.jsonl', 'data/train/b.jsonl', 'data/valid/c.jsonl', 'data/z.csv']);
  });

  it('reads a text object whole, and refuses binary bytes under a name that does not say', async () => {
    await put('notes/plain', 'héllo\nwörld');
    assert.equal(await readTextObject(emulator.s3, BUCKET, 'notes/plain'), 'héllo\nwörld');
    await put('notes/blob', new Uint8Array([0x68, 0x00, 0x69]));
    await assert.rejects(readTextObject(emulator.s3, BUCKET, 'notes/blob'), /notes\/blob is not text \(it holds binary data\)\. Download it/);
    await put('notes/model.safetensors', 'looks like text');
    await assert.rejects(readTextObject(emulator.s3, BUCKET, 'notes/model.safetensors'), /is not a text file\. Download it/);
  });

  it('refuses an object one byte over 10 MB before reading it (its size from HeadObject)', async () => {
    await put('big/over.txt', new Uint8Array(MAX_TEXT_OBJECT_BYTES + 1).fill(0x61));
    await assert.rejects(readTextObject(emulator.s3, BUCKET, 'big/over.txt'), /big\/over\.txt is 10(\.0)? MB \(10,485,761 bytes\): only objects up to 10(\.0)? MB \(10,485,760 bytes\) open in an editor\. Download it instead\./);
  });
});

describe('datasets without a service', () => {
  it('parses s3:// URIs into bucket and key, and nothing else', () => {
    assert.deepEqual(parseS3Uri('s3://bucket/a/b.txt'), { bucket: 'bucket', key: 'a/b.txt' });
    assert.deepEqual(parseS3Uri('s3://bucket'), { bucket: 'bucket', key: '' });
    assert.deepEqual(parseS3Uri('s3://bucket/'), { bucket: 'bucket', key: '' });
    for (const other of ['https://bucket/a', 's3:/bucket/a', 's3:///a', 'bucket/a', '']) assert.equal(parseS3Uri(other), undefined, other);
  });

  it('names the last segment of a key, or of a folder with its slash', () => {
    assert.equal(baseName('data/train/a.jsonl'), 'a.jsonl');
    assert.equal(baseName('data/train/'), 'train/');
    assert.equal(baseName('top.txt'), 'top.txt');
    assert.equal(baseName('top/'), 'top/');
  });

  it('knows text by its extension, whatever its case, and not by a folder that has a dot', () => {
    for (const key of ['a.jsonl', 'dir/B.CSV', 'x.py', 'notes.md', 'c.yaml']) assert.equal(isTextName(key), true, key);
    for (const key of ['a.gz', 'model.safetensors', 'noextension', 'v1.2/data', 'dir.json/file']) assert.equal(isTextName(key), false, key);
  });

  it('sniffs text: no NUL byte, valid UTF-8, a character cut at the end of a sample allowed', () => {
    const text = Buffer.from('naïve café');
    assert.equal(looksLikeText(text, true), true);
    assert.equal(looksLikeText(Buffer.from([0x61, 0x00]), true), false, 'a NUL byte');
    assert.equal(looksLikeText(Buffer.from([0xff, 0xfe, 0x61]), true), false, 'not UTF-8');
    const cut = text.subarray(0, 3); // "na" and the first byte of "ï"
    assert.equal(looksLikeText(cut, false), true, 'a sample may end inside a character');
    assert.equal(looksLikeText(cut, true), false, 'a whole object may not');
  });

  it('says why an object will not open as text: over 10 MB, or a binary format by name', () => {
    assert.equal(whyNotText('a.txt', MAX_TEXT_OBJECT_BYTES), undefined);
    assert.match(whyNotText('a.txt', MAX_TEXT_OBJECT_BYTES + 1) ?? '', /^a\.txt is .*\(10,485,761 bytes\)/);
    assert.match(whyNotText('m.PT', 10) ?? '', /^m\.PT is not a text file/);
    assert.equal(whyNotText('unknown.bin2', 10), undefined, 'an unknown extension is sniffed, not refused');
  });
});
