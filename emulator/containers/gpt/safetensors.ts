// The safetensors format (github.com/huggingface/safetensors): an 8-byte little-endian header length,
// a JSON header naming each tensor's dtype, shape and [begin, end) byte offsets into the data section,
// then the raw little-endian data with no holes. Only F32 tensors are written or read here.
import { endianness } from 'node:os';

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsContents {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const METADATA_KEY = '__metadata__';
/** The data section starts on an 8-byte boundary (the header is padded with spaces, as the spec allows). */
const ALIGNMENT = 8;

function assertLittleEndianHost(): void {
  if (endianness() !== 'LE') {
    throw new Error('safetensors data is little-endian; this host is not');
  }
}

/** Serialises tensors, in the given order, as the chunks of a safetensors file (no copy of the data). */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array[] {
  assertLittleEndianHost();
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (Object.keys(metadata).length > 0) {
    header[METADATA_KEY] = metadata;
  }
  let offset = 0;
  for (const { name, shape, data } of tensors) {
    if (name === METADATA_KEY || name in header) {
      throw new Error(`tensor name "${name}" is reserved or repeated`);
    }
    if (shape.reduce((product, dimension) => product * dimension, 1) !== data.length) {
      throw new RangeError(`tensor "${name}" has ${data.length} values, not the product of shape [${shape.join(', ')}]`);
    }
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padding = (ALIGNMENT - ((8 + json.length) % ALIGNMENT)) % ALIGNMENT;
  json = Buffer.concat([json, Buffer.alloc(padding, 0x20)]);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return [length, json, ...tensors.map(({ data }) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength))];
}

/** Parses and validates a whole safetensors file; throws on anything truncated or malformed. */
export function decodeSafetensors(file: Uint8Array): SafetensorsContents {
  assertLittleEndianHost();
  const { header, dataStart } = parseHeader(file);
  const dataLength = file.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Array<[string, HeaderEntry]> = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY && isStringRecord(value)) {
      Object.assign(metadata, value);
    } else if (name !== METADATA_KEY && isHeaderEntry(value)) {
      entries.push([name, value]);
    } else {
      throw new Error(`malformed safetensors header entry "${name}"`);
    }
  }
  // The data section must be covered exactly, tensor after tensor.
  entries.sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0]);
  let expectedBegin = 0;
  const tensors = new Map<string, NamedTensor>();
  for (const [name, { dtype, shape, data_offsets: [begin, end] }] of entries) {
    if (dtype !== 'F32') {
      throw new Error(`tensor "${name}" has dtype ${dtype}; only F32 is supported`);
    }
    const count = shape.reduce((product, dimension) => product * dimension, 1);
    if (begin !== expectedBegin || end - begin !== count * 4 || end > dataLength) {
      throw new Error(`tensor "${name}" has offsets [${begin}, ${end}] that do not fit the file`);
    }
    expectedBegin = end;
    const byteOffset = file.byteOffset + dataStart + begin;
    // Zero-copy view when aligned; a pooled Buffer may start anywhere, then copy.
    const data = byteOffset % 4 === 0
      ? new Float32Array(file.buffer, byteOffset, count)
      : new Float32Array(new Uint8Array(file.subarray(dataStart + begin, dataStart + end)).buffer);
    tensors.set(name, { name, shape, data });
  }
  if (expectedBegin !== dataLength) {
    throw new Error(`the data section has ${dataLength} bytes but the tensors cover ${expectedBegin}: truncated or padded file`);
  }
  return { tensors, metadata };
}

function parseHeader(file: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (file.length < 8) {
    throw new Error('not a safetensors file: shorter than its 8-byte header length');
  }
  const headerLength = Number(Buffer.from(file.buffer, file.byteOffset, 8).readBigUInt64LE());
  if (8 + headerLength > file.length) {
    throw new Error(`the safetensors header claims ${headerLength} bytes but the file has ${file.length}`);
  }
  const text = Buffer.from(file.buffer, file.byteOffset + 8, headerLength).toString('utf8');
  const header: unknown = JSON.parse(text);
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new Error('the safetensors header is not a JSON object');
  }
  return { header: header as Record<string, unknown>, dataStart: 8 + headerLength };
}

function isHeaderEntry(value: unknown): value is HeaderEntry {
  const entry = value as Partial<HeaderEntry> | null;
  const isCount = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
  return typeof entry === 'object' && entry !== null && typeof entry.dtype === 'string'
    && Array.isArray(entry.shape) && entry.shape.every(isCount)
    && Array.isArray(entry.data_offsets) && entry.data_offsets.length === 2 && entry.data_offsets.every(isCount);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((item) => typeof item === 'string');
}
