// The extension's one poller. Views, panels and log editors watch resources by key (e.g.
// `sagemaker/trainingJob/foo`); on each tick every key that one of its watchers wants is read once,
// and the result goes to all of them: a job shown in a panel and followed in a log is described once
// per tick, not once per surface. A read still in flight is joined, never repeated. While suspended
// (the connection is down) nothing is read, so a dead endpoint gets no storm of requests. Pure (no
// `vscode`): the scheduler is injected, so tests drive ticks without waiting.
import type { PollSchedule } from './schedules';

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Scheduler = {
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type PollOutcome<T> = { value: T } | { error: unknown };

export interface PollWatch {
  /** A new schedule, e.g. quicker once something is in progress; counts polls afresh. */
  reschedule(schedule: PollSchedule): void;
  dispose(): void;
}

interface Watcher {
  listener: (outcome: PollOutcome<unknown>) => void;
  schedule: PollSchedule;
  /** Reads delivered since the schedule was set. */
  polls: number;
  /** When this watcher last got a fresh read (ms, scheduler time). */
  lastReadAt: number;
}

interface Resource {
  key: string;
  read: () => Promise<unknown>;
  watchers: Set<Watcher>;
  inFlight?: Promise<void>;
}

export class Poller {
  private readonly resources = new Map<string, Resource>();
  private timer: unknown;
  private suspended = false;
  private elapsedMs = 0;
  /** Reads issued, per key: what tests and the benchmark count. */
  readonly reads = new Map<string, number>();

  constructor(
    /** The tick: the finest any watcher is served, and the bound on noticing a change. */
    readonly intervalMs: number,
    private readonly scheduler: Scheduler = realTimers,
  ) {}

  /**
   * Watches `key`: `read` (the same for every watcher of a key: the first one's is used) runs when
   * the schedule says so, and every watcher of the key gets each outcome.
   */
  watch<T>(key: string, read: () => Promise<T>, listener: (outcome: PollOutcome<T>) => void, schedule: PollSchedule): PollWatch {
    let resource = this.resources.get(key);
    if (!resource) {
      resource = { key, read, watchers: new Set() };
      this.resources.set(key, resource);
    }
    const watcher: Watcher = { listener: listener as Watcher['listener'], schedule, polls: 0, lastReadAt: this.elapsedMs };
    resource.watchers.add(watcher);
    this.ensureTicking();
    const owner = resource;
    return {
      reschedule: (next) => {
        watcher.schedule = next;
        watcher.polls = 0;
      },
      dispose: () => {
        owner.watchers.delete(watcher);
        if (owner.watchers.size === 0 && this.resources.get(key) === owner) this.resources.delete(key);
        if (this.resources.size === 0) this.stopTicking();
      },
    };
  }

  /** Reads `key` now for all its watchers (joining a read in flight); resolves when they have it. */
  refresh(key: string): Promise<void> {
    const resource = this.resources.get(key);
    return resource ? this.read(resource) : Promise.resolve();
  }

  /** Reads every watched key now, e.g. once the connection is back. */
  refreshAll(): Promise<void> {
    return Promise.all([...this.resources.values()].map((resource) => this.read(resource))).then(() => undefined);
  }

  /** No reads until `resume`: the connection is down and the health check watches it instead. */
  suspend(): void {
    this.suspended = true;
    this.stopTicking();
  }

  resume(): void {
    this.suspended = false;
    this.ensureTicking();
  }

  get isSuspended(): boolean {
    return this.suspended;
  }

  /** Keys watched now. */
  get watchedKeys(): string[] {
    return [...this.resources.keys()];
  }

  private tick(): void {
    this.timer = undefined;
    this.elapsedMs += this.intervalMs;
    for (const resource of this.resources.values()) {
      if ([...resource.watchers].some((watcher) => this.isDue(watcher))) void this.read(resource);
    }
    this.ensureTicking();
  }

  private isDue(watcher: Watcher): boolean {
    const delay = watcher.schedule(watcher.polls);
    // A schedule that has run out polls no more, until rescheduled.
    return delay !== undefined && this.elapsedMs - watcher.lastReadAt >= delay;
  }

  private read(resource: Resource): Promise<void> {
    resource.inFlight ??= (async () => {
      this.reads.set(resource.key, (this.reads.get(resource.key) ?? 0) + 1);
      let outcome: PollOutcome<unknown>;
      try {
        outcome = { value: await resource.read() };
      } catch (error) {
        outcome = { error };
      }
      resource.inFlight = undefined;
      for (const watcher of [...resource.watchers]) {
        watcher.polls++;
        watcher.lastReadAt = this.elapsedMs;
        try {
          watcher.listener(outcome);
        } catch {
          // One watcher's failure must not keep the others from their result.
        }
      }
    })();
    return resource.inFlight;
  }

  private ensureTicking(): void {
    if (this.timer !== undefined || this.suspended || this.resources.size === 0) return;
    this.timer = this.scheduler.setTimeout(() => this.tick(), this.intervalMs);
  }

  private stopTicking(): void {
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTicking();
    this.resources.clear();
  }
}
