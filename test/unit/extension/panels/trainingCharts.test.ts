// Unit tests of what the training job panel and Compare draw from many points: metric series travel
// as columns (Float64Array), and a chart is given only each pixel column's first, last, lowest and
// highest point of each series, read from those columns.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimate, secondsSince, sharesOneX, SINGLE_X_PADDING, xRange } from '../../../../webview/trainingJob/chartData';
import { isHostMessage, toMetricSeriesView } from '../../../../webview/trainingJob/protocol';
import { isHostMessage as isCompareMessage } from '../../../../webview/compareJobs/protocol';

/** `count` points of host `host`: one a minute, hosts 3 s apart, a noisy falling loss (deterministic). */
function hostSeries(host: number, count: number): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    xs[index] = index * 60 + host * 3;
    ys[index] = 3 * Math.exp(-index / count) + 0.3 * Math.sin(index * (host + 1.3)) + (index % 997 === 0 ? 5 : 0);
  }
  return { xs, ys };
}

describe('training charts from many points', () => {
  it('keeps, of 100,000 points on 4 hosts, each series\' lowest and highest point of every pixel column, and at most 4 per column', () => {
    const series = [1, 2, 3, 4].map((host) => hostSeries(host, 25_000));
    const columns = 500;
    const [xs, ...ys] = decimate(series, columns);
    const low = series[0].xs[0];
    const high = series[3].xs[series[3].xs.length - 1];
    const columnOf = (x: number) => Math.min(columns - 1, Math.floor(((x - low) / (high - low)) * columns));
    series.forEach((full, index) => {
      const drawn = ys[index];
      const kept = xs.flatMap((x, at) => (drawn[at] === null ? [] : [[x, drawn[at] as number]]));
      assert.ok(kept.length <= 4 * columns, `host ${index + 1}: ${kept.length} points for ${columns} columns`);
      // Every kept point is one of the host's own, with its value (what the hover shows).
      const valueAt = new Map(Array.from(full.xs, (x, at) => [x, full.ys[at]]));
      for (const [x, y] of kept) assert.equal(valueAt.get(x), y, `host ${index + 1} at x = ${x}`);
      // Each column's extremes, computed the slow way from all the points, are among them.
      const extremes = new Map<number, { min: number; max: number }>();
      full.xs.forEach((x, at) => {
        const column = extremes.get(columnOf(x)) ?? { min: Infinity, max: -Infinity };
        extremes.set(columnOf(x), { min: Math.min(column.min, full.ys[at]), max: Math.max(column.max, full.ys[at]) });
      });
      const keptByColumn = new Map<number, number[]>();
      for (const [x, y] of kept) {
        const values = keptByColumn.get(columnOf(x)) ?? [];
        values.push(y);
        keptByColumn.set(columnOf(x), values);
      }
      for (const [column, { min, max }] of extremes) {
        const values = keptByColumn.get(column) ?? [];
        assert.ok(values.includes(min) && values.includes(max), `host ${index + 1}, column ${column}: min ${min} and max ${max} kept`);
      }
    });
    assert.deepEqual([xs[0], xs[xs.length - 1]], [low, high], 'the x axis spans every point');
  });

  it('turns epoch milliseconds into the seconds a chart draws, from the epoch or from a job\'s start', () => {
    assert.deepEqual(Array.from(secondsSince(Float64Array.of(1_767_225_600_000, 1_767_225_660_000), 0)), [1_767_225_600, 1_767_225_660]);
    assert.deepEqual(Array.from(secondsSince(Float64Array.of(1_767_225_600_000, 1_767_225_660_000), 1_767_225_540_000)), [60, 120]);
  });

  it('sends series as columns of Float64Array, and the panels take nothing else', () => {
    const series = toMetricSeriesView({ metric: 'train:loss', host: 'algo-1', timestamps: [1000, 61_000], values: [2.5, 2.25] });
    assert.ok(series.timestamps instanceof Float64Array && series.values instanceof Float64Array);
    assert.deepEqual([Array.from(series.timestamps), Array.from(series.values)], [[1000, 61_000], [2.5, 2.25]]);
    const message = structuredClone({ type: 'metrics', series: [series], live: true });
    assert.ok(isHostMessage(message), 'what the host sends, cloned as postMessage clones it');
    assert.ok(isCompareMessage({ type: 'jobs', jobs: [{ name: 'a', status: 'Completed', startedAt: 0, hosts: 1, series: [series] }], live: false, failures: [] }));
    assert.equal(isHostMessage({ type: 'metrics', series: [{ metric: 'loss', host: 'algo-1', timestamps: [1000], values: [2.5] }], live: true }), false, 'arrays of numbers');
    assert.equal(isHostMessage({ type: 'metrics', series: [{ ...series, values: new Float64Array(1) }], live: true }), false, 'columns of different lengths');
    assert.equal(isCompareMessage({ type: 'jobs', jobs: [{ name: 'a', series: [{ metric: 'loss', host: 'algo-1', timestamps: [1], values: [2] }] }], live: false, failures: [] }), false);
  });

  it('ranges a chart whose points share one time (a job shorter than a minute) a minute either side of it, and leaves any other to the plotting library', () => {
    const at = 1_700_000_000;
    assert.equal(sharesOneX([at, at]), true, 'train and validation loss at the same minute');
    assert.equal(sharesOneX([0]), true);
    assert.equal(sharesOneX([at, at + 60]), false);
    assert.equal(sharesOneX([]), false, 'no data: the library ranges it');
    assert.deepEqual(xRange(null, null, [at, at]), [at - SINGLE_X_PADDING, at + SINGLE_X_PADDING]);
    assert.equal(SINGLE_X_PADDING, 60);
    assert.deepEqual(xRange(null, null, [0]), [-60, 60], 'elapsed time from the start: the first point alone');
    assert.deepEqual(xRange(5, 75, [10, 70]), [5, 75], 'a zoom of two times is kept');
  });
});
