// Real-time endpoints as the views and commands see them: one page of summaries at a time, newest
// first; an endpoint's production variants with the models they serve; delete.
import type { DescribeEndpointCommandOutput, DescribeEndpointConfigCommandOutput, EndpointStatus, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { loadSdk } from '../aws/clients';
import { about } from '../failures/resources';

export interface EndpointSummary {
  name: string;
  arn: string;
  status: EndpointStatus;
  createdAt?: Date;
  modifiedAt?: Date;
  /** Only filled for endpoints that failed (ListEndpoints does not carry it). */
  failureReason?: string;
}

export interface EndpointPage {
  endpoints: EndpointSummary[];
  nextToken?: string;
}

export interface VariantSummary {
  name: string;
  /** From the endpoint configuration; missing when the configuration was deleted since. */
  modelName?: string;
  instanceType?: string;
  currentInstanceCount?: number;
  desiredInstanceCount?: number;
  currentWeight?: number;
  desiredWeight?: number;
  /** The latest VariantStatus entries, e.g. "Creating: Launching instances". */
  statusMessages: string[];
}

/** Endpoints still changing; the view re-reads them until they settle. */
const IN_PROGRESS: ReadonlySet<string> = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting']);

export function isInProgress(status: string): boolean {
  return IN_PROGRESS.has(status);
}

/** The statuses in which DeleteEndpoint is accepted (SageMaker refuses in-progress endpoints). */
export function isDeletable(status: string): boolean {
  return !IN_PROGRESS.has(status);
}

/** At most this many failed endpoints of a page are described to show why they failed. */
const MAX_FAILURE_LOOKUPS = 10;

export async function listEndpoints(
  sageMaker: SageMakerClient,
  options: { nextToken?: string; pageSize?: number; status?: EndpointStatus } = {},
): Promise<EndpointPage> {
  const { ListEndpointsCommand, DescribeEndpointCommand } = await loadSdk();
  const page = await sageMaker.send(
    new ListEndpointsCommand({
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: options.pageSize ?? 50,
      NextToken: options.nextToken,
      StatusEquals: options.status,
    }),
  );
  const endpoints: EndpointSummary[] = (page.Endpoints ?? []).map((summary) => ({
    name: summary.EndpointName!,
    arn: summary.EndpointArn!,
    status: summary.EndpointStatus!,
    createdAt: summary.CreationTime,
    modifiedAt: summary.LastModifiedTime,
  }));
  // The reason a deployment failed is what the user needs first; only DescribeEndpoint has it.
  const failed = endpoints.filter((endpoint) => endpoint.status === 'Failed').slice(0, MAX_FAILURE_LOOKUPS);
  await Promise.all(
    failed.map(async (endpoint) => {
      const described = await sageMaker.send(new DescribeEndpointCommand({ EndpointName: endpoint.name })).catch(() => undefined);
      endpoint.failureReason = described?.FailureReason;
    }),
  );
  return { endpoints, nextToken: page.NextToken };
}

/** One endpoint's summary, by name (a name typed rather than picked). */
export async function describeEndpoint(sageMaker: SageMakerClient, name: string): Promise<EndpointSummary> {
  const { DescribeEndpointCommand } = await loadSdk();
  const endpoint = await about({ kind: 'endpoint', name }, sageMaker.send(new DescribeEndpointCommand({ EndpointName: name })));
  return {
    name: endpoint.EndpointName ?? name,
    arn: endpoint.EndpointArn ?? '',
    status: endpoint.EndpointStatus!,
    createdAt: endpoint.CreationTime,
    modifiedAt: endpoint.LastModifiedTime,
    failureReason: endpoint.FailureReason,
  };
}

/**
 * The endpoint's production variants: counts and weights from DescribeEndpoint, the model and
 * instance type from its endpoint configuration. While an endpoint is Creating, DescribeEndpoint
 * has no variants yet: the configuration's are listed with what they are to become.
 */
export async function listVariants(sageMaker: SageMakerClient, endpointName: string): Promise<VariantSummary[]> {
  const { DescribeEndpointCommand, DescribeEndpointConfigCommand } = await loadSdk();
  const endpoint = await about({ kind: 'endpoint', name: endpointName }, sageMaker.send(new DescribeEndpointCommand({ EndpointName: endpointName })));
  const config = endpoint.EndpointConfigName
    ? await sageMaker
        .send(new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }))
        .catch(() => undefined) // deleted since: the endpoint still serves, without the model's name
    : undefined;
  return variantsOf(endpoint, config);
}

/**
 * The variants an endpoint's description and its configuration (if still there) say it has: counts
 * and weights from the endpoint, model and instance type from the configuration, and the
 * configuration's variants with what they are to become while the endpoint has none yet.
 */
export function variantsOf(
  endpoint: Pick<DescribeEndpointCommandOutput, 'ProductionVariants'>,
  config: Pick<DescribeEndpointConfigCommandOutput, 'ProductionVariants'> | undefined,
): VariantSummary[] {
  const configured = new Map((config?.ProductionVariants ?? []).map((variant) => [variant.VariantName!, variant]));
  const deployed = endpoint.ProductionVariants ?? [];
  const names = [...new Set([...deployed.map((variant) => variant.VariantName!), ...configured.keys()])];
  return names.map((name) => {
    const summary = deployed.find((variant) => variant.VariantName === name);
    const variant = configured.get(name);
    return {
      name,
      modelName: variant?.ModelName,
      instanceType: variant?.InstanceType ?? (variant?.ServerlessConfig || summary?.CurrentServerlessConfig ? 'serverless' : undefined),
      currentInstanceCount: summary?.CurrentInstanceCount,
      desiredInstanceCount: summary?.DesiredInstanceCount ?? variant?.InitialInstanceCount,
      currentWeight: summary?.CurrentWeight,
      desiredWeight: summary?.DesiredWeight ?? variant?.InitialVariantWeight,
      statusMessages: (summary?.VariantStatus ?? []).map((status) =>
        status.StatusMessage ? `${status.Status}: ${status.StatusMessage}` : `${status.Status}`,
      ),
    };
  });
}

export async function deleteEndpoint(sageMaker: SageMakerClient, endpointName: string): Promise<void> {
  const { DeleteEndpointCommand } = await loadSdk();
  await about({ kind: 'endpoint', name: endpointName }, sageMaker.send(new DeleteEndpointCommand({ EndpointName: endpointName })));
}
