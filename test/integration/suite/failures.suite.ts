// One failure language from the palette: a failed command's notification is the classified failure
// (the resource named, where, the next step), and names are checked before any work starts.
import {
  CreateModelCommand,
  CreateTrainingJobCommand,
  DescribeEndpointCommand,
  ListEndpointConfigsCommand,
  ListTrainingJobsCommand,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { classifyFailure } from '../../../src/failures/classify';
import { activateWorkbench, createTrainingJob, notified, sageMaker, trainingJobInput, uniqueName } from '../../../harness/extensionHostFixtures';

describe('Failures from the palette', () => {
  it('names a training job that does not exist, and the region, instead of "Requested resource not found."', async () => {
    const workbench = await activateWorkbench();
    const name = uniqueName('mistyped');
    const texts = await notified(workbench, () => vscode.commands.executeCommand('sagemaker.trainingJob.showJson', { job: { name } }));
    assert.equal(texts.length, 1, texts.join('\n'));
    assert.match(texts[0], new RegExp(`^Training job ${name} was not found in us-east-1\\. ValidationException: Requested resource not found\\.$`));
  });

  it('refuses a taken job name before starting anything, suggesting a free one', async () => {
    const workbench = await activateWorkbench();
    const source = uniqueName('resumable');
    const taken = uniqueName('taken');
    await createTrainingJob(taken);
    const client = sageMaker();
    await client.send(new CreateTrainingJobCommand({ ...trainingJobInput(source), CheckpointConfig: { S3Uri: `s3://demo-output/checkpoints/${source}/` } }));
    await client.send(new StopTrainingJobCommand({ TrainingJobName: source }));
    const before = (await client.send(new ListTrainingJobsCommand({ MaxResults: 100 }))).TrainingJobSummaries?.length;
    const texts = await notified(workbench, () => vscode.commands.executeCommand('sagemaker.trainingJob.resume', { job: { name: source } }, taken));
    assert.deepEqual(texts, [`Training job ${taken} already exists in us-east-1. ResourceInUse: The name is taken; try ${taken}-2.`]);
    const after = (await client.send(new ListTrainingJobsCommand({ MaxResults: 100 }))).TrainingJobSummaries?.length;
    assert.equal(after, before, 'no job was created');
  });

  it('refuses to deploy under a name a model already has, before creating anything', async () => {
    const workbench = await activateWorkbench();
    const name = uniqueName('taken-model');
    await sageMaker().send(
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerExecutionRole',
        PrimaryContainer: { Image: 'sagemaker-emulator/builtin-gpt:latest', ModelDataUrl: 's3://nowhere/model.tar.gz' },
      }),
    );
    const plan = { endpointName: name, instanceType: 'ml.m5.large', image: 'sagemaker-emulator/builtin-gpt:latest', executionRoleArn: 'arn:aws:iam::000000000000:role/r', modelDataUrl: 's3://nowhere/model.tar.gz' };
    // From the palette with the name given: refused before the training job is even asked for.
    const texts = await notified(workbench, () => vscode.commands.executeCommand('sagemaker.deployModel', undefined, plan));
    assert.equal(texts.length, 1, texts.join('\n'));
    assert.match(texts[0], new RegExp(`^Model ${name} already exists in us-east-1\\. ResourceInUse: The name is taken; try ${name}-2\\.$`));
    const configs = await sageMaker().send(new ListEndpointConfigsCommand({ NameContains: name }));
    assert.deepEqual(configs.EndpointConfigs ?? [], [], 'no endpoint configuration was created');
  });

  it('classifies what the real SDK throws against the real emulator', async () => {
    const error = await sageMaker()
      .send(new DescribeEndpointCommand({ EndpointName: uniqueName('absent') }))
      .catch((caught: unknown) => caught);
    assert.equal(classifyFailure(error).kind, 'notFound');
  });
});
