// The endpoint record and its views: what DescribeEndpoint and ListEndpoints return. Its status and
// variants belong to the state machine in endpointState.ts.
import type {
  CreateEndpointCommandInput,
  DescribeEndpointCommandOutput,
  EndpointSummary,
  ProductionVariantSummary,
} from '@aws-sdk/client-sagemaker';
import { validationError } from '../../errors';
import type { OperationOutput } from '../../operations';
import type { EndpointProgress, VariantProgress } from './endpointState';
import { defineResourceKind, type ResourceRecord } from './resources';

export interface EndpointRecord extends ResourceRecord, EndpointProgress {
  /** The CreateEndpoint request; its Tags live with the other tags. */
  request: Omit<CreateEndpointCommandInput, 'Tags'>;
}

export const endpoints = defineResourceKind<EndpointRecord>('sagemaker.endpoints', 'endpoint', 'endpoint', 'hosting');

export function endpointName(endpoint: EndpointRecord): string {
  return endpoint.request.EndpointName ?? '';
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
