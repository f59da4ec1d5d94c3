// SageMaker ListModels: Lists models created with the CreateModel API.
import type { ListModelsCommandInput, ListModelsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { listPage } from '../common/listing';
import { modelName, models, summarizeModel } from './modelRecords';
import { allResources } from '../common/resources';

export async function ListModels(input: ListModelsCommandInput, context: RequestContext): Promise<OperationOutput<ListModelsCommandOutput>> {
  const { page, nextToken } = listPage('ListModels', allResources(context, models), (model) => ({ name: modelName(model), createdAt: model.createdAt }), input);
  return { Models: page.map(summarizeModel), NextToken: nextToken };
}
