import type { CreateEndpointCommandInput, CreateEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../operations';
import { desiredVariants, endpointConfigName, requireDeployableConfig } from './endpointConfigs';
import { type EndpointRecord, endpoints } from './endpoints';
import { creatingEndpoint } from './endpointState';
import { claimName, createResource } from './resources';

/** The endpoint stays Creating until the endpoint runtime reports it InService or Failed. */
export async function createEndpoint(input: CreateEndpointCommandInput, context: RequestContext): Promise<OperationOutput<CreateEndpointCommandOutput>> {
  const { Tags: tags, ...request } = input;
  const arn = claimName(context, endpoints, input.EndpointName ?? '');
  const config = requireDeployableConfig(context, input.EndpointConfigName);
  const now = context.now();
  const endpoint: EndpointRecord = {
    ...creatingEndpoint(endpointConfigName(config), desiredVariants(config), now),
    request,
    arn,
    createdAt: now.getTime(),
  };
  await context.store.commit(createResource(context, endpoints, endpoint, tags));
  return { EndpointArn: endpoint.arn };
}
