// S3's flexible checksums (`x-amz-checksum-<algorithm>`, base64 of the digest), computed with Node
// built-ins. CRC64NVME and the XXHASH family have none, so those values are kept as sent, unverified.
import type { ChecksumAlgorithm } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** The input/output member carrying an algorithm's value, e.g. `ChecksumCRC32`. */
export type ChecksumMember = `Checksum${ChecksumAlgorithm}`;
export type ChecksumMembers = Partial<Record<ChecksumMember, string>>;

export interface Digest {
  update(data: Uint8Array): void;
  /** The value as S3 writes it: base64 of the big-endian digest. */
  digest(): string;
}

const hash = (algorithm: string) => (): Digest => {
  const state = createHash(algorithm);
  return { update: (data) => state.update(data), digest: () => state.digest('base64') };
};

const crc = (update: (data: Uint8Array, previous: number) => number) => (): Digest => {
  let value = 0;
  return {
    update: (data) => (value = update(data, value)),
    digest: () => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(value >>> 0);
      return bytes.toString('base64');
    },
  };
};

const DIGESTS: Record<ChecksumAlgorithm, (() => Digest) | undefined> = {
  CRC32: crc(crc32),
  CRC32C: crc(crc32c),
  CRC64NVME: undefined,
  MD5: hash('md5'),
  SHA1: hash('sha1'),
  SHA256: hash('sha256'),
  SHA512: hash('sha512'),
  XXHASH64: undefined,
  XXHASH3: undefined,
  XXHASH128: undefined,
};

export const CHECKSUM_ALGORITHMS = Object.keys(DIGESTS) as ChecksumAlgorithm[];

export function checksumMember(algorithm: ChecksumAlgorithm): ChecksumMember {
  return `Checksum${algorithm}`;
}

/** A digest for the algorithm, or undefined if the emulator cannot compute it. */
export function createDigest(algorithm: ChecksumAlgorithm): Digest | undefined {
  return DIGESTS[algorithm]?.();
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return Object.hasOwn(DIGESTS, name);
}

/** CRC-32C (Castagnoli), which node:zlib lacks: the reflected table-driven form. */
const CRC32C_TABLE = (() => {
  const table = new Int32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ 0x82f63b78 : value >>> 1;
    table[byte] = value;
  }
  return table;
})();

export function crc32c(data: Uint8Array, previous = 0): number {
  let value = ~previous;
  for (let index = 0; index < data.length; index++) value = CRC32C_TABLE[(value ^ data[index]) & 0xff] ^ (value >>> 8);
  return ~value >>> 0;
}
