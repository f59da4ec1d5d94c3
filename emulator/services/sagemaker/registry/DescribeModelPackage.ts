// SageMaker DescribeModelPackage: Returns a description of the specified model package, which is used to
// create SageMaker models or list them on Amazon Web Services Marketplace.
import type { DescribeModelPackageCommandInput, DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { describeModelPackage as describe, modelPackages } from './modelPackageRecords';
import { requireResource } from '../common/resources';

/** ModelPackageName is the name of an unversioned package or the ARN of any package. */
export async function DescribeModelPackage(
  input: DescribeModelPackageCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeModelPackageCommandOutput>> {
  return describe(requireResource(context, modelPackages, input.ModelPackageName));
}
