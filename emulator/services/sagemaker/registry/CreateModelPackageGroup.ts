// SageMaker CreateModelPackageGroup: Creates a model group.
import type { CreateModelPackageGroupCommandInput, CreateModelPackageGroupCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { type ModelPackageGroupRecord, modelPackageGroups } from './modelPackageGroupRecords';
import { claimName, createResource } from '../common/resources';

export async function CreateModelPackageGroup(
  input: CreateModelPackageGroupCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CreateModelPackageGroupCommandOutput>> {
  const { Tags: tags, ...request } = input;
  const group: ModelPackageGroupRecord = {
    request,
    latestVersion: 0,
    arn: claimName(context, modelPackageGroups, input.ModelPackageGroupName ?? ''),
    createdAt: context.now().getTime(),
  };
  await context.store.commit(createResource(context, modelPackageGroups, group, tags));
  return { ModelPackageGroupArn: group.arn };
}
