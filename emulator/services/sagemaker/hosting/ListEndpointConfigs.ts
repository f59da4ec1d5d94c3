// SageMaker ListEndpointConfigs: Lists endpoint configurations.
import type { ListEndpointConfigsCommandInput, ListEndpointConfigsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { endpointConfigName, endpointConfigs, summarizeEndpointConfig } from './endpointConfigRecords';
import { listPage } from '../common/listing';
import { allResources } from '../common/resources';

export async function ListEndpointConfigs(
  input: ListEndpointConfigsCommandInput,
  context: RequestContext,
): Promise<OperationOutput<ListEndpointConfigsCommandOutput>> {
  const { page, nextToken } = listPage(
    'ListEndpointConfigs',
    allResources(context, endpointConfigs),
    (config) => ({ name: endpointConfigName(config), createdAt: config.createdAt }),
    input,
  );
  return { EndpointConfigs: page.map(summarizeEndpointConfig), NextToken: nextToken };
}
