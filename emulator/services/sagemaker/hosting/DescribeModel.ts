// SageMaker DescribeModel: Describes a model that you created using the CreateModel API.
import type { DescribeModelCommandInput, DescribeModelCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { describeModel as describe, models } from './modelRecords';
import { requireResource } from '../common/resources';

export async function DescribeModel(input: DescribeModelCommandInput, context: RequestContext): Promise<OperationOutput<DescribeModelCommandOutput>> {
  return describe(requireResource(context, models, input.ModelName));
}
