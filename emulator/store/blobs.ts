// Large binary values (S3 object bodies) as files under `<dir>/`, named by random ids the emulator
// makes up — never by anything a client sent, so no key can address a path outside the directory.
// A blob is streamed into `tmp/`, fsync'ed, then renamed into place; the caller commits the record
// that references it only after that, so a crash leaves at worst an orphan, which `open` deletes.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncDirectory } from './durableFs';

const BLOB_NAME = /^[0-9a-f]{32}$/;

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export class BlobStore {
  /** Open read streams per blob: a blob replaced meanwhile is deleted when its last reader is done. */
  private readonly readers = new Map<string, number>();
  private readonly removeWhenUnread = new Set<string>();

  private constructor(private readonly directory: string) {}

  /** Opens the store and deletes unfinished uploads and blobs no record references. */
  static async open(directory: string, isReferenced: (name: string) => boolean): Promise<BlobStore> {
    const staging = join(directory, 'tmp');
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    for (const name of await readdir(directory)) {
      if (BLOB_NAME.test(name) && !isReferenced(name)) await rm(join(directory, name), { force: true });
    }
    return new BlobStore(directory);
  }

  /**
   * Streams `source` into a new blob and returns its name once the blob is durable. If `source`
   * throws (client went away, checksum mismatch), nothing is left behind.
   */
  async write(source: AsyncIterable<Uint8Array>): Promise<{ name: string; size: number }> {
    const name = randomBytes(16).toString('hex');
    const stagingPath = join(this.directory, 'tmp', name);
    const file = await open(stagingPath, 'wx');
    let size = 0;
    try {
      for await (const chunk of source) {
        await writeFully(file, chunk);
        size += chunk.byteLength;
      }
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(stagingPath, { force: true });
      throw error;
    }
    await file.close();
    await rename(stagingPath, join(this.directory, name));
    await fsyncDirectory(this.directory);
    return { name, size };
  }

  /** A stream of the blob's bytes (or of a range of them). */
  async read(name: string, range?: ByteRange): Promise<Readable> {
    // Count the reader before the first await, so a concurrent `remove` cannot delete the file
    // between the caller's lookup of the name and the open.
    this.readers.set(name, (this.readers.get(name) ?? 0) + 1);
    let file: FileHandle;
    try {
      file = await open(join(this.directory, name), 'r');
    } catch (error) {
      this.releaseReader(name);
      throw error;
    }
    const stream = file.createReadStream({ start: range?.start, end: range?.end });
    stream.once('close', () => this.releaseReader(name));
    return stream;
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

  private releaseReader(name: string): void {
    const remaining = (this.readers.get(name) ?? 1) - 1;
    if (remaining > 0) {
      this.readers.set(name, remaining);
      return;
    }
    this.readers.delete(name);
    if (this.removeWhenUnread.delete(name)) void this.remove(name);
  }
}

async function writeFully(file: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}
