// The endpoint configuration record and its views: what DescribeEndpointConfig and ListEndpointConfigs return.
import type {
  CreateEndpointConfigCommandInput,
  DescribeEndpointConfigCommandOutput,
  EndpointConfigSummary,
  ProductionVariant,
} from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import type { VariantProgress } from '../../../runtime/endpoints/endpointRuntime';
import { models } from './modelRecords';
import { defineResourceKind, requireResource, type ResourceRecord } from '../common/resources';

export interface EndpointConfigRecord extends ResourceRecord {
  /** The CreateEndpointConfig request, with SageMaker's defaults filled in; its Tags live with the other tags. */
  request: Omit<CreateEndpointConfigCommandInput, 'Tags'>;
}

export const endpointConfigs = defineResourceKind<EndpointConfigRecord>(
  'sagemaker.endpointConfigs',
  'endpoint-config',
  'endpoint configuration',
  'hosting',
);

/** SageMaker's weight of a variant whose InitialVariantWeight is omitted. */
export const DEFAULT_VARIANT_WEIGHT = 1;

export function endpointConfigName(config: EndpointConfigRecord): string {
  return config.request.EndpointConfigName ?? '';
}

export function productionVariants(config: EndpointConfigRecord): ProductionVariant[] {
  return config.request.ProductionVariants ?? [];
}

/** The configuration an endpoint is to be created or updated with; every model it names must still exist. */
export function requireDeployableConfig(context: RequestContext, name: string | undefined): EndpointConfigRecord {
  const config = requireResource(context, endpointConfigs, name);
  for (const variant of productionVariants(config)) {
    if (variant.ModelName !== undefined) requireResource(context, models, variant.ModelName);
  }
  return config;
}

/** The variants an endpoint created or updated with this configuration is to serve. */
export function desiredVariants(config: EndpointConfigRecord): VariantProgress[] {
  return productionVariants(config).map((variant) => ({
    name: variant.VariantName ?? '',
    desiredWeight: variant.InitialVariantWeight ?? DEFAULT_VARIANT_WEIGHT,
    desiredInstanceCount: variant.InitialInstanceCount,
  }));
}

export function describeEndpointConfig(config: EndpointConfigRecord): OperationOutput<DescribeEndpointConfigCommandOutput> {
  return {
    ...config.request,
    EndpointConfigName: endpointConfigName(config),
    EndpointConfigArn: config.arn,
    CreationTime: new Date(config.createdAt),
  };
}

export function summarizeEndpointConfig(config: EndpointConfigRecord): EndpointConfigSummary {
  return { EndpointConfigName: endpointConfigName(config), EndpointConfigArn: config.arn, CreationTime: new Date(config.createdAt) };
}
