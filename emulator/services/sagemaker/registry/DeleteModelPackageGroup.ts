// SageMaker DeleteModelPackageGroup: Deletes the specified model group.
import type { DeleteModelPackageGroupCommandInput, DeleteModelPackageGroupCommandOutput } from '@aws-sdk/client-sagemaker';
import { AwsError } from '../../../errors';
import type { OperationOutput, RequestContext } from '../../../operations';
import { modelPackageGroupName, modelPackageGroups } from './modelPackageGroupRecords';
import { modelPackageName, modelPackages } from './modelPackageRecords';
import { allResources, deleteResource, requireResource } from '../common/resources';

/** A group is deleted only once its versions are. */
export async function DeleteModelPackageGroup(
  input: DeleteModelPackageGroupCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DeleteModelPackageGroupCommandOutput>> {
  const group = requireResource(context, modelPackageGroups, input.ModelPackageGroupName);
  const name = modelPackageGroupName(group);
  if (allResources(context, modelPackages).some((modelPackage) => modelPackage.version !== undefined && modelPackageName(modelPackage) === name)) {
    throw new AwsError('ConflictException', 400, `Model package group ${name} still contains model packages: delete them first.`);
  }
  await context.store.commit(deleteResource(context, modelPackageGroups, group));
  return {};
}
