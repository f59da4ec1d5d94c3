// S3's flexible checksums (`x-amz-checksum-<algorithm>`, base64 of the digest): the hashes come from
// Node's crypto, CRC32 from node:zlib, CRC64NVME from the SDK's own implementation
// (@aws-sdk/checksums), so the emulator computes exactly what the SDK sends. The XXHASH family is
// not computed: its values are kept as sent, unverified.
// A multipart object's checksum is made from its parts': COMPOSITE (the checksum of the parts'
// checksums) or FULL_OBJECT (for CRCs: the parts' CRCs combined into the CRC of all the bytes).
import type { ChecksumAlgorithm, ChecksumType } from '@aws-sdk/client-s3';
import { Crc64Nvme } from '@aws-sdk/checksums/crc';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { invalidRequest } from './errors';

export interface ChecksumValue {
  algorithm: ChecksumAlgorithm;
  /** Base64 of the digest, as S3 writes it. */
  value: string;
}

/** An object's checksum: of all its bytes (FULL_OBJECT), or of its parts' checksums (COMPOSITE, `<value>-<parts>`). */
export interface ObjectChecksum extends ChecksumValue {
  type: ChecksumType;
}

/** The input/output member carrying an algorithm's value, e.g. `ChecksumCRC32`. */
export type ChecksumMember = `Checksum${ChecksumAlgorithm}`;
export type ChecksumMembers = Partial<Record<ChecksumMember, string>>;

export interface Digest {
  update(data: Uint8Array): void;
  /** The value as S3 writes it: base64 of the big-endian digest. */
  digest(): Promise<string>;
}

/** The CRCs: their width and (reflected) polynomial, which is also what combining them needs. */
const CRCS: Partial<Record<ChecksumAlgorithm, { width: number; polynomial: bigint }>> = {
  CRC32: { width: 32, polynomial: 0xedb88320n },
  CRC32C: { width: 32, polynomial: 0x82f63b78n },
  CRC64NVME: { width: 64, polynomial: 0x9a6c9329ac4bc9b5n },
};

const hash = (algorithm: string) => (): Digest => {
  const state = createHash(algorithm);
  return { update: (data) => state.update(data), digest: async () => state.digest('base64') };
};

const crc32Family = (update: (data: Uint8Array, previous: number) => number) => (): Digest => {
  let value = 0;
  return {
    update: (data) => (value = update(data, value)),
    digest: async () => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(value >>> 0);
      return bytes.toString('base64');
    },
  };
};

const crc64Nvme = (): Digest => {
  const state = new Crc64Nvme();
  return { update: (data) => state.update(data), digest: async () => Buffer.from(await state.digest()).toString('base64') };
};

const DIGESTS: Record<ChecksumAlgorithm, { bytes: number; create?: () => Digest }> = {
  CRC32: { bytes: 4, create: crc32Family(crc32) },
  CRC32C: { bytes: 4, create: crc32Family(crc32c) },
  CRC64NVME: { bytes: 8, create: crc64Nvme },
  MD5: { bytes: 16, create: hash('md5') },
  SHA1: { bytes: 20, create: hash('sha1') },
  SHA256: { bytes: 32, create: hash('sha256') },
  SHA512: { bytes: 64, create: hash('sha512') },
  XXHASH64: { bytes: 8 },
  XXHASH3: { bytes: 8 },
  XXHASH128: { bytes: 16 },
};

export const CHECKSUM_ALGORITHMS = Object.keys(DIGESTS) as ChecksumAlgorithm[];

export function checksumMember(algorithm: ChecksumAlgorithm): ChecksumMember {
  return `Checksum${algorithm}`;
}

/** A digest for the algorithm, or undefined if the emulator cannot compute it. */
export function createDigest(algorithm: ChecksumAlgorithm): Digest | undefined {
  return DIGESTS[algorithm].create?.();
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return Object.hasOwn(DIGESTS, name);
}

/**
 * Refuses a value that is not the canonical base64 of a digest of the algorithm's length (S3 checks
 * the form before comparing: a value of the right form that does not match is BadDigest instead).
 */
export function checkChecksumValue(algorithm: ChecksumAlgorithm, value: string): void {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== DIGESTS[algorithm].bytes || bytes.toString('base64') !== value) {
    throw invalidRequest(`Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid.`);
  }
}

/** The output members that carry an object's checksum. */
export function objectChecksumMembers(checksum: ObjectChecksum | undefined): ChecksumMembers & { ChecksumType?: ChecksumType } {
  return checksum ? { [checksumMember(checksum.algorithm)]: checksum.value, ChecksumType: checksum.type } : {};
}

/** A COMPOSITE checksum: the checksum of the parts' checksums, then `-<part count>`. */
export async function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): Promise<string | undefined> {
  const digest = createDigest(algorithm);
  if (!digest) return undefined;
  for (const value of partChecksums) digest.update(Buffer.from(value, 'base64'));
  return `${await digest.digest()}-${partChecksums.length}`;
}

/**
 * The CRC of consecutive byte runs, from each run's CRC and length (zlib's `crc32_combine`), or
 * undefined if the algorithm is not a CRC.
 */
export function combineCrcs(algorithm: ChecksumAlgorithm, runs: readonly (ChecksumValue & { size: number })[]): string | undefined {
  const crc = CRCS[algorithm];
  if (!crc) return undefined;
  const combiner = crcCombiner(algorithm, crc.width, crc.polynomial);
  let combined = 0n;
  for (const run of runs) combined = combiner.shift(combined, run.size) ^ BigInt(`0x${Buffer.from(run.value, 'base64').toString('hex')}`);
  return Buffer.from(combined.toString(16).padStart(crc.width / 4, '0'), 'hex').toString('base64');
}

/**
 * Feeding zero bytes to a CRC register is a linear map over GF(2), a matrix (kept as the images of
 * the unit vectors). The map for `length` bytes is the product of the maps for the powers of two
 * that make up `length`, so a shift costs O(log length) matrix-vector products once those maps are
 * known; they are computed once per algorithm, by squaring.
 */
class CrcCombiner {
  /** `powers[k]`: the map for 2^k zero bytes. */
  private readonly powers: bigint[][];

  constructor(width: number, polynomial: bigint) {
    const oneZeroBit = [polynomial, ...Array.from({ length: width - 1 }, (_, bit) => 1n << BigInt(bit))];
    this.powers = [square(square(square(oneZeroBit)))];
  }

  /** The register after `length` zero bytes. */
  shift(crc: bigint, length: number): bigint {
    let shifted = crc;
    for (let remaining = length, power = 0; remaining > 0; remaining = Math.floor(remaining / 2), power++) {
      this.powers[power] ??= square(this.powers[power - 1]);
      if (remaining % 2) shifted = times(this.powers[power], shifted);
    }
    return shifted;
  }
}

function square(map: readonly bigint[]): bigint[] {
  return map.map((image) => times(map, image));
}

function times(map: readonly bigint[], vector: bigint): bigint {
  let sum = 0n;
  for (let row = 0, bits = vector; bits; row++, bits >>= 1n) if (bits & 1n) sum ^= map[row];
  return sum;
}

const combiners = new Map<ChecksumAlgorithm, CrcCombiner>();

function crcCombiner(algorithm: ChecksumAlgorithm, width: number, polynomial: bigint): CrcCombiner {
  let combiner = combiners.get(algorithm);
  if (!combiner) combiners.set(algorithm, (combiner = new CrcCombiner(width, polynomial)));
  return combiner;
}

/** CRC-32C (Castagnoli), which node:zlib lacks: the reflected table-driven form. */
const CRC32C_TABLE = (() => {
  const table = new Int32Array(256);
  const polynomial = Number(CRCS.CRC32C?.polynomial);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ polynomial : value >>> 1;
    table[byte] = value;
  }
  return table;
})();

export function crc32c(data: Uint8Array, previous = 0): number {
  let value = ~previous;
  for (let index = 0; index < data.length; index++) value = CRC32C_TABLE[(value ^ data[index]) & 0xff] ^ (value >>> 8);
  return ~value >>> 0;
}
