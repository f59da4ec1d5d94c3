// SageMaker ListModels: Lists models created with the CreateModel API.
import type { ListModelsCommandInput, ListModelsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { defineListing } from '../common/listing';
import { modelName, models, summarizeModel } from './modelRecords';

const listing = defineListing('ListModels', models, (model) => ({ name: modelName(model), createdAt: model.createdAt }));

export async function ListModels(input: ListModelsCommandInput, context: RequestContext): Promise<OperationOutput<ListModelsCommandOutput>> {
  const { page, nextToken } = listing.page(context, input);
  return { Models: page.map(summarizeModel), NextToken: nextToken };
}
