// Gunzip for the model loader, at the speed of the bytes arriving. The runtime writes model.tar.gz
// with stored (level 0) deflate blocks, whose "inflation" is a copy: their contents are passed on as
// views of the incoming chunks — no copy, no thread-pool round trip — and checked against the gzip
// trailer's CRC-32 (zlib.crc32) and length as they go. A gzip whose first block is compressed goes
// through zlib's stream (runtime/hosts/gunzip.ts), which inflates on libuv's thread pool, off the main thread where
// inflating is real work; compressed blocks after stored ones go to a raw inflater primed with the
// last 32 KiB (the window they may refer back to). Several gzip members in a row are read one by one.
import { pipeline, Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { gunzipStages } from '../../runtime/hosts/gunzip';

const WINDOW_BYTES = 32 * 1024;
const FLAG_HEADER_CRC = 2;
const FLAG_EXTRA = 4;
const FLAG_NAME = 8;
const FLAG_COMMENT = 16;

/** The chunks of an async source, read by exact lengths or by whatever is at hand. */
class ByteSource {
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  private readonly iterator: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Up to `max` bytes as a view of the current chunk; empty at the end of the source. */
  async some(max: number): Promise<Uint8Array> {
    while (this.at === this.chunk.length) {
      const next = await this.iterator.next();
      if (next.done) {
        return new Uint8Array(0);
      }
      this.chunk = next.value;
      this.at = 0;
    }
    const piece = this.chunk.subarray(this.at, Math.min(this.chunk.length, this.at + max));
    this.at += piece.length;
    return piece;
  }

  /** Exactly `count` bytes (copied), or throws at a premature end. */
  async exactly(count: number): Promise<Buffer> {
    const bytes = Buffer.allocUnsafe(count);
    for (let filled = 0; filled < count;) {
      const piece = await this.some(count - filled);
      if (piece.length === 0) {
        throw new Error('unexpected end of file: the gzip stream is truncated');
      }
      bytes.set(piece, filled);
      filled += piece.length;
    }
    return bytes;
  }

  /** Whether the source has ended (no byte is left). */
  async ended(): Promise<boolean> {
    const piece = await this.some(1);
    if (piece.length > 0) {
      this.at--;
    }
    return piece.length === 0;
  }

  /** Puts `bytes` back in front of what is left. */
  unread(bytes: Uint8Array): void {
    const rest = this.chunk.subarray(this.at);
    this.chunk = rest.length === 0 ? bytes : Buffer.concat([bytes, rest]);
    this.at = 0;
  }

  /** What is left, as an async iterable. */
  async *rest(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const piece = await this.some(Number.POSITIVE_INFINITY);
      if (piece.length === 0) {
        return;
      }
      yield piece;
    }
  }
}

/** The inflated bytes of a gzip stream, in order (views that are valid until the next one is asked for). */
export async function* gunzipChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const input = new ByteSource(source);
  for (let member = 0; member === 0 || !(await input.ended()); member++) {
    const header = await readHeader(input);
    const firstBlock = await input.exactly(1);
    if (((firstBlock[0] >> 1) & 3) !== 0) {
      // A compressed stream: all of it (this member and any after it) to zlib, which reads them all.
      input.unread(Buffer.concat([header, firstBlock]));
      yield* inflateWithZlib(input.rest());
      return;
    }
    input.unread(firstBlock);
    yield* storedMember(input);
  }
}

/** Reads a gzip member's header; returns its bytes (for zlib, should the member be compressed). */
async function readHeader(input: ByteSource): Promise<Buffer> {
  const fixed = await input.exactly(10);
  if (fixed[0] !== 0x1f || fixed[1] !== 0x8b || fixed[2] !== 8) {
    throw new Error('incorrect header check: not a gzip stream (its magic bytes or compression method are wrong)');
  }
  const parts = [fixed];
  const flags = fixed[3];
  if (flags & FLAG_EXTRA) {
    const length = await input.exactly(2);
    parts.push(length, await input.exactly(length.readUInt16LE()));
  }
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if (flags & flag) {
      for (let byte = await input.exactly(1); ; byte = await input.exactly(1)) {
        parts.push(byte);
        if (byte[0] === 0) {
          break;
        }
      }
    }
  }
  if (flags & FLAG_HEADER_CRC) {
    parts.push(await input.exactly(2));
  }
  return Buffer.concat(parts);
}

/** A member whose first block is stored: stored blocks pass through; the rest, if any, is inflated by zlib. */
async function* storedMember(input: ByteSource): AsyncGenerator<Uint8Array> {
  let crc = 0;
  let length = 0;
  // The last 32 KiB of output, should a compressed block refer back into it.
  const window = Buffer.alloc(WINDOW_BYTES);
  const emit = (piece: Uint8Array): void => {
    crc = zlib.crc32(piece, crc);
    length += piece.length;
    if (piece.length >= WINDOW_BYTES) {
      window.set(piece.subarray(piece.length - WINDOW_BYTES));
    } else {
      window.copyWithin(0, piece.length);
      window.set(piece, WINDOW_BYTES - piece.length);
    }
  };
  for (let final = false; !final;) {
    const blockHeader = await input.exactly(1);
    final = (blockHeader[0] & 1) === 1;
    if (((blockHeader[0] >> 1) & 3) !== 0) {
      // Compressed blocks follow: a raw inflater takes over, then hands back what follows its end.
      input.unread(blockHeader);
      const dictionary = window.subarray(WINDOW_BYTES - Math.min(length, WINDOW_BYTES));
      for await (const piece of inflateRawRest(input, dictionary)) {
        emit(piece);
        yield piece;
      }
      break;
    }
    const lengths = await input.exactly(4);
    const size = lengths.readUInt16LE(0);
    if ((size ^ lengths.readUInt16LE(2)) !== 0xffff) {
      throw new Error('the gzip stream is corrupt (a stored block\'s length does not match its complement)');
    }
    for (let left = size; left > 0;) {
      const piece = await input.some(left);
      if (piece.length === 0) {
        throw new Error('unexpected end of file: the gzip stream is truncated');
      }
      left -= piece.length;
      emit(piece);
      yield piece;
    }
  }
  const trailer = await input.exactly(8);
  if (trailer.readUInt32LE(0) !== crc >>> 0 || trailer.readUInt32LE(4) !== length % 2 ** 32) {
    throw new Error('the gzip stream is corrupt (its CRC-32 or length does not match the data)');
  }
}

/**
 * Inflates raw deflate blocks from `input` with zlib until their final block, then puts back what zlib
 * did not consume (the gzip trailer and anything after it).
 */
async function* inflateRawRest(input: ByteSource, dictionary: Uint8Array): AsyncGenerator<Uint8Array> {
  const inflater = zlib.createInflateRaw(dictionary.length > 0 ? { dictionary } : {});
  const fed: Buffer[] = [];
  let fedBytes = 0;
  let ended = false;
  inflater.once('end', () => (ended = true));
  const feeding = (async () => {
    // Feeds until zlib reports the end of the deflate data (it stops consuming there).
    while (!ended) {
      const piece = await input.some(1024 * 1024);
      if (piece.length === 0) {
        inflater.end();
        return;
      }
      const copy = Buffer.from(piece);
      fed.push(copy);
      fedBytes += copy.length;
      if (!inflater.write(copy)) {
        await new Promise((resolve) => inflater.once('drain', resolve).once('end', resolve));
      }
    }
  })();
  for await (const piece of inflater as AsyncIterable<Buffer>) {
    yield piece;
  }
  await feeding;
  const unconsumed = fedBytes - inflater.bytesWritten;
  if (unconsumed > 0) {
    input.unread(Buffer.concat(fed).subarray(fedBytes - unconsumed));
  }
}

/** A whole gzip stream (every member) through zlib's gunzip, inflated on the thread pool. */
async function* inflateWithZlib(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const [coalesce, gunzip] = gunzipStages();
  // An error anywhere destroys the last stage with it, which ends the loop below with that error.
  pipeline(Readable.from(source), coalesce, gunzip, () => undefined);
  yield* gunzip as AsyncIterable<Buffer>;
}
