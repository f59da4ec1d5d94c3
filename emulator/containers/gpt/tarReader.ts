// Reads a tar stream as it arrives, handing each regular file's content to a sink as views of the
// incoming chunks (no copies), so that a model can be loaded straight from model.tar.gz without
// writing files. Understands what GNU tar, Python's tarfile and node-tar write: ustar names with
// their prefix, pax extended headers (path, size) and GNU long names. Nothing is written to disk, so
// there are no paths to sanitise; links and devices are skipped.

/** Receives one file's content, in order. */
export interface TarFileSink {
  write(chunk: Uint8Array): void;
  end(): void;
}

/** Called for each regular file: a sink for its content, or undefined to skip it. */
export type TarFileHandler = (path: string, size: number) => TarFileSink | undefined;

const BLOCK = 512;
/** Extended headers hold a few names; anything bigger is not a tar this reader should trust. */
const MAX_EXTENDED_HEADER_BYTES = 1024 * 1024;

type State =
  | { kind: 'header' }
  | { kind: 'body'; remaining: number; padding: number; sink: TarFileSink | undefined }
  | { kind: 'extended'; remaining: number; padding: number; type: 'pax' | 'gnuLongName' | 'ignored'; parts: Uint8Array[] }
  | { kind: 'end' };

export class TarReader {
  private state: State = { kind: 'header' };
  /** A header block split across chunks. */
  private readonly header = new Uint8Array(BLOCK);
  private headerFilled = 0;
  private emptyBlocks = 0;
  /** What a pax header or a GNU long name says about the next entry. */
  private nextPath: string | undefined;
  private nextSize: number | undefined;

  constructor(private readonly onFile: TarFileHandler) {}

  write(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      const state = this.state;
      if (state.kind === 'end') {
        return; // what follows the end-of-archive blocks is padding
      }
      if (state.kind === 'header') {
        const take = Math.min(BLOCK - this.headerFilled, chunk.length - at);
        if (this.headerFilled === 0 && take === BLOCK) {
          this.readHeader(chunk.subarray(at, at + BLOCK));
        } else {
          this.header.set(chunk.subarray(at, at + take), this.headerFilled);
          this.headerFilled += take;
          if (this.headerFilled === BLOCK) {
            this.headerFilled = 0;
            this.readHeader(this.header);
          }
        }
        at += take;
        continue;
      }
      const take = Math.min(state.remaining, chunk.length - at);
      if (take > 0) {
        const piece = chunk.subarray(at, at + take);
        if (state.kind === 'body') {
          state.sink?.write(piece);
        } else {
          state.parts.push(Uint8Array.from(piece)); // small, and the chunk may be reused
        }
        state.remaining -= take;
        at += take;
      }
      if (state.remaining === 0) {
        const skip = Math.min(state.padding, chunk.length - at);
        state.padding -= skip;
        at += skip;
        if (state.padding === 0) {
          this.finishEntry(state);
        }
      }
    }
  }

  /** Throws unless the archive ended where it may. */
  end(): void {
    if (this.state.kind === 'body' || this.state.kind === 'extended' || this.headerFilled > 0) {
      throw new Error('the tar archive is truncated');
    }
    // Some writers omit the two zero blocks; ending between entries is fine.
  }

  private readHeader(block: Uint8Array): void {
    if (block.every((byte) => byte === 0)) {
      this.emptyBlocks++;
      if (this.emptyBlocks === 2) {
        this.state = { kind: 'end' };
      }
      return;
    }
    this.emptyBlocks = 0;
    if (checksum(block) !== readOctal(block, 148, 8)) {
      throw new Error('not a tar archive (a header checksum does not match)');
    }
    const type = String.fromCharCode(block[156]);
    if (type === 'x' || type === 'L' || type === 'g' || type === 'K') {
      const size = readSize(block);
      if (size > MAX_EXTENDED_HEADER_BYTES) {
        throw new Error(`a tar extended header of ${size} bytes is too big`);
      }
      // Global pax headers and GNU long link names say nothing a loader needs: read and dropped.
      const use = type === 'x' ? 'pax' : type === 'L' ? 'gnuLongName' : 'ignored';
      this.state = { kind: 'extended', remaining: size, padding: paddingOf(size), type: use, parts: [] };
    } else {
      const size = this.nextSize ?? readSize(block);
      const path = this.nextPath ?? ustarPath(block);
      this.nextPath = undefined;
      this.nextSize = undefined;
      // '0', NUL (old tars) and '7' (contiguous) are regular files; the rest have no content to load.
      const sink = type === '0' || type === '\0' || type === '7' ? this.onFile(path, size) : undefined;
      this.state = { kind: 'body', remaining: size, padding: paddingOf(size), sink };
    }
    this.finishIfEmpty();
  }

  private finishIfEmpty(): void {
    const state = this.state;
    if ((state.kind === 'body' || state.kind === 'extended') && state.remaining === 0 && state.padding === 0) {
      this.finishEntry(state);
    }
  }

  private finishEntry(state: Extract<State, { kind: 'body' | 'extended' }>): void {
    this.state = { kind: 'header' };
    if (state.kind === 'body') {
      state.sink?.end();
      return;
    }
    const bytes = Buffer.concat(state.parts);
    if (state.type === 'ignored') {
      return;
    }
    if (state.type === 'gnuLongName') {
      this.nextPath = bytes.toString('utf8').replace(/\0.*$/s, '');
      return;
    }
    const records = parsePax(bytes);
    if (records.path !== undefined) {
      this.nextPath = records.path;
    }
    if (records.size !== undefined) {
      this.nextSize = Number(records.size);
      if (!Number.isSafeInteger(this.nextSize) || this.nextSize < 0) {
        throw new Error(`a tar pax header has the size "${records.size}"`);
      }
    }
  }
}

function paddingOf(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function checksum(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) {
    sum += i >= 148 && i < 156 ? 0x20 : block[i]; // the checksum field counts as spaces
  }
  return sum;
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return Buffer.from(field.buffer, field.byteOffset, end < 0 ? length : end).toString('utf8');
}

function readOctal(block: Uint8Array, offset: number, length: number): number {
  const text = readString(block, offset, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** Sizes over 8 GiB use GNU's base-256 form (the top bit of the first byte set). */
function readSize(block: Uint8Array): number {
  if ((block[124] & 0x80) === 0) {
    return readOctal(block, 124, 12);
  }
  let size = block[124] & 0x7f;
  for (let i = 125; i < 136; i++) {
    size = size * 256 + block[i];
  }
  if (!Number.isSafeInteger(size)) {
    throw new Error('a tar entry is too big');
  }
  return size;
}

/** POSIX ustar splits long names into a prefix and a name (old GNU headers keep times there instead). */
function ustarPath(block: Uint8Array): string {
  const name = readString(block, 0, 100);
  const isUstar = readString(block, 257, 6) === 'ustar' && block[262] === 0; // "ustar\0", not GNU's "ustar  "
  const prefix = isUstar ? readString(block, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** pax records: "<length> <key>=<value>\n", the length counting the whole record. */
function parsePax(bytes: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const length = Number(bytes.toString('latin1', at, space));
    if (space < 0 || !Number.isInteger(length) || length <= 0 || at + length > bytes.length) {
      break; // a NUL-padded tail
    }
    const record = bytes.toString('utf8', space + 1, at + length - 1);
    const equals = record.indexOf('=');
    if (equals > 0) {
      records[record.slice(0, equals)] = record.slice(equals + 1);
    }
    at += length;
  }
  return records;
}
