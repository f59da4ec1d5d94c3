import type { DeleteEndpointCommandInput, DeleteEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../operations';
import { endpoints } from './endpoints';
import { deletingEndpoint, hasInstances } from './endpointState';
import { deleteResource, putResource, requireResource } from './resources';

/**
 * An endpoint with instances goes Deleting until the runtime has released them (and then deletes the
 * record); one without, e.g. still Creating or Failed, is gone at once. Deleting twice is no error.
 */
export async function deleteEndpoint(input: DeleteEndpointCommandInput, context: RequestContext): Promise<OperationOutput<DeleteEndpointCommandOutput>> {
  const endpoint = requireResource(context, endpoints, input.EndpointName);
  if (endpoint.status === 'Deleting') return {};
  const changes = hasInstances(endpoint)
    ? [putResource(context, endpoints, deletingEndpoint(endpoint, context.now()))]
    : deleteResource(context, endpoints, endpoint);
  await context.store.commit(changes);
  return {};
}
