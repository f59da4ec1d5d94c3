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
  const { entries, metadata } = validateHeader(header, file.length - dataStart);
  const tensors = new Map<string, NamedTensor>();
  for (const { name, shape, begin, end } of entries) {
    const byteOffset = file.byteOffset + dataStart + begin;
    // Zero-copy view when aligned; a pooled Buffer may start anywhere, then copy.
    const data = byteOffset % 4 === 0
      ? new Float32Array(file.buffer, byteOffset, (end - begin) / 4)
      : new Float32Array(new Uint8Array(file.subarray(dataStart + begin, dataStart + end)).buffer);
    tensors.set(name, { name, shape, data });
  }
  return { tensors, metadata };
}

/**
 * Decodes a safetensors file of a known size from its chunks as they arrive (from a stream, a tar
 * entry): the data is copied once, into one Float32Array (from `allocate`, by default a new one) that
 * every tensor views.
 */
export class SafetensorsReader {
  /** The 8-byte length and the JSON header, gathered until complete. */
  private head: Buffer = Buffer.alloc(0);
  private headerLength: number | undefined;
  /** The data section, once the header is known: the bytes of one Float32Array. */
  private bytes: Uint8Array | undefined;
  private received = 0;
  private contents: SafetensorsContents | undefined;

  constructor(private readonly size: number, private readonly allocate = (floats: number): Float32Array => new Float32Array(floats)) {
    assertLittleEndianHost();
  }

  write(chunk: Uint8Array): void {
    if (this.received + chunk.length > this.size) {
      throw new Error(`the safetensors file has more than the ${this.size} bytes announced`);
    }
    let at = 0;
    if (!this.bytes) {
      at = this.readHead(chunk);
    }
    if (this.bytes && at < chunk.length) {
      this.bytes.set(chunk.subarray(at), this.received + at - (this.size - this.bytes.length));
    }
    this.received += chunk.length;
  }

  end(): void {
    if (this.received !== this.size || !this.bytes) {
      throw new Error(`the safetensors file is truncated: ${this.received} of ${this.size} bytes`);
    }
  }

  /** The tensors, once the whole file has arrived. */
  result(): SafetensorsContents {
    this.end();
    return this.contents!;
  }

  /** Gathers the header from `chunk`; answers how many of its bytes were header bytes. */
  private readHead(chunk: Uint8Array): number {
    let at = 0;
    for (;;) {
      const wanted = this.headerLength === undefined ? 8 : 8 + this.headerLength;
      const take = Math.min(wanted - this.head.length, chunk.length - at);
      this.head = Buffer.concat([this.head, chunk.subarray(at, at + take)]);
      at += take;
      if (this.head.length < wanted) {
        return at;
      }
      if (this.headerLength !== undefined) {
        break;
      }
      this.headerLength = Number(this.head.readBigUInt64LE());
      if (this.headerLength > MAX_HEADER_BYTES || 8 + this.headerLength > this.size) {
        throw new Error(`the safetensors header claims ${this.headerLength} bytes but the file has ${this.size}`);
      }
    }
    const dataLength = this.size - this.head.length;
    const { entries, metadata } = validateHeader(parseHeaderJson(this.head.subarray(8)), dataLength);
    const data = this.allocate(dataLength / 4);
    this.bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const tensors = new Map<string, NamedTensor>(entries.map(({ name, shape, begin, end }) => [name, { name, shape, data: data.subarray(begin / 4, end / 4) }]));
    this.contents = { tensors, metadata };
    return at;
  }
}

/** The safetensors specification caps the header at 100 MB. */
const MAX_HEADER_BYTES = 100_000_000;

interface TensorEntry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Checks the header's entries against the data section: F32 tensors covering it exactly, in file order. */
function validateHeader(header: Record<string, unknown>, dataLength: number): { entries: TensorEntry[]; metadata: Record<string, string> } {
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
  const tensors: TensorEntry[] = [];
  for (const [name, { dtype, shape, data_offsets: [begin, end] }] of entries) {
    if (dtype !== 'F32') {
      throw new Error(`tensor "${name}" has dtype ${dtype}; only F32 is supported`);
    }
    const count = shape.reduce((product, dimension) => product * dimension, 1);
    if (begin !== expectedBegin || end - begin !== count * 4 || end > dataLength) {
      throw new Error(`tensor "${name}" has offsets [${begin}, ${end}] that do not fit the file`);
    }
    expectedBegin = end;
    tensors.push({ name, shape, begin, end });
  }
  if (expectedBegin !== dataLength) {
    throw new Error(`the data section has ${dataLength} bytes but the tensors cover ${expectedBegin}: truncated or padded file`);
  }
  return { entries: tensors, metadata };
}

function parseHeader(file: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (file.length < 8) {
    throw new Error('not a safetensors file: shorter than its 8-byte header length');
  }
  const headerLength = Number(Buffer.from(file.buffer, file.byteOffset, 8).readBigUInt64LE());
  if (8 + headerLength > file.length) {
    throw new Error(`the safetensors header claims ${headerLength} bytes but the file has ${file.length}`);
  }
  return { header: parseHeaderJson(Buffer.from(file.buffer, file.byteOffset + 8, headerLength)), dataStart: 8 + headerLength };
}

function parseHeaderJson(bytes: Buffer): Record<string, unknown> {
  const header: unknown = JSON.parse(bytes.toString('utf8'));
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new Error('the safetensors header is not a JSON object');
  }
  return header as Record<string, unknown>;
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
