// SageMaker ListEndpoints: Lists endpoints.
import type { ListEndpointsCommandInput, ListEndpointsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { endpointName, endpoints, summarizeEndpoint } from './endpointRecords';
import { defineListing } from '../common/listing';

const listing = defineListing('ListEndpoints', endpoints, (endpoint) => ({
  name: endpointName(endpoint),
  createdAt: endpoint.createdAt,
  lastModifiedAt: endpoint.lastModifiedAt,
  status: endpoint.status,
}));

export async function ListEndpoints(input: ListEndpointsCommandInput, context: RequestContext): Promise<OperationOutput<ListEndpointsCommandOutput>> {
  const { page, nextToken } = listing.page(context, input);
  return { Endpoints: page.map(summarizeEndpoint), NextToken: nextToken };
}
