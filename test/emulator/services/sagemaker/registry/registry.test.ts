// Emulator tests (a running emulator, the real AWS SDK v3 clients) of SageMaker model registry.
import {
  CreateModelPackageCommand,
  type CreateModelPackageCommandInput,
  CreateModelPackageGroupCommand,
  DeleteModelPackageCommand,
  DeleteModelPackageGroupCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  ListModelPackageGroupsCommand,
  ListModelPackagesCommand,
  paginateListModelPackageGroups,
  paginateListModelPackages,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejection, startTestEmulator, type TestEmulator } from '../../../helpers';
import { allPages } from '../../../../../harness/waiting';

const ARN_PREFIX = 'arn:aws:sagemaker:us-east-1:000000000000';
const inference: CreateModelPackageCommandInput['InferenceSpecification'] = {
  Containers: [{ Image: 'builtin/gpt-server:latest', ModelDataUrl: 's3://models/gpt/model.tar.gz' }],
  SupportedContentTypes: ['application/json'],
  SupportedResponseMIMETypes: ['application/json'],
};

describe('SageMaker model registry', () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.close());
  const createVersion = (group: string, overrides: Partial<CreateModelPackageCommandInput> = {}) =>
    emulator.sagemaker.send(new CreateModelPackageCommand({ ModelPackageGroupName: group, InferenceSpecification: inference, ...overrides }));

  it('creates, describes and lists model package groups', async () => {
    const { ModelPackageGroupArn } = await emulator.sagemaker.send(
      new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'Chat-Models', ModelPackageGroupDescription: 'fine-tuned chat models' }),
    );
    assert.equal(ModelPackageGroupArn, `${ARN_PREFIX}:model-package-group/chat-models`);
    const group = await emulator.sagemaker.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: ModelPackageGroupArn }));
    assert.equal(group.ModelPackageGroupName, 'Chat-Models');
    assert.equal(group.ModelPackageGroupDescription, 'fine-tuned chat models');
    assert.equal(group.ModelPackageGroupStatus, 'Completed');
    assert.ok(group.CreationTime instanceof Date);

    const taken = await rejection(emulator.sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'chat-models' })));
    assert.equal(taken.name, 'ValidationException');
    const missing = await rejection(emulator.sagemaker.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'nope' })));
    assert.equal(missing.name, 'ValidationException');
    assert.equal(missing.message, 'Model package group nope does not exist.');

    for (const name of ['zeta', 'alpha']) await emulator.sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: name }));
    const oldestFirst = await emulator.sagemaker.send(new ListModelPackageGroupsCommand({}));
    assert.deepEqual(oldestFirst.ModelPackageGroupSummaryList?.map((summary) => summary.ModelPackageGroupName), ['Chat-Models', 'zeta', 'alpha']);
    const names: string[] = [];
    for (const page of await allPages('model package groups by name', paginateListModelPackageGroups({ client: emulator.sagemaker, pageSize: 2 }, { SortBy: 'Name', SortOrder: 'Descending' }), 3)) {
      names.push(...(page.ModelPackageGroupSummaryList ?? []).map((summary) => summary.ModelPackageGroupName ?? ''));
    }
    assert.deepEqual(names, ['zeta', 'alpha', 'Chat-Models']);
  });

  it('registers versions 1, 2, 3 in a group, pending approval unless told otherwise', async () => {
    const arns: string[] = [];
    for (let version = 1; version <= 3; version++) {
      const { ModelPackageArn } = await createVersion('chat-models', {
        ModelPackageDescription: `v${version}`,
        ...(version === 3 && { ModelApprovalStatus: 'Approved' as const }),
      });
      arns.push(ModelPackageArn ?? '');
    }
    assert.deepEqual(arns, [1, 2, 3].map((version) => `${ARN_PREFIX}:model-package/chat-models/${version}`));

    const second = await emulator.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arns[1] }));
    assert.equal(second.ModelPackageName, 'Chat-Models');
    assert.equal(second.ModelPackageGroupName, 'Chat-Models');
    assert.equal(second.ModelPackageVersion, 2);
    assert.equal(second.ModelPackageDescription, 'v2');
    assert.equal(second.ModelApprovalStatus, 'PendingManualApproval');
    assert.equal(second.ModelPackageStatus, 'Completed');
    assert.deepEqual(second.InferenceSpecification, inference);
    assert.deepEqual(second.ModelPackageStatusDetails, { ValidationStatuses: [], ImageScanStatuses: [] });

    const both = await rejection(createVersion('chat-models', { ModelPackageName: 'standalone' }));
    assert.equal(both.message, 'Both ModelPackageName and ModelPackageGroupName are provided in the input. Cannot determine which one to use.');
    const noGroup = await rejection(createVersion('nope'));
    assert.equal(noGroup.message, 'Model package group nope does not exist.');
  });

  it('approves a version with a description', async () => {
    const arn = `${ARN_PREFIX}:model-package/chat-models/1`;
    const { ModelPackageArn } = await emulator.sagemaker.send(
      new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: 'Approved', ApprovalDescription: 'passed the prompt tests' }),
    );
    assert.equal(ModelPackageArn, arn);
    const approved = await emulator.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    assert.equal(approved.ModelApprovalStatus, 'Approved');
    assert.equal(approved.ApprovalDescription, 'passed the prompt tests');
    assert.ok(approved.LastModifiedTime instanceof Date);
    const missing = await rejection(emulator.sagemaker.send(new UpdateModelPackageCommand({ ModelPackageArn: `${ARN_PREFIX}:model-package/chat-models/9`, ModelApprovalStatus: 'Approved' })));
    assert.equal(missing.message, `Model package ${ARN_PREFIX}:model-package/chat-models/9 does not exist.`);
  });

  it('lists a group’s versions by approval status, sorted and paged to the end', async () => {
    const list = (input: object) => emulator.sagemaker.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'chat-models', ...input }));
    const approved = await list({ ModelApprovalStatus: 'Approved' });
    assert.deepEqual(approved.ModelPackageSummaryList?.map((summary) => summary.ModelPackageVersion), [1, 3]);
    const newest = await list({ SortOrder: 'Descending', MaxResults: 1 });
    assert.equal(newest.ModelPackageSummaryList?.[0].ModelPackageVersion, 3);
    const versions: number[] = [];
    for (const page of await allPages('the versions of chat-models', paginateListModelPackages({ client: emulator.sagemaker, pageSize: 2 }, { ModelPackageGroupName: 'chat-models', SortBy: 'Name' }), 3)) {
      versions.push(...(page.ModelPackageSummaryList ?? []).map((summary) => summary.ModelPackageVersion ?? 0));
    }
    assert.deepEqual(versions, [1, 2, 3]);
  });

  it('keeps unversioned packages apart: listed by default, versioned ones only on request', async () => {
    const { ModelPackageArn } = await emulator.sagemaker.send(new CreateModelPackageCommand({ ModelPackageName: 'standalone', InferenceSpecification: inference }));
    assert.equal(ModelPackageArn, `${ARN_PREFIX}:model-package/standalone`);
    const described = await emulator.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: 'standalone' }));
    assert.equal(described.ModelPackageVersion, undefined);
    assert.equal(described.ModelApprovalStatus, undefined);
    const byDefault = await emulator.sagemaker.send(new ListModelPackagesCommand({}));
    assert.deepEqual(byDefault.ModelPackageSummaryList?.map((summary) => summary.ModelPackageName), ['standalone']);
    const everything = await emulator.sagemaker.send(new ListModelPackagesCommand({ ModelPackageType: 'Both' }));
    assert.equal(everything.ModelPackageSummaryList?.length, 4);
  });

  it('deletes a group only once its versions are gone, and never reuses a version number', async () => {
    const notEmpty = await rejection(emulator.sagemaker.send(new DeleteModelPackageGroupCommand({ ModelPackageGroupName: 'chat-models' })));
    assert.equal(notEmpty.name, 'ConflictException');
    await emulator.sagemaker.send(new DeleteModelPackageCommand({ ModelPackageName: `${ARN_PREFIX}:model-package/chat-models/3` }));
    const { ModelPackageArn } = await createVersion('chat-models');
    assert.equal(ModelPackageArn, `${ARN_PREFIX}:model-package/chat-models/4`);
    for (const version of [1, 2, 4]) {
      await emulator.sagemaker.send(new DeleteModelPackageCommand({ ModelPackageName: `${ARN_PREFIX}:model-package/chat-models/${version}` }));
    }
    await emulator.sagemaker.send(new DeleteModelPackageGroupCommand({ ModelPackageGroupName: 'chat-models' }));
    const gone = await rejection(emulator.sagemaker.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'chat-models' })));
    assert.equal(gone.name, 'ValidationException');
  });
});
