// Unit tests of src's deploy: the pure logic behind the extension's deploy, without VS Code.
import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import { nameFromKey, planFromTrainingJob, whyNotDeployable } from '../../../../src/pipeline/deploy';
import { nameProblem, validName } from '../../../../src/pipeline/names';
import type { TrainingJobDescription } from '../../../../src/pipeline/trainingJobs';

const completed = {
  TrainingJobName: 'gpt-7',
  TrainingJobStatus: 'Completed',
  AlgorithmSpecification: { TrainingImage: 'sagemaker-emulator/builtin-gpt:latest', TrainingInputMode: 'File' },
  RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
  ModelArtifacts: { S3ModelArtifacts: 's3://b/output/gpt-7/output/model.tar.gz' },
} as TrainingJobDescription;

it('deploys a completed job\'s model with its image and role as defaults, and refuses other jobs', () => {
  assert.deepEqual(planFromTrainingJob(completed), {
    modelDataUrl: 's3://b/output/gpt-7/output/model.tar.gz',
    image: 'sagemaker-emulator/builtin-gpt:latest',
    executionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
    endpointName: 'gpt-7',
  });
  assert.equal(whyNotDeployable(completed), undefined);
  assert.match(whyNotDeployable({ ...completed, TrainingJobStatus: 'Stopped' }) ?? '', /gpt-7 is Stopped: only a completed job has a model/);
  assert.match(whyNotDeployable({ ...completed, ModelArtifacts: undefined }) ?? '', /has no model artifacts/);
});

it('names an endpoint after the model archive\'s folder, or its file', () => {
  assert.equal(nameFromKey('output/gpt-7/output/model.tar.gz'), 'gpt-7');
  assert.equal(nameFromKey('models/gpt-7/model.tar.gz'), 'gpt-7');
  assert.equal(nameFromKey('model.tar.gz'), 'model');
  assert.equal(nameFromKey('archives/gpt-7.tar.gz'), 'gpt-7');
  assert.equal(validName('my_model v2.final'), 'my-model-v2-final');
  assert.equal(validName('---'), 'model-endpoint');
  assert.equal(validName('x'.repeat(80)).length, 63);
  assert.equal(nameProblem(validName('my_model v2.final')), undefined);
  assert.match(nameProblem('my_model') ?? '', /letters, digits and hyphens/);
  assert.match(nameProblem('-edge') ?? '', /starting and ending with a letter or digit/);
});
