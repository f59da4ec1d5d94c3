// Multipart uploads through the SDK's commands and through @aws-sdk/lib-storage: completion rules and
// their errors, ETags and checksums as S3 makes them, paging of parts and uploads, and clean-up of
// the parts' bodies.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  UploadPartCommand,
  type UploadPartCommandInput,
  paginateListParts,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32Base64, patterned, rejection, startTestEmulator, type TestEmulator } from '../../../helpers';
import { allPages } from '../../../../../harness/waiting';

const BUCKET = 'multipart-bucket';
const MIB = 1024 * 1024;

function md5(data: Buffer): Buffer {
  return createHash('md5').update(data).digest();
}

describe('S3 multipart uploads', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(() => emulator.close());

  const blobFiles = () => readdirSync(join(emulator.dataDir, 'blobs')).filter((name) => name !== 'tmp');
  const create = async (key: string, extra: Partial<CreateMultipartUploadCommandInput> = {}) =>
    (await emulator.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ...extra }))).UploadId ?? '';
  const uploadPart = async (key: string, uploadId: string, partNumber: number, body: Buffer, extra: Partial<UploadPartCommandInput> = {}) => {
    const result = await emulator.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ...extra }));
    return { PartNumber: partNumber, ETag: result.ETag, ChecksumCRC32: result.ChecksumCRC32, ChecksumSHA256: result.ChecksumSHA256 };
  };
  const complete = (key: string, uploadId: string, parts: CompletedPart[]) =>
    emulator.s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
  const getBytes = async (key: string, range?: string) => {
    const object = await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: range }));
    return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  };

  it('uploads with lib-storage: the parts become one object with a multipart ETag and checksum', async () => {
    const body = patterned(11 * MIB + 12345, 1);
    const upload = new Upload({ client: emulator.s3, params: { Bucket: BUCKET, Key: 'lib-storage/model.bin', Body: body }, partSize: 5 * MIB });
    const result = await upload.done();
    const partMd5s = [0, 1, 2].map((index) => md5(body.subarray(index * 5 * MIB, (index + 1) * 5 * MIB)));
    const expectedEtag = `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-3"`;
    assert.equal(result.ETag, expectedEtag);
    // lib-storage asks for CRC32 part checksums; the object's is then COMPOSITE: the CRC32 of the parts' CRC32s.
    const partCrcs = [0, 1, 2].map((index) => Buffer.from(crc32Base64(body.subarray(index * 5 * MIB, (index + 1) * 5 * MIB)), 'base64'));
    assert.equal(result.ChecksumCRC32, `${crc32Base64(Buffer.concat(partCrcs))}-3`);
    assert.equal(result.ChecksumType, 'COMPOSITE');

    assert.ok((await getBytes('lib-storage/model.bin')).equals(body));
    const acrossParts = await getBytes('lib-storage/model.bin', `bytes=${5 * MIB - 3}-${10 * MIB + 2}`);
    assert.ok(acrossParts.equals(body.subarray(5 * MIB - 3, 10 * MIB + 3)), 'a range spanning three parts');
    const head = await emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'lib-storage/model.bin', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ETag, expectedEtag);
    assert.equal(head.ChecksumType, 'COMPOSITE');
    const listed = await emulator.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'lib-storage/' }));
    assert.equal(listed.Contents?.[0].Size, body.length);
  });

  it('completes a FULL_OBJECT CRC32 upload with the CRC32 of the whole body', async () => {
    const parts = [patterned(5 * MIB, 2), patterned(777, 3)];
    const uploadId = await create('full-object', { ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' });
    const uploaded = [await uploadPart('full-object', uploadId, 1, parts[0]), await uploadPart('full-object', uploadId, 2, parts[1])];
    const result = await complete('full-object', uploadId, uploaded);
    assert.equal(result.ChecksumCRC32, crc32Base64(Buffer.concat(parts)));
    assert.equal(result.ChecksumType, 'FULL_OBJECT');
    const object = await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'full-object', ChecksumMode: 'ENABLED' }));
    assert.equal(object.ChecksumCRC32, crc32Base64(Buffer.concat(parts)));
    assert.ok(Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(Buffer.concat(parts)), 'and the SDK verified it');
  });

  it('refuses a completion whose parts are out of order, unknown, mismatched or too small', async () => {
    const uploadId = await create('invalid');
    const first = await uploadPart('invalid', uploadId, 1, Buffer.from('small first part'));
    const second = await uploadPart('invalid', uploadId, 2, Buffer.from('last part'));

    const outOfOrder = await rejection(complete('invalid', uploadId, [second, first]));
    assert.equal(outOfOrder.name, 'InvalidPartOrder');
    assert.equal(outOfOrder.$metadata.httpStatusCode, 400);
    const unknown = await rejection(complete('invalid', uploadId, [first, { PartNumber: 3, ETag: second.ETag }]));
    assert.equal(unknown.name, 'InvalidPart');
    const wrongEtag = await rejection(complete('invalid', uploadId, [first, { ...second, ETag: '"0123456789abcdef0123456789abcdef"' }]));
    assert.equal(wrongEtag.name, 'InvalidPart');
    const tooSmall = await rejection(complete('invalid', uploadId, [first, second]));
    assert.equal(tooSmall.name, 'EntityTooSmall');
    assert.equal(tooSmall.$metadata.httpStatusCode, 400);
    const noParts = await rejection(complete('invalid', uploadId, []));
    assert.equal(noParts.name, 'MalformedXML');

    // None of that touched the upload: the last part alone is a valid object, and unquoted ETags are accepted.
    const result = await complete('invalid', uploadId, [{ PartNumber: 2, ETag: second.ETag?.replace(/"/g, '') }]);
    assert.match(result.ETag ?? '', /^"[0-9a-f]{32}-1"$/);
    assert.equal((await getBytes('invalid')).toString(), 'last part');
  });

  it('requires each part checksum of an upload created with a checksum algorithm', async () => {
    const uploadId = await create('checksummed', { ChecksumAlgorithm: 'SHA256' });
    const part = await uploadPart('checksummed', uploadId, 1, Buffer.from('checksummed part'), { ChecksumAlgorithm: 'SHA256' });
    const sha256 = createHash('sha256').update('checksummed part').digest('base64');
    assert.equal(part.ChecksumSHA256, sha256);
    const missing = await rejection(complete('checksummed', uploadId, [{ PartNumber: 1, ETag: part.ETag }]));
    assert.equal(missing.name, 'InvalidRequest');
    const mismatch = await rejection(
      emulator.s3.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: 'checksummed', UploadId: uploadId, PartNumber: 2, Body: 'x', ChecksumAlgorithm: 'CRC32C' }),
      ),
    );
    assert.equal(mismatch.name, 'InvalidRequest');
    assert.match(mismatch.message, /expected checksum Type: sha256, actual checksum Type: crc32c/);
    const wrong = await rejection(complete('checksummed', uploadId, [{ PartNumber: 1, ETag: part.ETag, ChecksumSHA256: 'AAAA' + sha256.slice(4) }]));
    assert.equal(wrong.name, 'InvalidPart');
    const result = await complete('checksummed', uploadId, [{ PartNumber: 1, ETag: part.ETag, ChecksumSHA256: sha256 }]);
    assert.equal(result.ChecksumSHA256, `${createHash('sha256').update(Buffer.from(sha256, 'base64')).digest('base64')}-1`);
  });

  it('answers NoSuchUpload for unknown, aborted and completed uploads, and for another key', async () => {
    const uploadId = await create('lifecycle');
    const wrongKey = await rejection(uploadPart('other-key', uploadId, 1, Buffer.from('x')));
    assert.equal(wrongKey.name, 'NoSuchUpload');
    assert.equal(wrongKey.$metadata.httpStatusCode, 404);
    const badNumber = await rejection(uploadPart('lifecycle', uploadId, 10001, Buffer.from('x')));
    assert.equal(badNumber.name, 'InvalidArgument');

    await uploadPart('lifecycle', uploadId, 1, patterned(1000, 4));
    const before = blobFiles().length;
    await emulator.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'lifecycle', UploadId: uploadId }));
    assert.equal(blobFiles().length, before - 1, "the aborted upload's part was deleted");
    for (const attempt of [
      () => uploadPart('lifecycle', uploadId, 2, Buffer.from('x')),
      () => complete('lifecycle', uploadId, [{ PartNumber: 1, ETag: '"x"' }]),
      () => emulator.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'lifecycle', UploadId: uploadId })),
      () => emulator.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'lifecycle', UploadId: 'no-such-upload' })),
    ]) {
      assert.equal((await rejection(attempt())).name, 'NoSuchUpload');
    }
    const missingBucket = await rejection(emulator.s3.send(new CreateMultipartUploadCommand({ Bucket: 'no-such-bucket', Key: 'k' })));
    assert.equal(missingBucket.name, 'NoSuchBucket');
  });

  it('keeps the latest of a part uploaded twice, and deletes parts left out of the completion', async () => {
    const before = blobFiles().length;
    const uploadId = await create('replaced-parts');
    await uploadPart('replaced-parts', uploadId, 1, patterned(5 * MIB, 5));
    const first = await uploadPart('replaced-parts', uploadId, 1, patterned(5 * MIB, 6));
    const last = await uploadPart('replaced-parts', uploadId, 2, Buffer.from('tail'));
    await uploadPart('replaced-parts', uploadId, 3, Buffer.from('never listed'));
    assert.equal(blobFiles().length, before + 3, 'the replaced part 1 is gone');
    await complete('replaced-parts', uploadId, [first, last]);
    assert.equal(blobFiles().length, before + 2, 'part 3 is gone; parts 1 and 2 are the body');
    assert.ok((await getBytes('replaced-parts')).equals(Buffer.concat([patterned(5 * MIB, 6), Buffer.from('tail')])));
  });

  it('lists parts page by page to the end', async () => {
    const uploadId = await create('many-parts', { ChecksumAlgorithm: 'CRC32' });
    for (let partNumber = 1; partNumber <= 7; partNumber++) await uploadPart('many-parts', uploadId, partNumber, Buffer.from(`part ${partNumber}`));
    const pages: number[][] = [];
    for (const page of await allPages('the parts of many-parts', paginateListParts({ client: emulator.s3, pageSize: 3 }, { Bucket: BUCKET, Key: 'many-parts', UploadId: uploadId }), 4)) {
      pages.push((page.Parts ?? []).map((part) => part.PartNumber ?? 0));
      assert.equal(page.ChecksumAlgorithm, 'CRC32');
      for (const part of page.Parts ?? []) assert.equal(part.ChecksumCRC32, crc32Base64(Buffer.from(`part ${part.PartNumber}`)));
    }
    assert.deepEqual(pages, [[1, 2, 3], [4, 5, 6], [7]]);
    // The edges of max-parts and part-number-marker: 0 and the last part are allowed, below 0 and a word refused.
    const listParts = (input: { MaxParts?: number; PartNumberMarker?: string }) => emulator.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'many-parts', UploadId: uploadId, ...input }));
    const none = await listParts({ MaxParts: 0 });
    assert.deepEqual([none.Parts ?? [], none.MaxParts], [[], 0]);
    const afterLast = await listParts({ PartNumberMarker: '7' });
    assert.deepEqual([afterLast.Parts ?? [], afterLast.IsTruncated], [[], false]);
    for (const [input, argument, value] of [
      [{ MaxParts: -1 }, 'max-parts', '-1'],
      [{ PartNumberMarker: '-1' }, 'part-number-marker', '-1'],
    ] as const) {
      const refused = await rejection(listParts(input));
      const { ArgumentName, ArgumentValue } = refused as unknown as Record<string, unknown>;
      assert.deepEqual([refused.name, refused.$metadata.httpStatusCode, ArgumentName, ArgumentValue], ['InvalidArgument', 400, argument, value], JSON.stringify(input));
      assert.equal(refused.message, `Argument ${argument} must be an integer between 0 and 2147483647`);
    }
    const word = await rejection(listParts({ PartNumberMarker: 'seven' }));
    assert.deepEqual([word.name, word.$metadata.httpStatusCode], ['InvalidArgument', 400], 'a marker that is not a number');
    // Who started the upload and owns it: the bucket owner's canonical ID, as ListBuckets gives it.
    const { Owner } = await emulator.s3.send(new ListBucketsCommand({}));
    const whole = await listParts({});
    assert.deepEqual([whole.Owner?.ID, whole.Initiator?.ID, whole.StorageClass], [Owner?.ID, Owner?.ID, 'STANDARD']);
    assert.match(Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    const listed = await emulator.s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'many-parts' }));
    assert.deepEqual(listed.Uploads?.map((upload) => [upload.Key, upload.UploadId]), [['many-parts', uploadId]]);
    await emulator.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'many-parts', UploadId: uploadId }));
  });

  it('lists uploads by key and initiation, with common prefixes, page by page to the end', async () => {
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'uploads-listing' }));
    const started: [string, string][] = [];
    for (const key of ['b/2', 'a', 'b/1', 'a', 'c']) {
      const { UploadId } = await emulator.s3.send(new CreateMultipartUploadCommand({ Bucket: 'uploads-listing', Key: key }));
      started.push([key, UploadId ?? '']);
    }
    const expected = [started[1], started[3], started[2], started[0], started[4]];
    const seen: [string, string][] = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (let pages = 1; ; pages++) {
      const page = await emulator.s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads-listing', MaxUploads: 2, ...markers }));
      seen.push(...(page.Uploads ?? []).map((upload): [string, string] => [upload.Key ?? '', upload.UploadId ?? '']));
      if (!page.IsTruncated) {
        assert.equal(pages, 3);
        break;
      }
      markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
    }
    assert.deepEqual(seen, expected);

    const rolledUp = await emulator.s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads-listing', Delimiter: '/', MaxUploads: 3 }));
    assert.deepEqual(rolledUp.Uploads?.map((upload) => upload.Key), ['a', 'a']);
    assert.deepEqual(rolledUp.CommonPrefixes?.map((prefix) => prefix.Prefix), ['b/']);
    assert.equal(rolledUp.NextKeyMarker, 'b/');
    const rest = await emulator.s3.send(
      new ListMultipartUploadsCommand({ Bucket: 'uploads-listing', Delimiter: '/', KeyMarker: rolledUp.NextKeyMarker, UploadIdMarker: rolledUp.NextUploadIdMarker }),
    );
    assert.deepEqual(rest.Uploads?.map((upload) => upload.Key), ['c']);
    assert.equal(rest.IsTruncated, false);

    // Deleting the bucket takes its uploads along: a new bucket of that name starts without them.
    await emulator.s3.send(new DeleteBucketCommand({ Bucket: 'uploads-listing' }));
    await emulator.s3.send(new CreateBucketCommand({ Bucket: 'uploads-listing' }));
    const fresh = await emulator.s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads-listing' }));
    assert.equal(fresh.Uploads, undefined);
  });

  it('keeps uploads in progress, their parts and completed objects across a restart', async () => {
    const uploadId = await create('restart');
    const first = await uploadPart('restart', uploadId, 1, patterned(5 * MIB, 7));
    await emulator.restart();
    const second = await uploadPart('restart', uploadId, 2, Buffer.from('after the restart'));
    await complete('restart', uploadId, [first, second]);
    await emulator.restart();
    assert.ok((await getBytes('restart')).equals(Buffer.concat([patterned(5 * MIB, 7), Buffer.from('after the restart')])));
  });
});
