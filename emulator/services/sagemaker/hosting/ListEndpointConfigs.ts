// SageMaker ListEndpointConfigs: Lists endpoint configurations.
import type { ListEndpointConfigsCommandInput, ListEndpointConfigsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { endpointConfigName, endpointConfigs, summarizeEndpointConfig } from './endpointConfigRecords';
import { defineListing } from '../common/listing';

const listing = defineListing('ListEndpointConfigs', endpointConfigs, (config) => ({ name: endpointConfigName(config), createdAt: config.createdAt }));

export async function ListEndpointConfigs(
  input: ListEndpointConfigsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListEndpointConfigsCommandOutput>> {
  const { page, nextToken } = listing.page(context, input);
  return { EndpointConfigs: page.map(summarizeEndpointConfig), NextToken: nextToken };
}
