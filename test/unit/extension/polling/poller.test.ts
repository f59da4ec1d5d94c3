// The one poller: one read per resource per tick whoever watches it, schedules per watcher, joined
// reads, suspension; and the health monitor's probing. Ticks are driven by hand (no waiting).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthMonitor } from '../../../../src/connection/health';
import { Poller, type PollOutcome, type Scheduler } from '../../../../src/polling/poller';
import { backoff, everyMs } from '../../../../src/polling/schedules';

/** A scheduler whose timers run only when the test says so. */
class ManualScheduler implements Scheduler {
  private next = 1;
  readonly timers = new Map<number, { callback: () => void; ms: number }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { callback, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Runs the timers due now (each pending one: ticks are one interval apart), then lets reads settle. */
  async tick(): Promise<void> {
    const due = [...this.timers.entries()];
    this.timers.clear();
    for (const [, timer] of due) timer.callback();
    await settled();
  }
}

/** Lets promise callbacks run: reads here resolve at once, so a few turns of the queue suffice. */
async function settled(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function counter(): { read: () => Promise<number>; calls: () => number } {
  let calls = 0;
  return { read: async () => ++calls, calls: () => calls };
}

describe('Poller', () => {
  it('reads a resource once per tick for all its watchers, and gives each the same outcome', async () => {
    const scheduler = new ManualScheduler();
    const poller = new Poller(2000, scheduler);
    const job = counter();
    const seen: number[][] = [[], [], []];
    for (const index of [0, 1, 2]) {
      poller.watch('sagemaker/trainingJob/foo', job.read, (outcome: PollOutcome<number>) => seen[index].push('value' in outcome ? outcome.value : -1), everyMs(2000));
    }
    await scheduler.tick();
    await scheduler.tick();
    assert.equal(job.calls(), 2, 'one read per tick, not one per watcher');
    assert.deepEqual(seen, [[1, 2], [1, 2], [1, 2]]);
    assert.equal(poller.reads.get('sagemaker/trainingJob/foo'), 2);
  });

  it('serves each watcher on its own schedule: a quick one makes the read, a slow one still gets it', async () => {
    const scheduler = new ManualScheduler();
    const poller = new Poller(2000, scheduler);
    const list = counter();
    const slowSeen: number[] = [];
    const slow = poller.watch('view/jobs', list.read, (outcome) => slowSeen.push('value' in outcome ? outcome.value : -1), everyMs(10_000));
    for (let tick = 0; tick < 5; tick++) await scheduler.tick();
    assert.equal(list.calls(), 1, 'an idle view is read every 10 s (5 ticks), not every tick');
    // A quick watcher of the same key: every tick, and the slow one is served by those reads.
    const quick = poller.watch('view/jobs', list.read, () => undefined, everyMs(2000));
    for (let tick = 0; tick < 3; tick++) await scheduler.tick();
    assert.equal(list.calls(), 4);
    assert.deepEqual(slowSeen, [1, 2, 3, 4]);
    quick.dispose();
    slow.reschedule(backoff({ firstMs: 4000, factor: 2, maxMs: 8000, maxPolls: 2 }));
    for (let tick = 0; tick < 10; tick++) await scheduler.tick();
    assert.equal(list.calls(), 6, 'a schedule that runs out stops reading (4 s, then 8 s, then no more)');
    slow.dispose();
    assert.equal(scheduler.timers.size, 0, 'no timer is left when nothing is watched');
  });

  it('joins a read in flight instead of sending another', async () => {
    const scheduler = new ManualScheduler();
    const poller = new Poller(2000, scheduler);
    let release!: () => void;
    let calls = 0;
    const read = () => {
      calls++;
      return new Promise<string>((resolve) => (release = () => resolve('done')));
    };
    const outcomes: string[] = [];
    poller.watch('slow', read, (outcome) => outcomes.push('value' in outcome ? outcome.value : 'error'), everyMs(2000));
    const first = poller.refresh('slow');
    const second = poller.refresh('slow');
    await scheduler.tick(); // a tick while the read is in flight joins it too
    assert.equal(calls, 1);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(outcomes, ['done']);
  });

  it('delivers a failed read to every watcher, and one watcher\'s exception does not stop the others', async () => {
    const scheduler = new ManualScheduler();
    const poller = new Poller(2000, scheduler);
    const failure = new Error('connect ECONNREFUSED');
    const seen: unknown[] = [];
    poller.watch('k', () => Promise.reject(failure), () => {
      throw new Error('a broken listener');
    }, everyMs(2000));
    poller.watch('k', () => Promise.reject(failure), (outcome) => seen.push('error' in outcome ? outcome.error : undefined), everyMs(2000));
    await scheduler.tick();
    assert.deepEqual(seen, [failure]);
  });

  it('reads nothing while suspended, and everything at once with refreshAll', async () => {
    const scheduler = new ManualScheduler();
    const poller = new Poller(2000, scheduler);
    const a = counter();
    const b = counter();
    poller.watch('a', a.read, () => undefined, everyMs(2000));
    poller.watch('b', b.read, () => undefined, everyMs(60_000));
    poller.suspend();
    assert.equal(scheduler.timers.size, 0);
    for (let tick = 0; tick < 5; tick++) await scheduler.tick();
    assert.equal(a.calls() + b.calls(), 0, 'no request while the connection is down');
    poller.resume();
    await poller.refreshAll();
    assert.deepEqual([a.calls(), b.calls()], [1, 1]);
    assert.equal(scheduler.timers.size, 1, 'ticking again');
  });
});

describe('polling schedules', () => {
  it('backs off from quick reads to slow ones and stops after a bound', () => {
    const schedule = backoff({ firstMs: 2000, factor: 1.5, maxMs: 15_000, maxPolls: 240 });
    assert.deepEqual([0, 1, 2].map(schedule), [2000, 3000, 4500]);
    assert.equal(schedule(20), 15_000);
    assert.equal(schedule(239), 15_000);
    assert.equal(schedule(240), undefined);
  });
});

describe('HealthMonitor', () => {
  it('probes every interval while up, every second while down, and reports each outcome', async () => {
    const scheduler = new ManualScheduler();
    let answering = true;
    const results: (string | undefined)[] = [];
    const monitor = new HealthMonitor({
      probe: async () => {
        if (!answering) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return 'answered';
      },
      onResult: (error) => {
        results.push(error === undefined ? undefined : (error as { code: string }).code);
        monitor.setDown(error !== undefined);
      },
      upIntervalMs: 2000,
      downIntervalMs: 1000,
      scheduler,
    });
    monitor.start();
    assert.deepEqual([...scheduler.timers.values()].map((timer) => timer.ms), [2000]);
    await scheduler.tick();
    answering = false;
    await scheduler.tick();
    assert.deepEqual(results, [undefined, 'ECONNREFUSED']);
    assert.deepEqual([...scheduler.timers.values()].map((timer) => timer.ms), [1000], 'probed every second while down');
    answering = true;
    await scheduler.tick();
    assert.deepEqual(results, [undefined, 'ECONNREFUSED', undefined]);
    assert.deepEqual([...scheduler.timers.values()].map((timer) => timer.ms), [2000]);
    monitor.stop();
    assert.equal(scheduler.timers.size, 0);
  });
});
