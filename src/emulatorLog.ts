// Follows the local emulator's log file (DATA_DIR/emulator.log, which the emulator appends to
// whoever started it) into the *SageMaker Emulator* output channel: the last part of it at once,
// then every line as it is written. A log rotated or cut short is read again from its start.
import { open, stat } from 'node:fs/promises';
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import * as path from 'node:path';

/** How much of an existing log is shown when following starts. */
const TAIL_BYTES = 64 * 1024;
/** How often the file's size is looked at (fs.watchFile polls: reliable on every file system). */
const WATCH_INTERVAL_MS = 500;

export function emulatorLogFile(dataDir: string): string {
  return path.join(dataDir, 'emulator.log');
}

export class LogFollower {
  private position = 0;
  private reading: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly listener = (current: Stats) => {
    this.reading = this.reading.then(() => this.readTo(current.size));
  };

  constructor(
    readonly file: string,
    private readonly append: (text: string) => void,
  ) {}

  /** Shows the end of what is there, then follows. */
  async start(): Promise<void> {
    const size = (await stat(this.file).catch(() => undefined))?.size ?? 0;
    this.position = Math.max(0, size - TAIL_BYTES);
    const skipPartialLine = this.position > 0;
    await this.readTo(size, skipPartialLine);
    if (!this.stopped) watchFile(this.file, { interval: WATCH_INTERVAL_MS }, this.listener);
  }

  /** Reads what was appended up to `size` (all of it again if the file shrank: it was rotated). */
  private async readTo(size: number, skipPartialLine = false): Promise<void> {
    if (this.stopped) return;
    if (size < this.position) this.position = 0;
    if (size === this.position) return;
    const handle = await open(this.file, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      const buffer = Buffer.alloc(size - this.position);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.position);
      let text = buffer.subarray(0, bytesRead).toString('utf8');
      // Only whole lines: a line being written is read with the next change.
      const end = text.lastIndexOf('\n') + 1;
      text = text.slice(0, end);
      this.position += Buffer.byteLength(text);
      if (skipPartialLine) text = text.slice(text.indexOf('\n') + 1);
      if (text) this.append(text);
    } finally {
      await handle.close();
    }
  }

  dispose(): void {
    this.stopped = true;
    unwatchFile(this.file, this.listener);
  }
}
