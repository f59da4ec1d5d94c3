// Unit tests of resuming a training job.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAGEMAKER_NAME } from '../../../../src/pipeline/names';
import { resumedJobName, resumeInput, whyNotResumable } from '../../../../src/pipeline/resumeTrainingJob';
import type { TrainingJobDescription } from '../../../../src/pipeline/trainingJobs';

const stopped: TrainingJobDescription = {
  TrainingJobName: 'gpt-7',
  TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/gpt-7',
  TrainingJobStatus: 'Stopped',
  SecondaryStatus: 'Stopped',
  CreationTime: new Date('2026-11-28T10:00:00Z'),
  TrainingEndTime: new Date('2026-11-28T10:30:00Z'),
  AlgorithmSpecification: { TrainingImage: 'sagemaker-emulator/builtin-gpt:latest', TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'loss', Regex: 'loss ([0-9.]+)' }] },
  RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
  InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/train/' } } }],
  OutputDataConfig: { S3OutputPath: 's3://b/output' },
  ResourceConfig: { InstanceType: 'ml.g5.12xlarge', InstanceCount: 2, VolumeSizeInGB: 100 },
  StoppingCondition: { MaxRuntimeInSeconds: 86_400, MaxWaitTimeInSeconds: 172_800 },
  EnableManagedSpotTraining: true,
  HyperParameters: { lr: '0.0003', steps: '10000' },
  CheckpointConfig: { S3Uri: 's3://b/checkpoints/gpt-7/', LocalPath: '/opt/ml/checkpoints' },
  Environment: { NCCL_DEBUG: 'INFO' },
  ModelArtifacts: { S3ModelArtifacts: 's3://b/output/gpt-7/output/model.tar.gz' },
  FinalMetricDataList: [{ MetricName: 'loss', Value: 2.1 }],
  BillableTimeInSeconds: 1800,
};

describe('resuming a training job', () => {
  it('names the new job after the old one, counting resumptions, within the name rules', () => {
    assert.equal(resumedJobName('gpt-7'), 'gpt-7-resume-1');
    assert.equal(resumedJobName('gpt-7-resume-1'), 'gpt-7-resume-2');
    assert.equal(resumedJobName('gpt-7-resume-9'), 'gpt-7-resume-10');
    const long = resumedJobName(`${'a'.repeat(60)}-b`);
    assert.equal(long.length, 63);
    assert.ok(long.endsWith('-resume-1'));
    assert.match(long, SAGEMAKER_NAME);
    assert.match(resumedJobName(`${'a'.repeat(53)}--b`), SAGEMAKER_NAME, 'no hyphen before the suffix is lost in a way that breaks the pattern');
    // Every hyphen the cut leaves at the end goes, not only the last.
    assert.equal(resumedJobName(`${'a'.repeat(52)}--b`), `${'a'.repeat(52)}-resume-1`);
    // The count has as many digits as it needs, and only a name that ends with it counts.
    assert.equal(resumedJobName('gpt-7-resume-12'), 'gpt-7-resume-13');
    assert.equal(resumedJobName('gpt-7-resume-1-data'), 'gpt-7-resume-1-data-resume-1');
  });

  it('resumes only an ended job that has a checkpoint location', () => {
    assert.equal(whyNotResumable(stopped), undefined);
    assert.equal(whyNotResumable({ ...stopped, TrainingJobStatus: 'Failed' }), undefined);
    // Every status: a running or stopping job is refused (its checkpoints are still being written).
    for (const status of ['Completed', 'Failed', 'Stopped'] as const) assert.equal(whyNotResumable({ ...stopped, TrainingJobStatus: status }), undefined, status);
    for (const status of ['InProgress', 'Stopping'] as const) {
      assert.match(whyNotResumable({ ...stopped, TrainingJobStatus: status }) ?? '', new RegExp(`gpt-7 is ${status}: stop it, or let it end`), status);
    }
    assert.match(whyNotResumable({ ...stopped, CheckpointConfig: undefined }) ?? '', /no checkpoint location .* start from scratch/);
  });

  it('refuses a description that lacks a member CreateTrainingJob requires, naming the job', () => {
    for (const member of ['AlgorithmSpecification', 'RoleArn', 'OutputDataConfig', 'ResourceConfig', 'StoppingCondition'] as const) {
      assert.throws(() => resumeInput({ ...stopped, [member]: undefined }, 'gpt-7-resume-1'), /the description of gpt-7 lacks a member CreateTrainingJob requires/, member);
    }
  });

  it('keeps the configuration and the checkpoint location, and none of the old job\'s state', () => {
    const input = resumeInput(stopped, 'gpt-7-resume-1');
    assert.deepEqual(input, {
      TrainingJobName: 'gpt-7-resume-1',
      AlgorithmSpecification: stopped.AlgorithmSpecification,
      RoleArn: stopped.RoleArn,
      InputDataConfig: stopped.InputDataConfig,
      OutputDataConfig: stopped.OutputDataConfig,
      ResourceConfig: stopped.ResourceConfig,
      StoppingCondition: stopped.StoppingCondition,
      HyperParameters: stopped.HyperParameters,
      CheckpointConfig: stopped.CheckpointConfig,
      Environment: stopped.Environment,
      VpcConfig: undefined,
      EnableNetworkIsolation: undefined,
      EnableInterContainerTrafficEncryption: undefined,
      EnableManagedSpotTraining: true,
      RetryStrategy: undefined,
      TensorBoardOutputConfig: undefined,
    });
  });
});
