// Watches whether the connection answers at all: a cheap probe every poll interval while it is up
// (the local emulator's health control; any HTTP answer counts, a refusal included), and every
// second while it is down, so a restarted emulator is noticed at once. A failed call anywhere else
// reports the same way (Connection.report). Pure (no `vscode`): probe and scheduler are injected.
import type { Scheduler } from '../polling/poller';

export interface HealthOptions {
  /** Resolves if the connection answers, rejects with the network error if not; `skip` when there is nothing to probe. */
  probe: () => Promise<'answered' | 'skip'>;
  /** Told each probe's outcome: undefined when it answered. */
  onResult: (error: unknown) => void;
  /** Between probes while the connection is up. */
  upIntervalMs: number;
  /** Between probes while it is down. */
  downIntervalMs: number;
  scheduler: Scheduler;
}

export class HealthMonitor {
  private timer: unknown;
  private down = false;
  private running = false;
  private probing: Promise<void> | undefined;

  constructor(private readonly options: HealthOptions) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.options.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** What the rest of the extension found: a down connection is probed quickly until it answers. */
  setDown(down: boolean): void {
    if (this.down === down) return;
    this.down = down;
    if (this.running) {
      if (this.timer !== undefined) this.options.scheduler.clearTimeout(this.timer);
      this.timer = undefined;
      this.schedule();
    }
  }

  /** Probes now (joining a probe in flight). */
  check(): Promise<void> {
    this.probing ??= (async () => {
      try {
        const result = await this.options.probe();
        if (result === 'answered') this.options.onResult(undefined);
      } catch (error) {
        this.options.onResult(error);
      } finally {
        this.probing = undefined;
      }
    })();
    return this.probing;
  }

  private schedule(): void {
    if (!this.running || this.timer !== undefined) return;
    this.timer = this.options.scheduler.setTimeout(
      () => {
        this.timer = undefined;
        void this.check().then(() => this.schedule());
      },
      this.down ? this.options.downIntervalMs : this.options.upIntervalMs,
    );
  }
}
