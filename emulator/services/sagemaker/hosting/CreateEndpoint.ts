// SageMaker CreateEndpoint: Creates an endpoint using the endpoint configuration specified in the request.
import type { CreateEndpointCommandInput, CreateEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { desiredVariants, endpointConfigName, requireDeployableConfig } from './endpointConfigRecords';
import { type EndpointRecord, endpoints, variantSpecs } from './endpointRecords';
import { creatingEndpoint } from './state';
import { claimName, createResource } from '../common/resources';

/** The endpoint stays Creating until the endpoint runtime has its instances serving (InService) or gives up (Failed). */
export async function CreateEndpoint(input: CreateEndpointCommandInput, context: RequestContext): Promise<OperationOutput<CreateEndpointCommandOutput>> {
  const { Tags: tags, ...request } = input;
  const arn = claimName(context, endpoints, input.EndpointName ?? '');
  const config = requireDeployableConfig(context, input.EndpointConfigName);
  const now = context.now();
  const endpoint: EndpointRecord = {
    ...creatingEndpoint(endpointConfigName(config), desiredVariants(config), now),
    request,
    specs: variantSpecs(context, config),
    arn,
    createdAt: now.getTime(),
  };
  await context.store.commit(createResource(context, endpoints, endpoint, tags));
  context.runtimes.endpoints.changed(arn);
  return { EndpointArn: endpoint.arn };
}
