// SageMaker CreateModelPackage: Creates a model package that you can use to create SageMaker models or list
// on Amazon Web Services Marketplace, or a versioned model that is part of a model group.
import type { CreateModelPackageCommandInput, CreateModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import { validationError } from '../../../errors';
import type { OperationOutput, RequestContext } from '../../../operations';
import { modelPackageGroupName, modelPackageGroups } from './modelPackageGroupRecords';
import { type ModelPackageRecord, modelPackages } from './modelPackageRecords';
import { claimName, createResource, putResource, requireResource } from '../common/resources';

/**
 * A versioned package (ModelPackageGroupName given) becomes the group's next version, pending manual
 * approval unless the request says otherwise; an unversioned one (ModelPackageName) stands alone.
 */
export async function CreateModelPackage(
  input: CreateModelPackageCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CreateModelPackageCommandOutput>> {
  const { Tags: tags, ClientToken: _idempotencyToken, ...definition } = input;
  if (definition.ModelPackageGroupName !== undefined && definition.ModelPackageName !== undefined) {
    throw validationError('Both ModelPackageName and ModelPackageGroupName are provided in the input. Cannot determine which one to use.');
  }
  const createdAt = context.now().getTime();
  if (definition.ModelPackageName !== undefined) {
    const modelPackage: ModelPackageRecord = { definition, arn: claimName(context, modelPackages, definition.ModelPackageName), createdAt };
    await context.store.commit(createResource(context, modelPackages, modelPackage, tags));
    return { ModelPackageArn: modelPackage.arn };
  }
  if (definition.ModelPackageGroupName === undefined) throw validationError('Missing ARN.');

  const group = requireResource(context, modelPackageGroups, definition.ModelPackageGroupName);
  const groupName = modelPackageGroupName(group);
  const version = group.latestVersion + 1;
  const modelPackage: ModelPackageRecord = {
    definition: { ...definition, ModelPackageGroupName: groupName, ModelApprovalStatus: definition.ModelApprovalStatus ?? 'PendingManualApproval' },
    version,
    arn: claimName(context, modelPackages, `${groupName}/${version}`),
    createdAt,
  };
  await context.store.commit([
    putResource(context, modelPackageGroups, { ...group, latestVersion: version }),
    ...createResource(context, modelPackages, modelPackage, tags),
  ]);
  return { ModelPackageArn: modelPackage.arn };
}
