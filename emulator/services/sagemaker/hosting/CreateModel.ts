// SageMaker CreateModel: Creates a model in SageMaker.
import type { CreateModelCommandInput, CreateModelCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { deployableModel, type ModelRecord, models } from './modelRecords';
import { claimName, createResource } from '../common/resources';

export async function CreateModel(input: CreateModelCommandInput, context: RequestContext): Promise<OperationOutput<CreateModelCommandOutput>> {
  const { Tags: tags, ...request } = input;
  deployableModel(context, request); // a container naming a model package that does not exist is refused now
  const model: ModelRecord = { request, arn: claimName(context, models, input.ModelName ?? ''), createdAt: context.now().getTime() };
  await context.store.commit(createResource(context, models, model, tags));
  return { ModelArn: model.arn };
}
