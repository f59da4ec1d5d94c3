// The in-process metrics API the runtimes use (publishMetrics / metricStatistics), over a real store:
// AWS/ namespaces allowed, statistic sets, durability across a reopen, and the per-metric bound.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  allMetrics,
  findMetric,
  MAX_POINTS_PER_METRIC,
  type MetricDatapoint,
  metricStatistics,
  publishMetric,
  publishMetrics,
} from '../../../../emulator/services/cloudwatch/metrics';
import { Store } from '../../../../emulator/store/store';
import { makeTempDir } from '../../../../harness/emulatorClients';

const MINUTE = 60_000;
const BASE = Math.floor(Date.now() / (60 * MINUTE)) * 60 * MINUTE - 60 * MINUTE;
const VARIANT = { EndpointName: 'chat', VariantName: 'AllTraffic' };
/** The first five minutes from BASE of an AWS/SageMaker metric of the variant. */
const sageMakerWindow = (name: string, period: number) => ({
  namespace: 'AWS/SageMaker',
  name,
  dimensions: VARIANT,
  start: new Date(BASE),
  end: new Date(BASE + 5 * MINUTE),
  period,
});

describe('CloudWatch metrics: the in-process API', () => {
  const dir = makeTempDir('metrics-store');
  let store: Store;
  const scope = () => ({ store, accountId: '123456789012', region: 'us-east-1' });
  before(async () => (store = await Store.open(join(dir.path, 'store'))));
  after(async () => {
    await store.close();
    dir.remove();
  });

  it('publishes AWS/ metrics, values and statistic sets, and reads them per period', async () => {
    await publishMetrics(scope(), [
      { namespace: 'AWS/SageMaker', name: 'Invocations', dimensions: VARIANT, timestamp: BASE + 5_000, value: 1, unit: 'Count' },
      { namespace: 'AWS/SageMaker', name: 'Invocations', dimensions: { VariantName: 'AllTraffic', EndpointName: 'chat' }, timestamp: BASE + 50_000, value: 1, unit: 'Count' },
      {
        namespace: 'AWS/SageMaker',
        name: 'ModelLatency',
        dimensions: VARIANT,
        timestamp: BASE + MINUTE,
        statistics: { sampleCount: 3, sum: 900, minimum: 100, maximum: 500 },
        unit: 'Microseconds',
      },
    ]);
    await publishMetric(scope(), { namespace: 'AWS/SageMaker', name: 'Invocations', dimensions: VARIANT, timestamp: BASE + 2 * MINUTE, value: 4, unit: 'Count' });

    const invocations = metricStatistics(scope(), sageMakerWindow('Invocations', 60));
    assert.deepEqual(
      invocations.map(({ timestamp, sampleCount, sum }) => ({ timestamp, sampleCount, sum })),
      [
        { timestamp: BASE, sampleCount: 2, sum: 2 },
        { timestamp: BASE + 2 * MINUTE, sampleCount: 1, sum: 4 },
      ],
    );
    const latency = metricStatistics(scope(), sageMakerWindow('ModelLatency', 300));
    assert.deepEqual(latency, [{ timestamp: BASE, sampleCount: 3, sum: 900, minimum: 100, maximum: 500, unit: 'Microseconds', values: undefined }]);
    // Another account sees none of it.
    assert.deepEqual(allMetrics({ store, accountId: '210987654321', region: 'us-east-1' }), []);
  });

  it('keeps them across a reopen of the store', async () => {
    await store.close();
    store = await Store.open(join(dir.path, 'store'));
    const invocations = metricStatistics(scope(), sageMakerWindow('Invocations', 300));
    assert.deepEqual(invocations.map(({ sum }) => sum), [6]);
  });

  it(`keeps at most ${MAX_POINTS_PER_METRIC.toLocaleString('en-US')} datapoints per metric, dropping the oldest`, async () => {
    const total = MAX_POINTS_PER_METRIC + 1000;
    for (let start = 0; start < total; start += 1000) {
      const batch: MetricDatapoint[] = Array.from({ length: 1000 }, (_, index) => ({
        namespace: 'Test/Bounded',
        name: 'step',
        // One a second over the past 14 hours, oldest first, at high resolution.
        timestamp: Date.now() - (total - start - index) * 1000,
        value: start + index,
        storageResolution: 1,
      }));
      await publishMetrics(scope(), batch);
    }
    const record = findMetric(scope(), { namespace: 'Test/Bounded', name: 'step', dimensions: [] });
    assert.ok(record && record.pointCount <= MAX_POINTS_PER_METRIC && record.pointCount > MAX_POINTS_PER_METRIC - 100, `${record?.pointCount} datapoints kept`);
    const day = { start: new Date(Date.now() - 20 * 60 * MINUTE), end: new Date(Date.now() + MINUTE), period: 86_400 };
    const [all] = metricStatistics(scope(), { namespace: 'Test/Bounded', name: 'step', ...day });
    assert.equal(all.sampleCount, record.pointCount);
    assert.equal(all.maximum, total - 1, 'the newest datapoints are kept');
    assert.equal(all.minimum, total - record.pointCount, 'the oldest ones went');
  });
});
