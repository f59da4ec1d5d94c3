// The endpoint record and its views: what DescribeEndpoint and ListEndpoints return. Its status and
// variants belong to the state machine in state.ts.
import type {
  CreateEndpointCommandInput,
  DescribeEndpointCommandOutput,
  EndpointSummary,
  ProductionVariantSummary,
} from '@aws-sdk/client-sagemaker';
import { validationError } from '../../../errors';
import type { OperationOutput } from '../../../operations';
import type { RegionalScope } from '../../../regionalScope';
import type { VariantSpec, EndpointProgress, VariantProgress } from '../../../runtime/endpoints/endpointRuntime';
import { type EndpointConfigRecord, endpointConfigName, productionVariants } from './endpointConfigRecords';
import { deployableModel, models } from './modelRecords';
import { defineResourceKind, requireResource, type ResourceRecord } from '../common/resources';

export interface EndpointRecord extends ResourceRecord, EndpointProgress {
  /** The CreateEndpoint request; its Tags live with the other tags. */
  request: Omit<CreateEndpointCommandInput, 'Tags'>;
  /**
   * What each configuration the endpoint is created or updated with deploys, captured then: an
   * endpoint keeps serving (and restarts with the emulator) after its configuration or model is deleted.
   */
  specs?: Record<string, VariantSpec[]>;
}

export const endpoints = defineResourceKind<EndpointRecord>('sagemaker.endpoints', 'endpoint', 'endpoint', 'hosting');

/** The variants of a configuration with the models they name, as CreateEndpoint and UpdateEndpoint deploy them. */
export function variantSpecs(scope: RegionalScope, config: EndpointConfigRecord): Record<string, VariantSpec[]> {
  return {
    [endpointConfigName(config)]: productionVariants(config).map((variant) => {
      const { request } = requireResource(scope, models, variant.ModelName);
      return { variant, model: deployableModel(scope, request) };
    }),
  };
}

export function endpointName(endpoint: EndpointRecord): string {
  return endpoint.request.EndpointName ?? '';
}

/** An endpoint being created or updated cannot be changed or deleted until it settles. */
export function assertNotInProgress(endpoint: EndpointRecord): void {
  if (endpoint.status === 'Creating' || endpoint.status === 'Updating') {
    throw validationError(`Cannot update in-progress endpoint "${endpoint.arn}".`);
  }
}

/** UpdateEndpoint and UpdateEndpointWeightsAndCapacities need an endpoint that serves and is not changing. */
export function assertUpdatable(endpoint: EndpointRecord): void {
  if (endpoint.status === 'InService') return;
  if (endpoint.status === 'Failed') throw validationError(`Cannot update failed endpoint "${endpoint.arn}".`);
  throw validationError(`Cannot update in-progress endpoint "${endpoint.arn}".`);
}

export function describeEndpoint(endpoint: EndpointRecord): OperationOutput<DescribeEndpointCommandOutput> {
  const pending = endpoint.status === 'Creating' ? { configName: endpoint.configName, variants: endpoint.variants, startedAt: endpoint.createdAt } : endpoint.pendingDeployment;
  return {
    EndpointName: endpointName(endpoint),
    EndpointArn: endpoint.arn,
    EndpointConfigName: endpoint.configName,
    // Only what serves: nothing while the endpoint is being created.
    ProductionVariants: endpoint.status === 'Creating' ? undefined : endpoint.variants.map(summarizeVariant),
    EndpointStatus: endpoint.status,
    FailureReason: endpoint.failureReason,
    CreationTime: new Date(endpoint.createdAt),
    LastModifiedTime: new Date(endpoint.lastModifiedAt),
    PendingDeploymentSummary: pending && {
      EndpointConfigName: pending.configName,
      ProductionVariants: pending.variants.map(summarizeVariant),
      StartTime: new Date(pending.startedAt),
    },
  };
}

export function summarizeEndpoint(endpoint: EndpointRecord): EndpointSummary {
  return {
    EndpointName: endpointName(endpoint),
    EndpointArn: endpoint.arn,
    CreationTime: new Date(endpoint.createdAt),
    LastModifiedTime: new Date(endpoint.lastModifiedAt),
    EndpointStatus: endpoint.status,
  };
}

function summarizeVariant(variant: VariantProgress): ProductionVariantSummary {
  return {
    VariantName: variant.name,
    CurrentWeight: variant.currentWeight,
    DesiredWeight: variant.desiredWeight,
    CurrentInstanceCount: variant.currentInstanceCount,
    DesiredInstanceCount: variant.desiredInstanceCount,
  };
}
