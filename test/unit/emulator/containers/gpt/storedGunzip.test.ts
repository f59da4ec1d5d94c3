// The model loader's gunzip (storedGunzip.ts): stored blocks passed through, compressed ones by zlib,
// however they are mixed and however the bytes arrive; every corruption caught by the CRC-32 or length.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { gunzipChunks } from '../../../../../emulator/containers/gpt/storedGunzip';
import { Random } from '../../../../../emulator/containers/gpt/model/random';

function data(bytes: number, seed: number): Buffer {
  const random = Random.fromSeed(seed);
  // Half random bytes, half text: compressible, and not only by long runs.
  return Buffer.from(Array.from({ length: bytes }, (_, i) => (i % 2 ? random.nextInt(256) : 0x61 + random.nextInt(4))));
}

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    yield bytes.subarray(at, at + size);
  }
}

async function gunzip(bytes: Uint8Array, size = 1000): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of gunzipChunks(pieces(bytes, size))) {
    out.push(Buffer.from(chunk));
  }
  return Buffer.concat(out);
}

/** A stored (level 0) block by hand. */
function storedBlock(content: Buffer, final: boolean): Buffer {
  const header = Buffer.alloc(5);
  header[0] = final ? 1 : 0;
  header.writeUInt16LE(content.length, 1);
  header.writeUInt16LE(content.length ^ 0xffff, 3);
  return Buffer.concat([header, content]);
}

function member(deflated: Buffer, content: Buffer, name?: string): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 8, name ? 8 : 0, 0, 0, 0, 0, 0, 3]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(content) >>> 0, 0);
  trailer.writeUInt32LE(content.length, 4);
  return Buffer.concat([header, name ? Buffer.from(`${name}\0`) : Buffer.alloc(0), deflated, trailer]);
}

describe('the model loader\'s gunzip', () => {
  const content = data(300_000, 1);

  for (const level of [0, 1, 6, 9]) {
    it(`inflates gzip level ${level}, in pieces of any size`, async () => {
      const gzipped = zlib.gzipSync(content, { level });
      for (const size of [997, 65536, gzipped.length]) {
        assert.ok((await gunzip(gzipped, size)).equals(content), `pieces of ${size}`);
      }
      // Byte by byte: every header field and block boundary split across chunks.
      const small = content.subarray(0, 3000);
      assert.ok((await gunzip(zlib.gzipSync(small, { level }), 1)).equals(small), 'pieces of 1');
    });
  }

  it('inflates compressed blocks after stored ones, back-references into the stored ones included', async () => {
    const first = content.subarray(0, 100_000);
    const second = content.subarray(100_000);
    const compressed = zlib.deflateRawSync(second, { level: 6, dictionary: first.subarray(first.length - 32768) });
    const stored = Buffer.concat([storedBlock(first.subarray(0, 65535), false), storedBlock(first.subarray(65535), false)]);
    const gzipped = member(Buffer.concat([stored, compressed]), content, 'model.tar');
    for (const size of [333, 4096, 1 << 20]) {
      assert.ok((await gunzip(gzipped, size)).equals(content), `pieces of ${size}`);
    }
  });

  it('reads several members in a row', async () => {
    const parts = [content.subarray(0, 1000), content.subarray(1000, 5000), content.subarray(5000)];
    const gzipped = Buffer.concat([zlib.gzipSync(parts[0], { level: 0 }), zlib.gzipSync(parts[1], { level: 0 }), zlib.gzipSync(parts[2], { level: 0 })]);
    assert.ok((await gunzip(gzipped)).equals(content));
  });

  it('refuses a corrupt or truncated stream and one that is not gzip', async () => {
    const gzipped = zlib.gzipSync(content, { level: 0 });
    const flipped = Buffer.from(gzipped);
    flipped[flipped.length >> 1] ^= 1;
    await assert.rejects(gunzip(flipped), /CRC-32 or length does not match/);
    await assert.rejects(gunzip(gzipped.subarray(0, gzipped.length - 100)), /unexpected end of file/);
    await assert.rejects(gunzip(gzipped.subarray(0, gzipped.length - 4)), /unexpected end of file/);
    await assert.rejects(gunzip(Buffer.from('plain text, not gzip')), /incorrect header check/);
  });
});
