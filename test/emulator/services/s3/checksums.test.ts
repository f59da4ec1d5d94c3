// CRC64NVME (the checksum S3 now defaults to) verified as the SDK sends it — a header for a buffered
// body, an aws-chunked trailer for a stream, per part and combined into a multipart object's
// FULL_OBJECT checksum — and checksum values S3 refuses as malformed rather than mismatched.
import {
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Crc64Nvme } from '@aws-sdk/checksums/crc';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { patterned, rawRequest, rejection, startTestEmulator, type TestEmulator } from '../../helpers';

const BUCKET = 'checksums-bucket';
const MIB = 1024 * 1024;
/** CRC-64/NVME of the ASCII digits 1 to 9 (the algorithm's published check value, 0xae8b14860a799888). */
const CHECK_VALUE = Buffer.from('ae8b14860a799888', 'hex').toString('base64');
/** The same 8 bytes, but base64 with a non-zero padding bit: the value is malformed, not wrong. */
const NON_CANONICAL = `${CHECK_VALUE.slice(0, -2)}h=`;
/** Well-formed, but another value. */
const WRONG = Buffer.from('ae8b14860a799889', 'hex').toString('base64');

async function crc64(data: Buffer): Promise<string> {
  const digest = new Crc64Nvme();
  digest.update(data);
  return Buffer.from(await digest.digest()).toString('base64');
}

describe('S3 checksums', () => {
  let emulator: TestEmulator;
  before(async () => {
    emulator = await startTestEmulator();
    await emulator.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(() => emulator.close());

  const put = (key: string, body: PutObjectCommandInput['Body'], extra: Partial<PutObjectCommandInput> = {}) =>
    emulator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ...extra }));
  const missing = async (key: string) => (await rejection(emulator.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })))).$metadata.httpStatusCode === 404;

  it('verifies and keeps the CRC64NVME of a buffered body (a header), which GetObject returns for the SDK to verify', async () => {
    const stored = await put('digits', Buffer.from('123456789'), { ChecksumAlgorithm: 'CRC64NVME' });
    assert.equal(stored.ChecksumCRC64NVME, CHECK_VALUE);
    assert.equal(stored.ChecksumType, 'FULL_OBJECT');
    const object = await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits', ChecksumMode: 'ENABLED' }));
    assert.equal(object.ChecksumCRC64NVME, CHECK_VALUE);
    assert.equal(await object.Body?.transformToString(), '123456789');
  });

  it('verifies the CRC64NVME trailer of a streamed (aws-chunked) body', async () => {
    const chunks = Array.from({ length: 5 }, (_, index) => patterned(70_000 + index, index));
    const whole = Buffer.concat(chunks);
    const stored = await put('streamed', Readable.from(chunks), { ContentLength: whole.length, ChecksumAlgorithm: 'CRC64NVME' });
    assert.equal(stored.ChecksumCRC64NVME, await crc64(whole));

    const chunked = (data: string, value: string) => `${data.length.toString(16)}\r\n${data}\r\n0\r\nx-amz-checksum-crc64nvme:${value}\r\n\r\n`;
    const headers = {
      'Content-Encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '9',
      'x-amz-sdk-checksum-algorithm': 'CRC64NVME',
      'x-amz-trailer': 'x-amz-checksum-crc64nvme',
    };
    const wrong = await rawRequest(emulator.url, { method: 'PUT', path: `/${BUCKET}/trailer-wrong`, headers, body: chunked('123456789', WRONG) });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /<Code>BadDigest<\/Code>\s*<Message>The CRC64NVME you specified did not match the calculated checksum.<\/Message>/);
    const malformed = await rawRequest(emulator.url, { method: 'PUT', path: `/${BUCKET}/trailer-malformed`, headers, body: chunked('123456789', NON_CANONICAL) });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body, /<Message>Value for x-amz-checksum-crc64nvme header is invalid.<\/Message>/);
    const right = await rawRequest(emulator.url, { method: 'PUT', path: `/${BUCKET}/trailer-right`, headers, body: chunked('123456789', CHECK_VALUE) });
    assert.equal(right.status, 200);
    assert.ok(await missing('trailer-wrong'));
    assert.ok(await missing('trailer-malformed'));
  });

  it('refuses a wrong CRC64NVME with BadDigest and a malformed one with InvalidRequest, storing nothing', async () => {
    const wrong = await rejection(put('wrong', Buffer.from('123456789'), { ChecksumCRC64NVME: WRONG }));
    assert.equal(wrong.name, 'BadDigest');
    assert.equal(wrong.$metadata.httpStatusCode, 400);
    assert.equal(wrong.message, 'The CRC64NVME you specified did not match the calculated checksum.');
    for (const value of [NON_CANONICAL, 'AAAAAA==', 'not base64!']) {
      const malformed = await rejection(put('malformed', Buffer.from('123456789'), { ChecksumCRC64NVME: value }));
      assert.equal(malformed.name, 'InvalidRequest', value);
      assert.equal(malformed.message, 'Value for x-amz-checksum-crc64nvme header is invalid.', value);
    }
    assert.ok(await missing('wrong'));
    assert.ok(await missing('malformed'));
  });

  it('refuses two checksums, or a checksum of another algorithm than the declared one', async () => {
    const two = await rejection(put('two', Buffer.from('123456789'), { ChecksumCRC64NVME: CHECK_VALUE, ChecksumCRC32: 'y/Q5Jg==' }));
    assert.equal(two.name, 'InvalidRequest');
    assert.equal(two.message, 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
    const mismatched = await rejection(put('mismatched', Buffer.from('123456789'), { ChecksumCRC64NVME: CHECK_VALUE, ChecksumAlgorithm: 'SHA1' }));
    assert.equal(mismatched.name, 'InvalidRequest');
    assert.equal(mismatched.message, 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
  });

  it("combines the parts' CRC64NVMEs into the FULL_OBJECT checksum of a multipart object", async () => {
    const parts = [patterned(5 * MIB, 1), patterned(5 * MIB + 17, 2), patterned(999, 3)];
    const whole = Buffer.concat(parts);
    const { UploadId, ChecksumType } = await emulator.s3.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'multipart', ChecksumAlgorithm: 'CRC64NVME' }),
    );
    assert.equal(ChecksumType, 'FULL_OBJECT', "CRC64NVME's only type");
    const uploaded: CompletedPart[] = [];
    for (const [index, body] of parts.entries()) {
      const part = await emulator.s3.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: 'multipart', UploadId, PartNumber: index + 1, Body: body, ChecksumAlgorithm: 'CRC64NVME' }),
      );
      assert.equal(part.ChecksumCRC64NVME, await crc64(body));
      uploaded.push({ PartNumber: index + 1, ETag: part.ETag, ChecksumCRC64NVME: part.ChecksumCRC64NVME });
    }
    const badPart = await rejection(
      emulator.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'multipart', UploadId, PartNumber: 4, Body: 'x', ChecksumCRC64NVME: WRONG })),
    );
    assert.equal(badPart.name, 'BadDigest');

    const complete = (ChecksumCRC64NVME?: string) =>
      emulator.s3.send(
        new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'multipart', UploadId, MultipartUpload: { Parts: uploaded }, ChecksumCRC64NVME }),
      );
    const wrongWhole = await rejection(complete(WRONG));
    assert.equal(wrongWhole.name, 'BadDigest');
    const result = await complete(await crc64(whole));
    assert.equal(result.ChecksumCRC64NVME, await crc64(whole));
    assert.equal(result.ChecksumType, 'FULL_OBJECT');
    const object = await emulator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'multipart', ChecksumMode: 'ENABLED' }));
    assert.equal(object.ChecksumCRC64NVME, await crc64(whole));
    assert.ok(Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(whole), 'and the SDK verified it while reading');
  });
});
