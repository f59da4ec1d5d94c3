// Emulator tests (a running emulator, the real AWS SDK v3 clients) of SageMaker tags.
import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreateProcessingJobCommand,
  CreateTrainingJobCommand,
  CreateTransformJobCommand,
  DeleteModelCommand,
  DeleteTagsCommand,
  ListTagsCommand,
  type Tag,
} from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejection, startTestEmulator, type TestEmulator } from '../../../helpers';
import { trainingJobRequest, endpointConfigRequest, modelRequest, processingJobRequest, transformJobRequest, variant } from '../../../../../harness/requests';

const ARN_PREFIX = 'arn:aws:sagemaker:us-east-1:000000000000';
const CREATED_WITH: Tag[] = [{ Key: 'project', Value: 'workbench' }];

describe('SageMaker tags', () => {
  let emulator: TestEmulator;
  /** One resource of every kind, each created with CREATED_WITH. */
  const arns: string[] = [];
  before(async () => {
    emulator = await startTestEmulator();
    const sagemaker = emulator.sagemaker;
    const Tags = CREATED_WITH;
    arns.push((await sagemaker.send(new CreateTrainingJobCommand(trainingJobRequest('tagged-training', { Tags })))).TrainingJobArn ?? '');
    arns.push((await sagemaker.send(new CreateProcessingJobCommand(processingJobRequest('tagged-processing', { Tags })))).ProcessingJobArn ?? '');
    arns.push((await sagemaker.send(new CreateModelCommand(modelRequest('tagged-model', { Tags })))).ModelArn ?? '');
    arns.push((await sagemaker.send(new CreateTransformJobCommand(transformJobRequest('tagged-transform', 'tagged-model', { Tags })))).TransformJobArn ?? '');
    arns.push((await sagemaker.send(new CreateEndpointConfigCommand(endpointConfigRequest('tagged-config', [variant('v', 'tagged-model')], { Tags })))).EndpointConfigArn ?? '');
    arns.push((await sagemaker.send(new CreateEndpointCommand({ EndpointName: 'tagged-endpoint', EndpointConfigName: 'tagged-config', Tags }))).EndpointArn ?? '');
    arns.push((await sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'tagged-group', Tags }))).ModelPackageGroupArn ?? '');
    arns.push((await sagemaker.send(new CreateModelPackageCommand({ ModelPackageGroupName: 'tagged-group', Tags }))).ModelPackageArn ?? '');
  });
  after(() => emulator.close());
  const listTags = (ResourceArn: string) => emulator.sagemaker.send(new ListTagsCommand({ ResourceArn }));

  it('lists the tags every kind of resource was created with', async () => {
    for (const arn of arns) assert.deepEqual((await listTags(arn)).Tags, CREATED_WITH, arn);
  });

  it('adds tags, replacing the value of a key already there, and deletes them by key', async () => {
    const arn = `${ARN_PREFIX}:endpoint/tagged-endpoint`;
    const added = await emulator.sagemaker.send(
      new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'project', Value: 'chat' }, { Key: 'owner', Value: 'ml-team' }] }),
    );
    assert.deepEqual(added.Tags, [{ Key: 'project', Value: 'chat' }, { Key: 'owner', Value: 'ml-team' }]);
    await emulator.sagemaker.send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys: ['project', 'never-set'] }));
    assert.deepEqual((await listTags(arn)).Tags, [{ Key: 'owner', Value: 'ml-team' }]);
    // ARNs are case-insensitive in their name, as the names are.
    assert.deepEqual((await listTags(`${ARN_PREFIX}:endpoint/Tagged-Endpoint`)).Tags, [{ Key: 'owner', Value: 'ml-team' }]);
  });

  it('refuses more than 50 tags on a resource', async () => {
    const arn = `${ARN_PREFIX}:model/tagged-model`;
    const many = Array.from({ length: 50 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
    const error = await rejection(emulator.sagemaker.send(new AddTagsCommand({ ResourceArn: arn, Tags: many })));
    assert.equal(error.name, 'ValidationException');
    assert.deepEqual((await listTags(arn)).Tags, CREATED_WITH, 'nothing was added');
  });

  it('answers ValidationException for resources that do not exist, and forgets the tags of deleted ones', async () => {
    const missing = await rejection(listTags(`${ARN_PREFIX}:model/ghost`));
    assert.equal(missing.name, 'ValidationException');
    assert.equal(missing.message, `Could not find model "${ARN_PREFIX}:model/ghost".`);
    const otherAccount = await rejection(listTags('arn:aws:sagemaker:us-east-1:111122223333:model/tagged-model'));
    assert.equal(otherAccount.name, 'ValidationException');
    const unknownKind = await rejection(listTags(`${ARN_PREFIX}:notebook-instance/nb`));
    assert.equal(unknownKind.name, 'ValidationException');
    const malformed = await rejection(listTags('not-an-arn'));
    assert.match(malformed.message, /^1 validation error detected: Value 'not-an-arn' at 'resourceArn' failed to satisfy constraint/);

    await emulator.sagemaker.send(new CreateModelCommand(modelRequest('short-lived', { Tags: CREATED_WITH })));
    await emulator.sagemaker.send(new DeleteModelCommand({ ModelName: 'short-lived' }));
    await emulator.sagemaker.send(new CreateModelCommand(modelRequest('short-lived')));
    assert.deepEqual((await listTags(`${ARN_PREFIX}:model/short-lived`)).Tags, []);
  });
});
