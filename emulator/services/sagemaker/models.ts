// The model record and its views: what DescribeModel and ListModels return.
import type { CreateModelCommandInput, DescribeModelCommandOutput, ModelSummary } from '@aws-sdk/client-sagemaker';
import type { OperationOutput } from '../../operations';
import { defineResourceKind, type ResourceRecord } from './resources';

export interface ModelRecord extends ResourceRecord {
  /** The CreateModel request; its Tags live with the other tags. */
  request: Omit<CreateModelCommandInput, 'Tags'>;
}

export const models = defineResourceKind<ModelRecord>('sagemaker.models', 'model', 'model', 'hosting');

export function modelName(model: ModelRecord): string {
  return model.request.ModelName ?? '';
}

export function describeModel(model: ModelRecord): OperationOutput<DescribeModelCommandOutput> {
  return {
    ...model.request,
    ModelName: modelName(model),
    ModelArn: model.arn,
    CreationTime: new Date(model.createdAt),
    EnableNetworkIsolation: model.request.EnableNetworkIsolation ?? false,
  };
}

export function summarizeModel(model: ModelRecord): ModelSummary {
  return { ModelName: modelName(model), ModelArn: model.arn, CreationTime: new Date(model.createdAt) };
}
