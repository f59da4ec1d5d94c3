// The extension's metric series of a training job (src/pipeline/trainingMetrics) read back through
// the real CloudWatch client from what the emulator holds: one series per metric and host, from the
// job's description alone, and read again from the last point as a running job adds more.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lastTimestamp, mergeSeries, readTrainingMetrics } from '../../../../src/pipeline/trainingMetrics';
import type { TrainingJobDescription } from '../../../../src/pipeline/trainingJobs';
import { startTestEmulator, type TestEmulator } from '../../helpers';
import { clientConfig } from '../../../../harness/emulatorClients';

const JOB = 'curves-2-hosts';

describe('training metric series (src/pipeline/trainingMetrics)', () => {
  let emulator: TestEmulator;
  let cloudWatch: CloudWatchClient;
  const start = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
  const description: TrainingJobDescription = {
    TrainingJobName: JOB,
    TrainingJobArn: `arn:aws:sagemaker:us-east-1:000000000000:training-job/${JOB}`,
    TrainingJobStatus: 'InProgress',
    SecondaryStatus: 'Training',
    CreationTime: new Date(start + 5000),
    AlgorithmSpecification: {
      TrainingInputMode: 'File',
      TrainingImage: 'img',
      MetricDefinitions: [
        { Name: 'train:loss', Regex: 'loss=(.*)' },
        { Name: 'validation:loss', Regex: 'val_loss=(.*)' },
        { Name: 'never:logged', Regex: 'nothing' },
      ],
    },
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    ModelArtifacts: undefined as never,
  };

  /** Publishes samples as the training runtime does, per host; `minute` from the test's start. */
  const publish = (metric: string, host: string, points: [number, number][], job = JOB) =>
    cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: '/aws/sagemaker/TrainingJobs',
        MetricData: points.map(([minute, value]) => ({ MetricName: metric, Dimensions: [{ Name: 'Host', Value: `${job}/${host}` }], Timestamp: new Date(start + minute * 60_000 + 17_000), Value: value })),
      }),
    );

  before(async () => {
    emulator = await startTestEmulator();
    cloudWatch = new CloudWatchClient(clientConfig(emulator.url));
    await publish('train:loss', 'algo-1', [[0, 5], [1, 4], [2, 3.5]]);
    await publish('train:loss', 'algo-2', [[0, 5.1], [1, 4.2]]);
    await publish('validation:loss', 'algo-1', [[2, 3.9]]);
    // Another job whose name starts with this one's, and a host the job does not have.
    await publish('train:loss', 'algo-1', [[0, 99]], `${JOB}-x`);
    await publish('train:loss', 'algo-3', [[0, 99]]);
  });
  after(async () => {
    cloudWatch.destroy();
    await emulator.close();
  });

  it('reads one series per metric and host the job has, oldest point first; nothing of other jobs or hosts', async () => {
    const series = await readTrainingMetrics(cloudWatch, description);
    const shown = series.map((entry) => [entry.metric, entry.host, entry.values, entry.timestamps.map((timestamp) => (timestamp - start) / 60_000)]);
    assert.deepEqual(shown, [
      ['train:loss', 'algo-1', [5, 4, 3.5], [0, 1, 2]],
      ['train:loss', 'algo-2', [5.1, 4.2], [0, 1]],
      ['validation:loss', 'algo-1', [3.9], [2]],
    ]);
  });

  it('reads on from the last point as the job goes on, each point once', async () => {
    const first = await readTrainingMetrics(cloudWatch, description);
    await publish('train:loss', 'algo-2', [[2, 3.6], [3, 3.2]]);
    const fresh = await readTrainingMetrics(cloudWatch, description, lastTimestamp(first));
    const merged = mergeSeries(first, fresh);
    const algo2 = merged.find((entry) => entry.metric === 'train:loss' && entry.host === 'algo-2')!;
    assert.deepEqual(algo2.values, [5.1, 4.2, 3.6, 3.2]);
    const algo1 = merged.find((entry) => entry.metric === 'train:loss' && entry.host === 'algo-1')!;
    assert.deepEqual(algo1.values, [5, 4, 3.5], 'the overlapping last point is replaced, not repeated');
  });
});
