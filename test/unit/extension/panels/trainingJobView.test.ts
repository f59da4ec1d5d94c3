// Unit tests of src's trainingJobView: the pure logic behind the extension's trainingJobView, without VS Code.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { toTrainingJobView } from '../../../../src/panels/trainingJobView';

it('maps DescribeTrainingJob to the panel view, dates as epoch milliseconds', () => {
  const created = new Date('2026-11-28T10:00:00Z');
  const view = toTrainingJobView({
    TrainingJobName: 'gpt-1',
    TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/gpt-1',
    TrainingJobStatus: 'Failed',
    SecondaryStatus: 'Failed',
    FailureReason: 'AlgorithmError: out of memory',
    CreationTime: created,
    AlgorithmSpecification: { TrainingImage: 'image:1', TrainingInputMode: 'File' },
    HyperParameters: { lr: '0.001' },
    InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/train/' } } }],
    ResourceConfig: { InstanceType: 'ml.g5.xlarge', InstanceCount: 2, VolumeSizeInGB: 50 },
    SecondaryStatusTransitions: [{ Status: 'Starting', StartTime: created, StatusMessage: 'Preparing the instances' }],
    FinalMetricDataList: [{ MetricName: 'loss', Value: 2.5 }, { MetricName: 'incomplete' }],
    ModelArtifacts: undefined,
    StoppingCondition: {},
    RoleArn: undefined,
    OutputDataConfig: undefined,
  } as never);
  assert.equal(view.status, 'Failed');
  assert.equal(view.failureReason, 'AlgorithmError: out of memory');
  assert.equal(view.createdAt, created.getTime());
  assert.deepEqual(view.channels, [{ name: 'train', uri: 's3://b/train/' }]);
  assert.deepEqual(view.hyperParameters, { lr: '0.001' });
  assert.equal(view.instanceCount, 2);
  assert.deepEqual(view.transitions, [{ status: 'Starting', message: 'Preparing the instances', startedAt: created.getTime(), endedAt: undefined }]);
  assert.deepEqual(view.finalMetrics, [{ name: 'loss', value: 2.5 }], 'metrics without a value are left out');
});
