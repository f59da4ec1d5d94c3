// Unit tests of src's registry: the pure logic behind the extension's registry, without VS Code.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  approvalRequest,
  metricsReport,
  metricsReportUri,
  parseMetricsReport,
  parseModelPackageArn,
  registerRequest,
  sourceTrainingJob,
  versionLabel,
  whyNotRegistrable,
  type ModelVersionDescription,
} from '../../../../src/pipeline/registry';
import type { TrainingJobDescription } from '../../../../src/pipeline/trainingJobs';

const job = {
  TrainingJobName: 'gpt-7',
  TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/gpt-7',
  TrainingJobStatus: 'Completed',
  AlgorithmSpecification: { TrainingImage: 'sagemaker-emulator/builtin-gpt:latest', TrainingInputMode: 'File' },
  ModelArtifacts: { S3ModelArtifacts: 's3://models/out/gpt-7/output/model.tar.gz' },
  FinalMetricDataList: [
    { MetricName: 'train:loss', Value: 1.75, Timestamp: new Date('2026-12-01T10:00:00Z') },
    { MetricName: 'validation:loss', Value: 1.9, Timestamp: new Date('2026-12-01T10:00:00Z') },
  ],
} as TrainingJobDescription;

it('registers a completed job\'s model as the group\'s next version, with its image, content types, source and metrics', () => {
  const registration = { group: 'chat-gpt', image: 'my/image:1', contentTypes: ['application/json'], responseTypes: ['application/json'], approval: 'PendingManualApproval' as const };
  assert.deepEqual(registerRequest(job, registration, 's3://models/out/gpt-7/output/model-metrics.json'), {
    ModelPackageGroupName: 'chat-gpt',
    ModelPackageDescription: 'Trained by gpt-7',
    ModelApprovalStatus: 'PendingManualApproval',
    InferenceSpecification: {
      Containers: [{ Image: 'my/image:1', ModelDataUrl: 's3://models/out/gpt-7/output/model.tar.gz' }],
      SupportedContentTypes: ['application/json'],
      SupportedResponseMIMETypes: ['application/json'],
    },
    MetadataProperties: { GeneratedBy: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/gpt-7' },
    ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://models/out/gpt-7/output/model-metrics.json' } } },
  });
  const approved = registerRequest(job, { ...registration, approval: 'Approved', description: 'best so far' });
  assert.equal(approved.ModelApprovalStatus, 'Approved');
  assert.equal(approved.ModelPackageDescription, 'best so far');
  assert.equal(approved.ModelMetrics, undefined, 'no report, no ModelMetrics');
  assert.equal(whyNotRegistrable(job), undefined);
  assert.match(whyNotRegistrable({ ...job, TrainingJobStatus: 'Failed' }) ?? '', /gpt-7 is Failed: only a completed job has a model to register/);
  assert.match(whyNotRegistrable({ ...job, ModelArtifacts: undefined }) ?? '', /has no model artifacts/);
});

it('writes the job\'s final metrics as a model quality report beside its model, and reads any *_metrics report back', () => {
  assert.equal(metricsReportUri(job), 's3://models/out/gpt-7/output/model-metrics.json');
  const report = metricsReport(job)!;
  assert.deepEqual(parseMetricsReport(report), [
    { name: 'train:loss', value: 1.75 },
    { name: 'validation:loss', value: 1.9 },
  ]);
  assert.equal(metricsReport({ ...job, FinalMetricDataList: [] }), undefined);
  // A Model Monitor model quality report, as a pipeline's evaluation step writes it.
  assert.deepEqual(parseMetricsReport(JSON.stringify({ regression_metrics: { mse: { value: 0.5, standard_deviation: 0.1 }, r2: { value: 0.8 } }, version: 0 })), [
    { name: 'mse', value: 0.5 },
    { name: 'r2', value: 0.8 },
  ]);
  assert.deepEqual(parseMetricsReport('not json'), []);
  assert.deepEqual(parseMetricsReport('{"x_metrics": {"a": {"value": "high"}}}'), []);
});

it('approves or rejects a version with its description, and names versions as the views do', () => {
  const arn = 'arn:aws:sagemaker:us-east-1:000000000000:model-package/chat-gpt/3';
  assert.deepEqual(approvalRequest(arn, 'Rejected', 'loss regressed'), { ModelPackageArn: arn, ModelApprovalStatus: 'Rejected', ApprovalDescription: 'loss regressed' });
  assert.deepEqual(approvalRequest(arn, 'Approved', ''), { ModelPackageArn: arn, ModelApprovalStatus: 'Approved', ApprovalDescription: undefined });
  assert.deepEqual(parseModelPackageArn(arn), { group: 'chat-gpt', version: 3 });
  assert.deepEqual(parseModelPackageArn('arn:aws:sagemaker:us-east-1:000000000000:model-package/standalone'), { group: 'standalone', version: undefined });
  assert.equal(parseModelPackageArn('arn:aws:sagemaker:us-east-1:000000000000:model/x'), undefined);
  assert.equal(versionLabel({ group: 'chat-gpt', version: 3 }), 'chat-gpt v3');
  assert.equal(sourceTrainingJob({ MetadataProperties: { GeneratedBy: job.TrainingJobArn } } as ModelVersionDescription), 'gpt-7');
  assert.equal(sourceTrainingJob({ MetadataProperties: { GeneratedBy: 'arn:aws:sagemaker:us-east-1:0:pipeline-execution/x' } } as ModelVersionDescription), undefined);
});
