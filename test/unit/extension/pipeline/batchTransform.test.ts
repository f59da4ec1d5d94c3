// Unit tests of src's batchTransform: the pure logic behind the extension's batchTransform, without VS Code.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { defaultOutputUri, transformRequest, transformSpecProblem } from '../../../../src/pipeline/batchTransform';

it('maps a transform plan to CreateTransformJob: line records one per request, answers joined by line', () => {
  const plan = {
    jobName: 'summaries-1',
    modelName: 'chat-gpt-v3',
    inputUri: 's3://data/prompts/',
    outputUri: 's3://data/summaries-1-output/',
    contentType: 'application/jsonlines',
    splitType: 'Line' as const,
    instanceType: 'ml.m5.xlarge',
    instanceCount: 2,
  };
  assert.deepEqual(transformRequest(plan), {
    TransformJobName: 'summaries-1',
    ModelName: 'chat-gpt-v3',
    BatchStrategy: 'SingleRecord',
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/prompts/' } }, ContentType: 'application/jsonlines', SplitType: 'Line' },
    TransformOutput: { S3OutputPath: 's3://data/summaries-1-output/', AssembleWith: 'Line' },
    TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2 },
  });
  const whole = transformRequest({ ...plan, splitType: 'None' });
  assert.equal(whole.BatchStrategy, undefined);
  assert.equal(whole.TransformInput?.SplitType, 'None');
  assert.equal(whole.TransformOutput?.AssembleWith, 'None');
});

it('puts the output beside the input prefix by default, and checks a spec file\'s required fields', () => {
  assert.equal(defaultOutputUri('s3://data/datasets/prompts/', 'job-1'), 's3://data/datasets/job-1-output/');
  assert.equal(defaultOutputUri('s3://data/prompts', 'job-1'), 's3://data/job-1-output/');
  assert.equal(defaultOutputUri('s3://data/', 'job-1'), 's3://data/job-1-output/');
  assert.equal(transformSpecProblem({ TransformJobName: 'j', ModelName: 'm', TransformInput: {} as never, TransformOutput: {} as never, TransformResources: {} as never }), undefined);
  assert.equal(transformSpecProblem({ TransformJobName: 'j', ModelName: 'm' }), 'TransformInput is required.');
});
