// SageMaker DescribeModelPackageGroup: Gets a description for the specified model group.
import type { DescribeModelPackageGroupCommandInput, DescribeModelPackageGroupCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { describeModelPackageGroup as describe, modelPackageGroups } from './modelPackageGroupRecords';
import { requireResource } from '../common/resources';

export async function DescribeModelPackageGroup(
  input: DescribeModelPackageGroupCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DescribeModelPackageGroupCommandOutput>> {
  return describe(requireResource(context, modelPackageGroups, input.ModelPackageGroupName));
}
