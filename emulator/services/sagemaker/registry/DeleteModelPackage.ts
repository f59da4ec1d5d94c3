// SageMaker DeleteModelPackage: Deletes a model package.
import type { DeleteModelPackageCommandInput, DeleteModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { modelPackages } from './modelPackageRecords';
import { deleteNamedResource } from '../common/resources';

export async function DeleteModelPackage(
  input: DeleteModelPackageCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DeleteModelPackageCommandOutput>> {
  await deleteNamedResource(context, modelPackages, input.ModelPackageName);
  return {};
}
