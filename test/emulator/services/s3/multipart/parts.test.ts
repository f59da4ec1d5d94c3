// Parts beyond UploadPart: UploadPartCopy (whole objects and byte ranges of them, copy-source
// conditions, checksums, errors) and reading a completed object part by part (GetObject/HeadObject
// with partNumber), through the SDK.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandInput,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type UploadPartCopyCommandInput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32Base64, patterned, rawRequest, rejection, startTestEmulator, type TestEmulator } from '../../../helpers';

const BUCKET = 'parts-bucket';
const MIB = 1024 * 1024;

function md5Etag(data: Buffer): string {
  return `"${createHash('md5').update(data).digest('hex')}"`;
}

describe('S3 parts', () => {
  let emulator: TestEmulator;
  /** A single-part object and a multipart one (parts of 5 MiB, 5 MiB and 1 MiB + 7). */
  const single = patterned(6 * MIB + 3, 1);
  const multipart = patterned(11 * MIB + 7, 2);
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'single', Body: single, ChecksumAlgorithm: 'SHA256' }));
    await new Upload({ client: emulator.s3, params: { Bucket: BUCKET, Key: 'multipart', Body: multipart }, partSize: 5 * MIB }).done();
  });
  after(() => emulator.close());

  const blobFiles = () => readdirSync(join(emulator.dataDir, 'blobs')).filter((name) => name !== 'tmp');
  const create = async (key: string, extra: Partial<CreateMultipartUploadCommandInput> = {}) =>
    (await emulator.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ...extra }))).UploadId ?? '';
  const copyPart = (key: string, uploadId: string, partNumber: number, copySource: string, extra: Partial<UploadPartCopyCommandInput> = {}) =>
    emulator.s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: partNumber, CopySource: copySource, ...extra }));
  const complete = (key: string, uploadId: string, parts: CompletedPart[]) =>
    emulator.s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
  const getBytes = async (key: string, extra: Partial<GetObjectCommandInput> = {}) => {
    const object = await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...extra }));
    return { object, bytes: Buffer.from((await object.Body?.transformToByteArray()) ?? []) };
  };

  describe('UploadPartCopy', () => {
    it('copies whole objects and byte ranges into parts that complete into one object, even after a restart', async () => {
      const temporary = patterned(5 * MIB + 1, 5);
      await emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'temporary', Body: temporary }));
      const uploadId = await create('assembled');
      const whole = await copyPart('assembled', uploadId, 1, `${BUCKET}/temporary`);
      assert.equal(whole.CopyPartResult?.ETag, md5Etag(temporary));
      assert.ok(whole.CopyPartResult?.LastModified instanceof Date);
      // A range across the first two parts of the multipart source.
      const acrossParts = multipart.subarray(4 * MIB, 9 * MIB + 100);
      const ranged = await copyPart('assembled', uploadId, 2, `/${BUCKET}/multipart`, { CopySourceRange: `bytes=${4 * MIB}-${9 * MIB + 99}` });
      assert.equal(ranged.CopyPartResult?.ETag, md5Etag(acrossParts));
      const uploaded = await emulator.s3.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: 'assembled', UploadId: uploadId, PartNumber: 3, Body: 'and a tail' }),
      );
      const listed = await emulator.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'assembled', UploadId: uploadId }));
      assert.deepEqual(listed.Parts?.map((part) => [part.PartNumber, part.Size, part.ETag]), [
        [1, temporary.length, whole.CopyPartResult?.ETag],
        [2, acrossParts.length, ranged.CopyPartResult?.ETag],
        [3, 10, uploaded.ETag],
      ]);

      // The parts are copies, durable once acknowledged: neither a restart nor the source's deletion touches them.
      await emulator.restart();
      await emulator.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'temporary' }));
      await complete('assembled', uploadId, [
        { PartNumber: 1, ETag: whole.CopyPartResult?.ETag },
        { PartNumber: 2, ETag: ranged.CopyPartResult?.ETag },
        { PartNumber: 3, ETag: uploaded.ETag },
      ]);
      const { bytes } = await getBytes('assembled');
      assert.ok(bytes.equals(Buffer.concat([temporary, acrossParts, Buffer.from('and a tail')])));
    });

    it("keeps the copied part's checksum in the upload's algorithm, and none without one", async () => {
      const checksummed = await create('copied-checksum', { ChecksumAlgorithm: 'CRC32' });
      const range = multipart.subarray(10, 1000);
      const part = await copyPart('copied-checksum', checksummed, 1, `${BUCKET}/multipart`, { CopySourceRange: 'bytes=10-999' });
      assert.equal(part.CopyPartResult?.ChecksumCRC32, crc32Base64(range));
      const result = await complete('copied-checksum', checksummed, [
        { PartNumber: 1, ETag: part.CopyPartResult?.ETag, ChecksumCRC32: part.CopyPartResult?.ChecksumCRC32 },
      ]);
      assert.equal(result.ChecksumCRC32, `${crc32Base64(Buffer.from(crc32Base64(range), 'base64'))}-1`);

      const plain = await create('copied-plain');
      const plainPart = await copyPart('copied-plain', plain, 1, `${BUCKET}/single`, { CopySourceRange: 'bytes=0-0' });
      assert.equal(plainPart.CopyPartResult?.ChecksumSHA256, undefined, "the source's own checksum is not the part's");
      assert.equal(plainPart.CopyPartResult?.ChecksumCRC32, undefined);
      await emulator.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'copied-plain', UploadId: plain }));
    });

    it('checks the copy-source conditions as CopyObject does: any failing one is 412', async () => {
      const uploadId = await create('conditional');
      const { ETag } = await emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'multipart' }));
      const source = `${BUCKET}/multipart`;
      for (const conditions of [
        { CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' },
        { CopySourceIfNoneMatch: ETag },
        { CopySourceIfModifiedSince: new Date(Date.now() + 3600_000) },
        { CopySourceIfUnmodifiedSince: new Date(Date.now() - 3600_000) },
      ]) {
        const failed = await rejection(copyPart('conditional', uploadId, 1, source, { CopySourceRange: 'bytes=0-9', ...conditions }));
        assert.equal(failed.name, 'PreconditionFailed', JSON.stringify(conditions));
        assert.equal(failed.$metadata.httpStatusCode, 412);
      }
      const copied = await copyPart('conditional', uploadId, 1, source, { CopySourceRange: 'bytes=0-9', CopySourceIfMatch: ETag });
      assert.equal(copied.CopyPartResult?.ETag, md5Etag(multipart.subarray(0, 10)));
      await emulator.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'conditional', UploadId: uploadId }));
    });

    it('answers bad ranges, sources, uploads and part numbers as S3 does, and stores nothing for them', async () => {
      const uploadId = await create('refused');
      const blobsBefore = blobFiles().length;
      for (const range of ['byte=100-200', 'bytes=invalid-range', 'bytes=200-100', 'bytes=-2-300', 'bytes=aa-12', 'bytes=12-aa', 'bytes=bb-', 'bytes=5-', 'bytes=-5']) {
        const error = await rejection(copyPart('refused', uploadId, 1, `${BUCKET}/single`, { CopySourceRange: range }));
        assert.equal(error.name, 'InvalidArgument', range);
        assert.equal(error.$metadata.httpStatusCode, 400, range);
        assert.match(error.message, /^The x-amz-copy-source-range value must be of the form bytes=first-last/, range);
      }
      for (const range of [`bytes=100-${single.length}`, `bytes=${single.length}-${single.length + 10}`]) {
        const error = await rejection(copyPart('refused', uploadId, 1, `${BUCKET}/single`, { CopySourceRange: range }));
        assert.equal(error.name, 'InvalidArgument', range);
        assert.equal(error.message, `Range specified is not valid for source object of size: ${single.length}`);
      }
      const noKey = await rejection(copyPart('refused', uploadId, 1, `${BUCKET}/no-such-key`));
      assert.equal(noKey.name, 'NoSuchKey');
      assert.equal(noKey.$metadata.httpStatusCode, 404);
      assert.equal((await rejection(copyPart('refused', uploadId, 1, 'no-such-bucket/single'))).name, 'NoSuchBucket');
      assert.equal((await rejection(copyPart('refused', uploadId, 1, 'just-a-bucket'))).name, 'InvalidArgument');
      assert.equal((await rejection(copyPart('refused', 'no-such-upload', 1, `${BUCKET}/single`))).name, 'NoSuchUpload');
      assert.equal((await rejection(copyPart('refused', uploadId, 10001, `${BUCKET}/single`))).name, 'InvalidArgument');

      const listed = await emulator.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'refused', UploadId: uploadId }));
      assert.equal(listed.Parts, undefined);
      assert.equal(blobFiles().length, blobsBefore);
      await emulator.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'refused', UploadId: uploadId }));
    });
  });

  describe('GetObject and HeadObject by part number', () => {
    it("returns a multipart object's part with its range, the object's ETag and the parts count", async () => {
      const head = await emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'multipart' }));
      assert.equal(head.PartsCount, undefined, 'only a read by part number counts the parts');
      const parts = [multipart.subarray(0, 5 * MIB), multipart.subarray(5 * MIB, 10 * MIB), multipart.subarray(10 * MIB)];
      for (const [index, expected] of parts.entries()) {
        const start = index * 5 * MIB;
        const { object, bytes } = await getBytes('multipart', { PartNumber: index + 1 });
        assert.equal(object.$metadata.httpStatusCode, 206);
        assert.ok(bytes.equals(expected), `part ${index + 1}`);
        assert.equal(object.ContentLength, expected.length);
        assert.equal(object.ContentRange, `bytes ${start}-${start + expected.length - 1}/${multipart.length}`);
        assert.equal(object.ETag, head.ETag, "the whole object's ETag");
        assert.equal(object.PartsCount, 3);
        const partHead = await emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'multipart', PartNumber: index + 1 }));
        assert.equal(partHead.ContentLength, expected.length);
        assert.equal(partHead.ContentRange, object.ContentRange);
        assert.equal(partHead.PartsCount, 3);
      }
    });

    it("sends the part's own checksum, which the SDK verifies", async () => {
      const parts = [patterned(5 * MIB, 3), patterned(1234, 4)];
      const uploadId = await create('checksummed-parts', { ChecksumAlgorithm: 'CRC32' });
      const uploaded = await Promise.all(
        parts.map(async (body, index) => {
          const result = await emulator.s3.send(
            new UploadPartCommand({ Bucket: BUCKET, Key: 'checksummed-parts', UploadId: uploadId, PartNumber: index + 1, Body: body }),
          );
          return { PartNumber: index + 1, ETag: result.ETag, ChecksumCRC32: result.ChecksumCRC32 };
        }),
      );
      await complete('checksummed-parts', uploadId, uploaded);
      for (const [index, body] of parts.entries()) {
        const { object, bytes } = await getBytes('checksummed-parts', { PartNumber: index + 1, ChecksumMode: 'ENABLED' });
        assert.equal(object.ChecksumCRC32, crc32Base64(body));
        assert.ok(bytes.equals(body));
      }
    });

    it('reads part 1 of a single-part object as all of it, without a parts count', async () => {
      const { object, bytes } = await getBytes('single', { PartNumber: 1, ChecksumMode: 'ENABLED' });
      assert.equal(object.$metadata.httpStatusCode, 206);
      assert.ok(bytes.equals(single));
      assert.equal(object.ContentRange, `bytes 0-${single.length - 1}/${single.length}`);
      assert.equal(object.PartsCount, undefined);
      assert.equal(object.ChecksumSHA256, createHash('sha256').update(single).digest('base64'));
    });

    it('refuses part numbers past the last part (416), out of bounds, or with a Range', async () => {
      const pastSingle = await rejection(getBytes('single', { PartNumber: 2 }));
      assert.equal(pastSingle.name, 'InvalidPartNumber');
      assert.equal(pastSingle.$metadata.httpStatusCode, 416);
      assert.equal(pastSingle.message, 'The requested partnumber is not satisfiable');
      assert.equal((await rejection(getBytes('multipart', { PartNumber: 4 }))).name, 'InvalidPartNumber');
      const headPast = await rejection(emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'multipart', PartNumber: 4 })));
      assert.equal(headPast.$metadata.httpStatusCode, 416);
      for (const partNumber of ['0', '10001', 'one']) {
        const response = await rawRequest(emulator.url, { path: `/${BUCKET}/multipart?partNumber=${partNumber}` });
        assert.equal(response.status, 400, partNumber);
        assert.match(response.body, /<Code>InvalidArgument<\/Code>/, partNumber);
      }
      const both = await rejection(getBytes('multipart', { PartNumber: 1, Range: 'bytes=0-1' }));
      assert.equal(both.name, 'InvalidRequest');
      assert.equal(both.message, 'Cannot specify both Range header and partNumber query parameter');
    });
  });
});
