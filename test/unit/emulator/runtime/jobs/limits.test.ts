// Job time limits of up to 28 days outlast one Node timer (about 24.8 days; longer ones fire at once).
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { afterDelay } from '../../../../../emulator/runtime/jobs/limits';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Moves the mocked clock on an hour at a time, as time passes (timers set on the way run when due). */
function pass(ms: number): void {
  for (let left = ms; left > 0; left -= HOUR_MS) mock.timers.tick(Math.min(HOUR_MS, left));
}

describe('afterDelay', () => {
  it('waits 28 days (MaxRuntimeInSeconds at its maximum) rather than firing at once', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let fired = 0;
      afterDelay(28 * DAY_MS, () => fired++);
      pass(1);
      assert.equal(fired, 0);
      pass(27 * DAY_MS);
      assert.equal(fired, 0, 'still waiting after 27 days');
      // (The mocked clock runs timers at the end of each hour step, so the second stretch may start late by up to an hour.)
      pass(DAY_MS + HOUR_MS);
      assert.equal(fired, 1);
    } finally {
      mock.timers.reset();
    }
  });

  it('can be cleared, also during its second stretch', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let fired = 0;
      const deadline = afterDelay(28 * DAY_MS, () => fired++);
      pass(26 * DAY_MS);
      deadline.clear();
      pass(3 * DAY_MS);
      assert.equal(fired, 0);
    } finally {
      mock.timers.reset();
    }
  });
});
