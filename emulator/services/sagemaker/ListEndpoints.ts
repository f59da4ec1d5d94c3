import type { ListEndpointsCommandInput, ListEndpointsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../operations';
import { endpointName, endpoints, summarizeEndpoint } from './endpoints';
import { listPage } from './listing';
import { allResources } from './resources';

export async function listEndpoints(input: ListEndpointsCommandInput, context: RequestContext): Promise<OperationOutput<ListEndpointsCommandOutput>> {
  const { page, nextToken } = listPage(
    'ListEndpoints',
    allResources(context, endpoints),
    (endpoint) => ({ name: endpointName(endpoint), createdAt: endpoint.createdAt, lastModifiedAt: endpoint.lastModifiedAt, status: endpoint.status }),
    input,
  );
  return { Endpoints: page.map(summarizeEndpoint), NextToken: nextToken };
}
