// Unit tests of transfer progress.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeProgress, formatDuration, TransferProgress } from '../../../../../src/pipeline/transfers/transferProgress';

const MB = 1024 * 1024;

describe('transfer progress', () => {
  it('sums the files\' bytes, measures the rate over the last seconds and the time left at it', () => {
    let now = 0;
    const progress = new TransferProgress(100 * MB, 2, () => now);
    assert.equal(progress.snapshot().bytesPerSecond, undefined, 'no rate before anything moved');
    now = 1000;
    progress.update('a', 10 * MB);
    now = 2000;
    progress.update('b', 10 * MB);
    const snapshot = progress.snapshot();
    assert.equal(snapshot.doneBytes, 20 * MB);
    assert.equal(snapshot.bytesPerSecond, 10 * MB);
    assert.equal(snapshot.secondsLeft, 8);
    assert.equal(describeProgress(snapshot), '20 MB of 100 MB · 0 of 2 files · 10 MB/s · 8 s left');
  });

  it('forgets old samples: after a stall the rate drops within the window', () => {
    let now = 0;
    const progress = new TransferProgress(100 * MB, 1, () => now);
    for (let second = 1; second <= 10; second++) {
      now = second * 1000;
      progress.update('a', second * 5 * MB);
    }
    now = 16_000;
    progress.update('a', 50 * MB + 1);
    assert.ok(progress.snapshot().bytesPerSecond! < 2 * MB, `rate ${progress.snapshot().bytesPerSecond}`);
  });

  it('counts a file once, ignores progress going back, and takes skipped files off what is left', () => {
    const progress = new TransferProgress(30, 3, () => 0);
    progress.update('a', 10);
    progress.update('a', 5);
    progress.finish('a', 10);
    progress.skip('b', 10);
    const snapshot = progress.snapshot();
    assert.equal(snapshot.doneBytes, 20);
    assert.equal(snapshot.doneFiles, 2);
  });

  it('writes durations as people read them', () => {
    assert.equal(formatDuration(59), '59 s');
    assert.equal(formatDuration(61), '1 min 1 s');
    assert.equal(formatDuration(3 * 3600 + 120), '3 h 2 min');
  });
});
