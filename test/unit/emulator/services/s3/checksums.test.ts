// Unit tests of combineCrcs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { combineCrcs, crc32c } from '../../../../../emulator/services/s3/checksums';

function base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

describe('combineCrcs', () => {
  const data = Buffer.from(Array.from({ length: 10_000 }, (_, index) => (index * 37 + (index >> 7)) & 0xff));
  const splits = [[0, 10_000], [0, 1, 10_000], [0, 4096, 4096, 9999, 10_000], [0, 5000, 10_000]];

  for (const [algorithm, crc] of [['CRC32', crc32], ['CRC32C', crc32c]] as const) {
    it(`makes the ${algorithm} of the whole from the ${algorithm}s of its runs`, () => {
      for (const cuts of splits) {
        const runs = cuts.slice(1).map((end, index) => {
          const run = data.subarray(cuts[index], end);
          return { algorithm, value: base64(crc(run)), size: run.length };
        });
        assert.equal(combineCrcs(algorithm, runs), base64(crc(data)), `runs ending at ${cuts.slice(1).join(', ')}`);
      }
    });
  }

  it('cannot combine what is not a CRC it computes', () => {
    assert.equal(combineCrcs('SHA256', [{ algorithm: 'SHA256', value: 'AAAA', size: 1 }]), undefined);
  });
});
