// S3's flexible checksums (`x-amz-checksum-<algorithm>`, base64 of the digest), computed with Node
// built-ins. CRC64NVME and the XXHASH family have none, so those values are kept as sent, unverified.
// A multipart object's checksum is made from its parts': COMPOSITE (the checksum of the parts'
// checksums) or FULL_OBJECT (for CRCs: the parts' CRCs combined into the CRC of all the bytes).
import type { ChecksumAlgorithm, ChecksumType } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumValue, ObjectChecksum } from './state';

/** The input/output member carrying an algorithm's value, e.g. `ChecksumCRC32`. */
export type ChecksumMember = `Checksum${ChecksumAlgorithm}`;
export type ChecksumMembers = Partial<Record<ChecksumMember, string>>;

export interface Digest {
  update(data: Uint8Array): void;
  /** The value as S3 writes it: base64 of the big-endian digest. */
  digest(): string;
}

/** The (reflected) polynomials of the CRCs computed here, which are also what combining them needs. */
const CRC_POLYNOMIALS = { CRC32: 0xedb88320, CRC32C: 0x82f63b78 } as const;

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

/** The output members that carry an object's checksum. */
export function objectChecksumMembers(checksum: ObjectChecksum | undefined): ChecksumMembers & { ChecksumType?: ChecksumType } {
  return checksum ? { [checksumMember(checksum.algorithm)]: checksum.value, ChecksumType: checksum.type } : {};
}

/** A COMPOSITE checksum: the checksum of the parts' checksums, then `-<part count>`. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): string | undefined {
  const digest = createDigest(algorithm);
  if (!digest) return undefined;
  for (const value of partChecksums) digest.update(Buffer.from(value, 'base64'));
  return `${digest.digest()}-${partChecksums.length}`;
}

/**
 * The CRC of consecutive byte runs, from each run's CRC and length (zlib's `crc32_combine`), or
 * undefined if the emulator cannot combine this algorithm's values.
 */
export function combineCrcs(algorithm: ChecksumAlgorithm, runs: readonly (ChecksumValue & { size: number })[]): string | undefined {
  const polynomial = algorithm === 'CRC32' || algorithm === 'CRC32C' ? CRC_POLYNOMIALS[algorithm] : undefined;
  if (polynomial === undefined) return undefined;
  let combined = 0;
  for (const run of runs) combined = (shiftByZeroBytes(combined, run.size, polynomial) ^ Buffer.from(run.value, 'base64').readUInt32BE(0)) >>> 0;
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(combined);
  return bytes.toString('base64');
}

/**
 * The CRC register after feeding `length` zero bytes. That is a linear map over GF(2); applying the
 * one-zero-byte map's powers of two that make up `length` costs O(log length) instead of O(length).
 */
function shiftByZeroBytes(crc: number, length: number, polynomial: number): number {
  const oneZeroBit = [polynomial, ...Array.from({ length: 31 }, (_, bit) => 2 ** bit)];
  let operator = squareMatrix(squareMatrix(squareMatrix(oneZeroBit)));
  let result = crc;
  for (let remaining = length; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2) result = timesMatrix(operator, result);
    operator = squareMatrix(operator);
  }
  return result;
}

function timesMatrix(matrix: readonly number[], vector: number): number {
  let sum = 0;
  for (let row = 0, bits = vector >>> 0; bits; row++, bits >>>= 1) if (bits & 1) sum ^= matrix[row];
  return sum >>> 0;
}

function squareMatrix(matrix: readonly number[]): number[] {
  return matrix.map((row) => timesMatrix(matrix, row));
}

/** CRC-32C (Castagnoli), which node:zlib lacks: the reflected table-driven form. */
const CRC32C_TABLE = (() => {
  const table = new Int32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ CRC_POLYNOMIALS.CRC32C : value >>> 1;
    table[byte] = value;
  }
  return table;
})();

export function crc32c(data: Uint8Array, previous = 0): number {
  let value = ~previous;
  for (let index = 0; index < data.length; index++) value = CRC32C_TABLE[(value ^ data[index]) & 0xff] ^ (value >>> 8);
  return ~value >>> 0;
}
