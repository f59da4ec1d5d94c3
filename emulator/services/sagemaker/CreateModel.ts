import type { CreateModelCommandInput, CreateModelCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../operations';
import { type ModelRecord, models } from './models';
import { claimName, createResource } from './resources';

export async function createModel(input: CreateModelCommandInput, context: RequestContext): Promise<OperationOutput<CreateModelCommandOutput>> {
  const { Tags: tags, ...request } = input;
  const model: ModelRecord = { request, arn: claimName(context, models, input.ModelName ?? ''), createdAt: context.now().getTime() };
  await context.store.commit(createResource(context, models, model, tags));
  return { ModelArn: model.arn };
}
