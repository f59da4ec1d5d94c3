// How far a transfer is, for its one progress notification: bytes done of the total, the rate over
// the last few seconds and the time left at that rate. Pure (the clock is passed in), unit-tested.
import { formatBytes } from '../../format';

/** The rate is measured over this much recent time, so a pause or a burst shows within seconds. */
const RATE_WINDOW_MS = 5000;

export interface TransferSnapshot {
  doneBytes: number;
  totalBytes: number;
  doneFiles: number;
  totalFiles: number;
  /** Bytes per second over the recent window; undefined until there is one to measure. */
  bytesPerSecond?: number;
  /** Seconds left at that rate. */
  secondsLeft?: number;
}

export class TransferProgress {
  private readonly perItem = new Map<string, number>();
  private doneBytes = 0;
  private doneFiles = 0;
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    readonly totalBytes: number,
    readonly totalFiles: number,
    private readonly now: () => number = Date.now,
  ) {
    this.samples.push({ at: now(), bytes: 0 });
  }

  /** `loaded` bytes of `item` are done (cumulative for that item; a smaller number than before is ignored). */
  update(item: string, loaded: number): void {
    const before = this.perItem.get(item) ?? 0;
    if (loaded <= before) return;
    this.perItem.set(item, loaded);
    this.doneBytes += loaded - before;
    this.sample();
  }

  /** `item` is done, with all its `size` bytes. */
  finish(item: string, size: number): void {
    this.update(item, size);
    this.doneFiles++;
  }

  /** `item` was skipped (it already existed): its bytes leave the total. */
  skip(item: string, size: number): void {
    this.update(item, size);
    this.doneFiles++;
  }

  private sample(): void {
    const at = this.now();
    this.samples.push({ at, bytes: this.doneBytes });
    while (this.samples.length > 2 && at - this.samples[1].at > RATE_WINDOW_MS) this.samples.shift();
  }

  snapshot(): TransferSnapshot {
    const at = this.now();
    const first = this.samples[0];
    const elapsedMs = at - first.at;
    const bytesPerSecond = elapsedMs >= 500 ? ((this.doneBytes - first.bytes) * 1000) / elapsedMs : undefined;
    const left = this.totalBytes - this.doneBytes;
    return {
      doneBytes: this.doneBytes,
      totalBytes: this.totalBytes,
      doneFiles: this.doneFiles,
      totalFiles: this.totalFiles,
      bytesPerSecond,
      secondsLeft: bytesPerSecond && bytesPerSecond > 0 ? Math.ceil(left / bytesPerSecond) : undefined,
    };
  }
}

/** "12.0 MB of 256 MB · 3 of 64 files · 48.0 MB/s · 5 s left" */
export function describeProgress(snapshot: TransferSnapshot): string {
  const parts = [`${formatBytes(snapshot.doneBytes)} of ${formatBytes(snapshot.totalBytes)}`];
  if (snapshot.totalFiles > 1) parts.push(`${snapshot.doneFiles} of ${snapshot.totalFiles} files`);
  if (snapshot.bytesPerSecond !== undefined) parts.push(`${formatBytes(snapshot.bytesPerSecond)}/s`);
  if (snapshot.secondsLeft !== undefined && snapshot.doneBytes < snapshot.totalBytes) parts.push(`${formatDuration(snapshot.secondsLeft)} left`);
  return parts.join(' · ');
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
