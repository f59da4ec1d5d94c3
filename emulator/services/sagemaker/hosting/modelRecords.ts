// The model record and its views: what DescribeModel and ListModels return.
import type { ContainerDefinition, CreateModelCommandInput, DescribeModelCommandOutput, ModelSummary } from '@aws-sdk/client-sagemaker';
import { validationError } from '../../../errors';
import type { OperationOutput } from '../../../operations';
import type { RegionalScope } from '../../../regionalScope';
import { modelPackages } from '../registry/modelPackageRecords';
import { defineResourceKind, findResource, type ResourceRecord } from '../common/resources';

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

/**
 * The model as it is deployed: a container that names a model package (a registered version, as the
 * SageMaker Python SDK's ModelPackage makes it) runs the package's inference container — its image,
 * model data and environment, with the container's own environment on top.
 */
export function deployableModel(scope: RegionalScope, request: ModelRecord['request']): ModelRecord['request'] {
  const resolve = (container: ContainerDefinition): ContainerDefinition => {
    if (container.ModelPackageName === undefined) return container;
    const modelPackage = findResource(scope, modelPackages, container.ModelPackageName);
    if (!modelPackage) throw validationError(`Model package ${container.ModelPackageName} does not exist.`);
    const [packaged] = modelPackage.definition.InferenceSpecification?.Containers ?? [];
    if (!packaged) throw validationError(`Model package ${container.ModelPackageName} has no inference container.`);
    return {
      ...container,
      Image: packaged.Image,
      ModelDataUrl: packaged.ModelDataUrl,
      ModelDataSource: packaged.ModelDataSource,
      Environment: { ...packaged.Environment, ...container.Environment },
    };
  };
  return {
    ...request,
    PrimaryContainer: request.PrimaryContainer && resolve(request.PrimaryContainer),
    Containers: request.Containers?.map(resolve),
  };
}
