// Unit tests of training metric series.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostsOf, lastTimestamp, mergeSeries } from '../../../../src/pipeline/trainingMetrics';
import { align, chartOf, chartsOf, formatElapsed, hostIndex } from '../../../../webview/trainingJob/chartData';
import type { TrainingJobDescription } from '../../../../src/pipeline/trainingJobs';

describe('training metric series', () => {
  it('puts train and validation of one quantity on one chart, whatever the naming', () => {
    const charts = ['train:loss', 'validation:loss', 'train_loss', 'eval_loss', 'val_loss', 'loss/train', 'train:accuracy', 'test:accuracy', 'lr', 'train:'].map(chartOf);
    assert.deepEqual(charts, ['loss', 'loss', 'loss', 'loss', 'loss', 'loss', 'accuracy', 'accuracy', 'lr', 'train:']);
  });

  it('aligns series of different hosts on one x axis, null where a host has no point', () => {
    assert.deepEqual(align([{ xs: [1, 2, 4], ys: [10, 20, 40] }, { xs: [2, 3], ys: [2, 3] }]), [[1, 2, 3, 4], [10, 20, null, 40], [null, 2, 3, null]]);
    const single = { xs: [1, 2], ys: [5, 6] };
    assert.deepEqual(align([single]), [[1, 2], [5, 6]]);
    const charts = chartsOf([
      { label: 'train:loss', chart: 'loss', colour: 0, dash: 0, xs: [1], ys: [3] },
      { label: 'lr', chart: 'lr', colour: 0, dash: 0, xs: [1], ys: [0.1] },
      { label: 'validation:loss', chart: 'loss', colour: 1, dash: 1, xs: [2], ys: [4] },
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
});
