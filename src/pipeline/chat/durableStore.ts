// The chat's kept state (conversations, each endpoint's format) in one JSON file per key, written
// durably at each update: a temporary file, fsynced, renamed over the old one. So an update that has
// resolved survives a window reload or a crash at once, and a crash mid-write leaves the previous
// value whole. VS Code's workspaceState reaches the disk only now and then (a reload right after an
// answer lost the conversation in a UI test); what it held before is still read, until first written.
import { readFileSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import * as path from 'node:path';
import type { KeyValueStore } from './conversations';

export class DurableKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, unknown>();
  /** Writes go one after the other, so an older value never lands over a newer one. */
  private writes: Promise<void> = Promise.resolve();

  /** `dir`: the workspace's storage folder; `previous`: where the values were kept before (workspaceState). */
  constructor(
    private readonly dir: string,
    private readonly previous?: KeyValueStore,
  ) {}

  get<T>(key: string): T | undefined {
    if (!this.values.has(key)) this.values.set(key, this.read(key));
    return this.values.get(key) as T | undefined;
  }

  /** As a Memento does, the value is kept as JSON reads it back (undefined members dropped, dates as strings). */
  update(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value ?? null);
    this.values.set(key, (JSON.parse(text) as unknown) ?? undefined);
    const write = this.writes.then(() => this.write(key, text));
    this.writes = write.catch(() => undefined);
    return write;
  }

  private read(key: string): unknown {
    let text: string;
    try {
      text = readFileSync(this.file(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.previous?.get(key);
      throw error;
    }
    // `update(key, undefined)` clears a key, as with a Memento: written as null, read as nothing.
    return (JSON.parse(text) as unknown) ?? undefined;
  }

  private async write(key: string, text: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.file(key);
    const temporary = `${file}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  }

  private file(key: string): string {
    return path.join(this.dir, `${encodeURIComponent(key)}.json`);
  }
}
