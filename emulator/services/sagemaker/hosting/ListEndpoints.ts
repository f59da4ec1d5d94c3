// SageMaker ListEndpoints: Lists endpoints.
import type { ListEndpointsCommandInput, ListEndpointsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { endpointName, endpoints, summarizeEndpoint } from './endpointRecords';
import { listPage } from '../common/listing';
import { allResources } from '../common/resources';

export async function ListEndpoints(input: ListEndpointsCommandInput, context: RequestContext): Promise<OperationOutput<ListEndpointsCommandOutput>> {
  const { page, nextToken } = listPage(
    'ListEndpoints',
    allResources(context, endpoints),
    (endpoint) => ({ name: endpointName(endpoint), createdAt: endpoint.createdAt, lastModifiedAt: endpoint.lastModifiedAt, status: endpoint.status }),
    input,
  );
  return { Endpoints: page.map(summarizeEndpoint), NextToken: nextToken };
}
