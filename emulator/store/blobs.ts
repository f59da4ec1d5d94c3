// Large binary values (S3 object bodies) as files under `<dir>/`, named by random ids the emulator
// makes up — never by anything a client sent, so no key can address a path outside the directory.
// A blob is streamed into `tmp/`, fsync'ed, then renamed into place; the caller commits the record
// that references it only after that, so a crash leaves at worst an orphan, which `open` deletes.
// A body may span several blobs read in sequence (an S3 object completed from its uploaded parts).
// A write the disk cannot take (full, read-only) fails with the file system's error, leaves nothing
// behind, and is reported to the storage health; reads go on regardless.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fsyncDirectory } from './durableFs';
import type { StorageHealth } from './storageHealth';

const BLOB_NAME = /^[0-9a-f]{32}$/;
/**
 * Bodies arrive in small chunks (64 KiB from a socket) and leave in large ones: batching them costs
 * far fewer system calls, with at most this much of each body in memory.
 */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** The size of the buffers a body is read into. */
const CHUNK_BYTES = 1024 * 1024;
/** The buffers `BlobStream.writeTo` cycles through: enough to keep a socket fed while the next one is read. */
const SEND_BUFFERS = 4;

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/** One blob of a body and its length in bytes. */
export interface BlobSegment {
  name: string;
  size: number;
}

/** The bytes `start..end` (inclusive) of one blob. */
interface BlobPiece extends ByteRange {
  name: string;
}

export class BlobStore {
  /** Open read streams per blob: a blob replaced meanwhile is deleted when its last reader is done. */
  private readonly readers = new Map<string, number>();
  private readonly removeWhenUnread = new Set<string>();

  private constructor(
    private readonly directory: string,
    private readonly health: StorageHealth | undefined,
  ) {}

  /** Opens the store and deletes unfinished uploads and blobs no record references. */
  static async open(directory: string, isReferenced: (name: string) => boolean, health?: StorageHealth): Promise<BlobStore> {
    const staging = join(directory, 'tmp');
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    for (const name of await readdir(directory)) {
      if (BLOB_NAME.test(name) && !isReferenced(name)) await rm(join(directory, name), { force: true });
    }
    return new BlobStore(directory, health);
  }

  /**
   * Streams `source` into a new blob and returns its name once the blob is durable. If `source`
   * throws (client went away, checksum mismatch), nothing is left behind.
   */
  async write(source: AsyncIterable<Uint8Array>): Promise<{ name: string; size: number }> {
    const name = randomBytes(16).toString('hex');
    const stagingPath = join(this.directory, 'tmp', name);
    const file = await this.onDisk(() => open(stagingPath, 'wx'));
    let size = 0;
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    try {
      for await (const chunk of source) {
        batch.push(chunk);
        batchBytes += chunk.byteLength;
        size += chunk.byteLength;
        if (batchBytes >= WRITE_BATCH_BYTES) {
          await this.onDisk(() => writeFully(file, batch));
          batch = [];
          batchBytes = 0;
        }
      }
      await this.onDisk(() => writeFully(file, batch));
      await this.onDisk(() => file.sync());
    } catch (error) {
      await file.close();
      await rm(stagingPath, { force: true });
      throw error;
    }
    await file.close();
    await this.onDisk(() => rename(stagingPath, join(this.directory, name)));
    await fsyncDirectory(this.directory);
    this.health?.writeSucceeded();
    return { name, size };
  }

  /** A stream of the bytes of `segments` in order (or of a range of them). */
  async read(segments: readonly BlobSegment[], range?: ByteRange): Promise<BlobStream> {
    const pieces = piecesOf(segments, range);
    // Count the readers before the first await, so a concurrent `remove` cannot delete a file
    // between the caller's lookup of the names and the open.
    for (const { name } of pieces) this.readers.set(name, (this.readers.get(name) ?? 0) + 1);
    const release = () => pieces.forEach(({ name }) => this.releaseReader(name));
    // The first file is opened now, so that a failure surfaces before the caller starts a response.
    let first: FileHandle | undefined;
    try {
      first = pieces.length > 0 ? await this.openBlob(pieces[0].name) : undefined;
    } catch (error) {
      release();
      throw error;
    }
    return new BlobStream(pieces, first, (name) => this.openBlob(name), release);
  }

  /** Deletes a blob no record references any more (now, or when its last reader finishes). */
  async remove(name: string): Promise<void> {
    if (this.readers.has(name)) {
      this.removeWhenUnread.add(name);
      return;
    }
    await unlink(join(this.directory, name)).catch(() => {
      // Already gone, or busy on Windows: `open` collects orphans on the next start.
    });
  }

  /** A step that writes to the disk; its failure is the storage health's business too. */
  private async onDisk<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      this.health?.writeFailed(error);
      throw error;
    }
  }

  private releaseReader(name: string): void {
    const remaining = (this.readers.get(name) ?? 1) - 1;
    if (remaining > 0) {
      this.readers.set(name, remaining);
      return;
    }
    this.readers.delete(name);
    if (this.removeWhenUnread.delete(name)) void this.remove(name);
  }

  private openBlob(name: string): Promise<FileHandle> {
    return open(join(this.directory, name), 'r');
  }
}

/**
 * The bytes of a body, piece after piece. Read as a stream, every chunk is a new buffer the reader
 * may keep. Sent with `writeTo`, a few buffers are reused instead, each once the destination has
 * taken its bytes: a GiB sent to a socket then allocates a few MiB rather than a GiB, whose
 * garbage otherwise costs a full collection every few dozen MiB (a quarter of a GetObject's CPU).
 */
export class BlobStream extends Readable {
  private index = 0;
  /** The next byte to read in the current piece. */
  private position: number;
  /** The current piece's file, open. */
  private file: FileHandle | undefined;
  private sending = false;

  constructor(
    private readonly pieces: readonly BlobPiece[],
    first: FileHandle | undefined,
    private readonly openBlob: (name: string) => Promise<FileHandle>,
    /** Lets the store delete the blobs: called once, when the stream is destroyed (also at its end). */
    private readonly release: () => void,
  ) {
    super();
    this.file = first;
    this.position = pieces[0]?.start ?? 0;
  }

  override _read(): void {
    if (this.sending) return void this.destroy(new Error('a BlobStream being sent with writeTo cannot also be read'));
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    this.readInto(buffer).then(
      (length) => this.push(length === 0 ? null : buffer.subarray(0, length)),
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const file = this.file;
    this.file = undefined;
    // FileHandle.close waits for a read in flight.
    void (file?.close() ?? Promise.resolve())
      .catch(() => {})
      .then(() => {
        this.release();
        callback(error);
      });
  }

  /**
   * Writes all the bytes to `destination` and ends it, through SEND_BUFFERS reused buffers. Resolves
   * once the destination has finished, or has closed early (a client gone is no failure); rejects
   * if a blob cannot be read.
   */
  async writeTo(destination: Writable): Promise<void> {
    this.sending = true;
    const free: Buffer[] = Array.from({ length: SEND_BUFFERS }, () => Buffer.allocUnsafeSlow(CHUNK_BYTES));
    let closed = destination.destroyed;
    let wake: (() => void) | undefined;
    const wakeUp = () => {
      const waiting = wake;
      wake = undefined;
      waiting?.();
    };
    const onClose = () => {
      closed = true;
      wakeUp();
    };
    destination.once('close', onClose);
    try {
      for (;;) {
        while (free.length === 0 && !closed) await new Promise<void>((resolve) => (wake = resolve));
        if (closed) return;
        const buffer = free.pop() as Buffer;
        const length = await this.readInto(buffer);
        if (length === 0) break;
        // Backpressure is the pool itself: a buffer comes back only once the destination took its bytes.
        destination.write(buffer.subarray(0, length), (error) => {
          if (!error) free.push(buffer);
          wakeUp();
        });
      }
      destination.end();
      await finished(destination).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
      });
    } finally {
      destination.off('close', onClose);
      this.destroy();
    }
  }

  /** Reads the next bytes into `buffer` (as many as fit, within one piece); 0 at the end. */
  private async readInto(buffer: Buffer): Promise<number> {
    const piece = this.pieces[this.index];
    if (!piece) return 0;
    this.file ??= await this.openBlob(piece.name);
    const wanted = Math.min(buffer.length, piece.end + 1 - this.position);
    const { bytesRead } = await this.file.read(buffer, 0, wanted, this.position);
    if (bytesRead === 0) throw new Error(`blob ${piece.name} is shorter than its record says`);
    this.position += bytesRead;
    if (this.position > piece.end) {
      const file = this.file;
      this.file = undefined;
      await file.close();
      this.index++;
      this.position = this.pieces[this.index]?.start ?? 0;
    }
    return bytesRead;
  }
}

/** The parts of `segments` that a range covers, empty ones left out. */
function piecesOf(segments: readonly BlobSegment[], range: ByteRange | undefined): BlobPiece[] {
  const pieces: BlobPiece[] = [];
  let offset = 0;
  for (const { name, size } of segments) {
    const start = Math.max(range?.start ?? 0, offset);
    const end = Math.min(range?.end ?? Number.MAX_SAFE_INTEGER, offset + size - 1);
    if (start <= end) pieces.push({ name, start: start - offset, end: end - offset });
    offset += size;
  }
  return pieces;
}

/** Writes `chunks` in order with one system call, and more only after a short write. */
async function writeFully(file: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  let pending = chunks.filter((chunk) => chunk.byteLength > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await file.writev(pending);
    if (bytesWritten <= 0) throw new Error('the blob write made no progress');
    while (pending.length > 0 && bytesWritten >= pending[0].byteLength) {
      bytesWritten -= pending[0].byteLength;
      pending = pending.slice(1);
    }
    if (bytesWritten > 0) pending = [pending[0].subarray(bytesWritten), ...pending.slice(1)];
  }
}
