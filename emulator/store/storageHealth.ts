// Whether the emulator's data directory takes writes. A disk that is full (ENOSPC), over quota
// (EDQUOT) or read-only (EROFS) is a condition of the machine, not a bug: the store and the blobs
// refuse the write with a retryable error, keep serving reads, and recover by themselves with the
// next write that succeeds. `GET /_emulator/health` reports the state, probing the disk once it has
// failed (a MiB, written and removed), so that it says "ok" again once space returns even when
// nothing else is written.
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

const UNAVAILABLE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);
const PROBE_FILE = '.write-probe';
/**
 * What the probe writes: a write that failed for lack of space leaves a little behind when it is
 * cut back, so only room for this much says that writes may go on.
 */
const PROBE_BYTES = 1024 * 1024;

/** True for the file-system errors that mean "no writes for now" rather than "something is broken". */
export function isStorageUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
    if (UNAVAILABLE_CODES.has((cause as NodeJS.ErrnoException).code ?? '')) return true;
  }
  return false;
}

export interface StorageState {
  status: 'ok' | 'degraded';
  /** Why writes fail, e.g. `ENOSPC: no space left on device` (degraded only). */
  reason?: string;
  /** When the first write failed (degraded only). */
  since?: string;
}

export class StorageHealth {
  private failure: { reason: string; since: Date } | undefined;

  /** `directory`: where a probe may write when the state is asked for while degraded. */
  constructor(private readonly directory: string) {}

  /** A write to the data directory failed with `error`. */
  writeFailed(error: unknown): void {
    if (this.failure) return;
    const { code, message } = error as NodeJS.ErrnoException;
    this.failure = { reason: code && !message.startsWith(code) ? `${code}: ${message}` : message, since: new Date() };
  }

  /** A write to the data directory succeeded: there is space again. */
  writeSucceeded(): void {
    this.failure = undefined;
  }

  get degraded(): boolean {
    return this.failure !== undefined;
  }

  /** The state; while degraded, a small write first checks whether the disk takes writes again. */
  async state(): Promise<StorageState> {
    if (this.failure) await this.probe();
    return this.failure ? { status: 'degraded', reason: this.failure.reason, since: this.failure.since.toISOString() } : { status: 'ok' };
  }

  private async probe(): Promise<void> {
    const path = join(this.directory, PROBE_FILE);
    try {
      const file = await open(path, 'w');
      try {
        const probe = Buffer.alloc(PROBE_BYTES);
        for (let written = 0; written < PROBE_BYTES; ) {
          const { bytesWritten } = await file.write(probe, written, PROBE_BYTES - written);
          if (bytesWritten <= 0) return;
          written += bytesWritten;
        }
        await file.sync();
      } finally {
        await file.close();
      }
      this.writeSucceeded();
    } catch {
      // Still no space: the state stays degraded.
    } finally {
      await rm(path, { force: true }).catch(() => {});
    }
  }
}
