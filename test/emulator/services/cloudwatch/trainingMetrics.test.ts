// A training job's MetricDefinitions samples reach CloudWatch as SageMaker publishes them: namespace
// /aws/sagemaker/TrainingJobs, the definition's name, dimension Host=<job>/algo-<n>, for every host,
// while the job runs — the curves the extension plots, read here through the real CloudWatch client.
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  type SageMakerClient,
  StopTrainingJobCommand,
  waitUntilTrainingJobCompletedOrStopped,
} from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../../../emulator/server';
import { clientConfig, makeTempDir, s3Client, sagemakerClient } from '../../../../harness/emulatorClients';
import { until } from '../../../../harness/waiting';
import { FIXTURES } from '../../runtimeTestHelpers';

const BUCKET = 'metrics-tests';
const NAMESPACE = '/aws/sagemaker/TrainingJobs';
const JOB = 'loss-curve';
const MINUTE = 60_000;

describe('training metrics in CloudWatch', () => {
  let emulator: RunningEmulator;
  let dataDir: ReturnType<typeof makeTempDir>;
  let sageMaker: SageMakerClient;
  let cloudwatch: CloudWatchClient;
  let logs: CloudWatchLogsClient;
  const jobStart = Date.now();

  before(async () => {
    dataDir = makeTempDir('training-metrics');
    emulator = await startEmulator({
      dataDir: dataDir.path,
      runtime: { timing: { stopGraceMs: 3000, checkpointScanMs: 200, logFlushMs: 100, spotRestartDelayMs: 1500 } },
    });
    sageMaker = sagemakerClient(emulator.url);
    cloudwatch = new CloudWatchClient(clientConfig(emulator.url));
    logs = new CloudWatchLogsClient(clientConfig(emulator.url));
    const s3 = s3Client(emulator.url);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
  });

  after(async () => {
    for (const client of [sageMaker, cloudwatch, logs]) client.destroy();
    await emulator.close();
    dataDir.remove();
  });

  /** One statistic of a host's loss, per minute, oldest first. */
  const series = async (host: string, stat: string) => {
    const { MetricDataResults } = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: 'loss',
            MetricStat: { Metric: { Namespace: NAMESPACE, MetricName: 'train:loss', Dimensions: [{ Name: 'Host', Value: `${JOB}/${host}` }] }, Period: 60, Stat: stat },
          },
        ],
        StartTime: new Date(jobStart - 2 * MINUTE),
        EndTime: new Date(Date.now() + 2 * MINUTE),
        ScanBy: 'TimestampAscending',
      }),
    );
    return { timestamps: MetricDataResults?.[0].Timestamps ?? [], values: MetricDataResults?.[0].Values ?? [] };
  };
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

  /** The losses a host printed, from its log stream. */
  const loggedLosses = async (host: string) => {
    const { logStreams = [] } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: NAMESPACE, logStreamNamePrefix: `${JOB}/${host}-` }));
    assert.equal(logStreams.length, 1);
    const { events = [] } = await logs.send(new GetLogEventsCommand({ logGroupName: NAMESPACE, logStreamName: logStreams[0].logStreamName, startFromHead: true }));
    return events.flatMap((event) => {
      const match = /loss=([0-9.]+)/.exec(event.message ?? '');
      return match ? [Number(match[1])] : [];
    });
  };

  it('publishes every host’s samples while the job runs, one series per host', async () => {
    await sageMaker.send(
      new CreateTrainingJobCommand({
        TrainingJobName: JOB,
        AlgorithmSpecification: {
          TrainingImage: 'sagemaker-emulator/node:20',
          TrainingInputMode: 'File',
          ContainerArguments: [path.join(FIXTURES, 'counter.js')],
          MetricDefinitions: [{ Name: 'train:loss', Regex: 'loss=([0-9.]+)' }],
        },
        HyperParameters: { steps: '1000', step_ms: '50' },
        RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 120 },
      }),
    );

    // Samples are readable while the job trains, not only once it ends.
    await until('five samples of algo-2 in CloudWatch', async () => {
      const { values } = await series('algo-2', 'SampleCount');
      return sum(values) >= 5 ? true : undefined;
    }, 30_000);
    const running = await sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: JOB }));
    assert.equal(running.TrainingJobStatus, 'InProgress');
    const { Metrics } = await cloudwatch.send(new ListMetricsCommand({ Namespace: NAMESPACE, MetricName: 'train:loss' }));
    assert.deepEqual(
      Metrics?.map((metric) => metric.Dimensions),
      [[{ Name: 'Host', Value: `${JOB}/algo-1` }], [{ Name: 'Host', Value: `${JOB}/algo-2` }]],
    );

    await sageMaker.send(new StopTrainingJobCommand({ TrainingJobName: JOB }));
    await waitUntilTrainingJobCompletedOrStopped({ client: sageMaker, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { TrainingJobName: JOB });
    const stopped = await sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: JOB }));

    // Every loss each host printed is in its series, in the minutes the job ran.
    for (const host of ['algo-1', 'algo-2']) {
      const losses = await loggedLosses(host);
      const counts = await series(host, 'SampleCount');
      assert.equal(sum(counts.values), losses.length, `${host}: one sample per logged loss`);
      assert.deepEqual((await series(host, 'Maximum')).values.slice(0, 1), [Math.max(...losses)]);
      assert.deepEqual((await series(host, 'Minimum')).values.slice(-1), [Math.min(...losses)]);
      const firstMinute = Math.floor((stopped.TrainingStartTime?.getTime() ?? 0) / MINUTE) * MINUTE;
      for (const timestamp of counts.timestamps) {
        const within = timestamp.getTime() >= firstMinute && timestamp.getTime() <= (stopped.TrainingEndTime?.getTime() ?? 0);
        assert.ok(within, `${host}: ${timestamp.toISOString()} within the job`);
      }
    }
    // FinalMetricDataList is still algo-1's last sample.
    assert.deepEqual(stopped.FinalMetricDataList?.map((metric) => [metric.MetricName, metric.Value]), [['train:loss', Math.min(...(await loggedLosses('algo-1')))]]);
  });
});
