// SageMaker DeleteModel: Deletes a model.
import type { DeleteModelCommandInput, DeleteModelCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { models } from './modelRecords';
import { deleteNamedResource } from '../common/resources';

export async function DeleteModel(input: DeleteModelCommandInput, context: RequestContext): Promise<OperationOutput<DeleteModelCommandOutput>> {
  await deleteNamedResource(context, models, input.ModelName);
  return {};
}
