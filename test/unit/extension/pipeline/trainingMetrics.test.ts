// Unit tests of training metric series.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostsOf, lastTimestamp, mergeSeries } from '../../../../src/pipeline/trainingMetrics';
import { align, chartOf, chartsOf, decimate, formatElapsed, hostIndex } from '../../../../webview/trainingJob/chartData';
import type { TrainingJobDescription } from '../../../../src/pipeline/trainingJobs';

describe('training metric series', () => {
  it('puts train and validation of one quantity on one chart, whatever the naming', () => {
    const charts = ['train:loss', 'validation:loss', 'train_loss', 'eval_loss', 'val_loss', 'loss/train', 'train:accuracy', 'test:accuracy', 'lr', 'train:'].map(chartOf);
    assert.deepEqual(charts, ['loss', 'loss', 'loss', 'loss', 'loss', 'loss', 'accuracy', 'accuracy', 'lr', 'train:']);
  });

  it('aligns series of different hosts on one x axis, null where a host has no point (or no value)', () => {
    const columns = (xs: number[], ys: number[]) => ({ xs: Float64Array.from(xs), ys: Float64Array.from(ys) });
    assert.deepEqual(align([columns([1, 2, 4], [10, 20, 40]), columns([2, 3, 5], [2, 3, Number.NaN])]), [[1, 2, 3, 4, 5], [10, 20, null, 40, null], [null, 2, 3, null, null]]);
    assert.deepEqual(align([columns([1, 2], [5, 6])]), [[1, 2], [5, 6]]);
    const charts = chartsOf([
      { label: 'train:loss', chart: 'loss', colour: 0, dash: 0, ...columns([1], [3]) },
      { label: 'lr', chart: 'lr', colour: 0, dash: 0, ...columns([1], [0.1]) },
      { label: 'validation:loss', chart: 'loss', colour: 1, dash: 1, ...columns([2], [4]) },
    ]);
    assert.deepEqual(charts.map((chart) => [chart.chart, chart.labels, chart.points]), [['loss', ['train:loss', 'validation:loss'], 2], ['lr', ['lr'], 1]]);
    assert.deepEqual(charts[0].styles, [{ colour: 0, dash: 0 }, { colour: 1, dash: 1 }]);
    assert.deepEqual(['algo-1', 'algo-2', 'algo-12'].map(hostIndex), [0, 1, 11]);
    assert.deepEqual([formatElapsed(42), formatElapsed(185), formatElapsed(3720)], ['42s', '3m 05s', '1h 02m']);
  });

  it('knows a job\'s hosts from its instance count, or its instance groups', () => {
    const job = (resources: TrainingJobDescription['ResourceConfig']) => ({ ResourceConfig: resources }) as TrainingJobDescription;
    assert.deepEqual(hostsOf(job({ InstanceType: 'ml.m5.xlarge', InstanceCount: 3, VolumeSizeInGB: 1 })), ['algo-1', 'algo-2', 'algo-3']);
    assert.deepEqual(
      hostsOf(job({ VolumeSizeInGB: 1, InstanceGroups: [{ InstanceGroupName: 'a', InstanceType: 'ml.m5.xlarge', InstanceCount: 1 }, { InstanceGroupName: 'b', InstanceType: 'ml.p4d.24xlarge', InstanceCount: 2 }] })),
      ['algo-1', 'algo-2', 'algo-3'],
    );
  });

  it('merges a re-read: the last point replaced, new ones appended in time order, new series added', () => {
    const known = [{ metric: 'loss', host: 'algo-1', timestamps: [1, 2, 3], values: [5, 4, 3] }];
    const fresh = [
      { metric: 'loss', host: 'algo-1', timestamps: [3, 4], values: [2.9, 2.5] },
      { metric: 'loss', host: 'algo-2', timestamps: [3], values: [3.1] },
    ];
    const merged = mergeSeries(known, fresh);
    assert.deepEqual(merged, [
      { metric: 'loss', host: 'algo-1', timestamps: [1, 2, 3, 4], values: [5, 4, 2.9, 2.5] },
      { metric: 'loss', host: 'algo-2', timestamps: [3], values: [3.1] },
    ]);
    assert.deepEqual(known[0].values, [5, 4, 3], 'what was known is not changed in place');
    assert.equal(lastTimestamp(merged), 4);
    assert.equal(lastTimestamp([]), undefined);
  });

  it('decimates long series to what the width shows: every column\'s first, last, lowest and highest point, the zoomed range at full resolution', () => {
    const xs = Float64Array.from({ length: 1000 }, (_, index) => index);
    const ys = xs.map((x) => x % 10);
    ys[503] = 99; // a spike inside a column
    ys[504] = -7;
    // Another host: every other x, a value only at odd ones (NaN: no value).
    const gappy = { xs: xs.filter((x) => x % 2 === 0).map((x) => x + 1), ys: xs.filter((x) => x % 2 === 0).map((x) => (x % 4 === 0 ? -(x + 1) : Number.NaN)) };
    const [dxs, dys, dgappy] = decimate([{ xs, ys }, gappy], 10);
    assert.ok(dxs.length <= 4 * 10 * 2 + 2, `${dxs.length} points for 10 columns of 2 series`);
    assert.deepEqual([dxs[0], dxs[dxs.length - 1]], [0, 999], 'the ends stay');
    assert.ok(dys.includes(99) && dys.includes(-7), 'a column\'s extremes stay');
    assert.deepEqual([Math.min(...(dys.filter((y) => y !== null) as number[])), Math.max(...(dys.filter((y) => y !== null) as number[]))], [-7, 99]);
    assert.ok(dgappy.includes(-997) && dgappy.includes(-1), 'a series with gaps keeps its extremes');
    dxs.forEach((x, index) => {
      if (dys[index] !== null) assert.equal(dys[index], ys[x], 'each kept point is a real point');
      if (dgappy[index] !== null) assert.equal(dgappy[index], -x, 'each kept point of the other host is a real point');
    });
    // Zoomed into 500…520: all 21 points there (and one either side), the rest still at the whole range's resolution.
    const [zxs, zys] = decimate([{ xs, ys }, gappy], 10, 500, 520);
    for (let x = 499; x <= 521; x++) assert.ok(zxs.includes(x) && zys[zxs.indexOf(x)] === ys[x], `x = ${x} kept when zoomed`);
    assert.deepEqual([zxs[0], zxs[zxs.length - 1]], [0, 999]);
    // Small data is drawn as it is.
    assert.deepEqual(decimate([{ xs: [1, 2, 3], ys: [4, 5, 6] }], 10), [[1, 2, 3], [4, 5, 6]]);
  });
});
