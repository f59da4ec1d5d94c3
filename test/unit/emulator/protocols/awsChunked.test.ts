// Unit tests of AwsChunkedDecoder.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { AwsChunkedDecoder, contentEncodingWithoutAwsChunked, isAwsChunked } from '../../../../emulator/protocols/awsChunked';

/** Runs `encoded`, split into pieces of `pieceSize` bytes, through a decoder. */
async function decode(encoded: string, pieceSize: number, decodedLength?: number) {
  const bytes = Buffer.from(encoded, 'latin1');
  const pieces = Array.from({ length: Math.ceil(bytes.length / pieceSize) }, (_, index) => bytes.subarray(index * pieceSize, (index + 1) * pieceSize));
  let trailers: ReadonlyMap<string, string> = new Map();
  const decoder = new AwsChunkedDecoder(decodedLength, (received) => (trailers = received));
  const output: Buffer[] = [];
  for await (const chunk of Readable.from(pieces).pipe(decoder)) output.push(chunk as Buffer);
  return { data: Buffer.concat(output).toString('latin1'), trailers };
}

const UNSIGNED = '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n';
const SIGNED = `5;chunk-signature=${'a'.repeat(64)}\r\nhello\r\n0;chunk-signature=${'b'.repeat(64)}\r\n\r\n`;

describe('AwsChunkedDecoder', () => {
  it('decodes unsigned chunks with trailers, however the input is split', async () => {
    for (const pieceSize of [1, 2, 3, 7, 1000]) {
      const { data, trailers } = await decode(UNSIGNED, pieceSize, 11);
      assert.equal(data, 'hello world', `pieces of ${pieceSize}`);
      assert.deepEqual([...trailers], [['x-amz-checksum-crc32', 'DUoRhQ==']]);
    }
  });

  it('decodes signed chunks without trailers', async () => {
    assert.equal((await decode(SIGNED, 4, 5)).data, 'hello');
  });

  it('refuses truncated bodies, wrong lengths and malformed framing', async () => {
    await assert.rejects(decode(UNSIGNED.slice(0, 20), 5), { code: 'IncompleteBody' });
    await assert.rejects(decode(UNSIGNED, 5, 12), { code: 'IncompleteBody' });
    await assert.rejects(decode('g\r\nhello\r\n0\r\n\r\n', 5), { code: 'InvalidRequest' });
    await assert.rejects(decode('3\r\nhello\r\n0\r\n\r\n', 5), { code: 'InvalidRequest' });
    await assert.rejects(decode(`${'1'.repeat(5000)}\r\n`, 100), { code: 'InvalidRequest' });
    await assert.rejects(decode(`${SIGNED}extra`, 5), { code: 'InvalidRequest' });
  });
});

describe('aws-chunked headers', () => {
  it('recognises the encoding and strips it from Content-Encoding', () => {
    assert.equal(isAwsChunked({ 'content-encoding': 'gzip, aws-chunked' }), true);
    assert.equal(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }), true);
    assert.equal(isAwsChunked({ 'content-encoding': 'gzip', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), false);
    assert.equal(contentEncodingWithoutAwsChunked('aws-chunked'), undefined);
    assert.equal(contentEncodingWithoutAwsChunked('gzip,aws-chunked'), 'gzip');
  });
});
