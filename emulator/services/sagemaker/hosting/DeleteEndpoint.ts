// SageMaker DeleteEndpoint: Deletes an endpoint.
import type { DeleteEndpointCommandInput, DeleteEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { assertNotInProgress, endpoints } from './endpointRecords';
import { deletingEndpoint, hasInstances } from './state';
import { deleteResource, putResource, requireResource } from '../common/resources';

/**
 * An endpoint with instances goes Deleting until the runtime has released them (then the record
 * goes); a Failed one, which has none, is gone at once. As on SageMaker, an endpoint being created
 * or updated cannot be deleted until it settles. Deleting twice is no error.
 */
export async function DeleteEndpoint(input: DeleteEndpointCommandInput, context: RequestContext): Promise<OperationOutput<DeleteEndpointCommandOutput>> {
  const endpoint = requireResource(context, endpoints, input.EndpointName);
  if (endpoint.status === 'Deleting') return {};
  assertNotInProgress(endpoint);
  const changes = hasInstances(endpoint)
    ? [putResource(context, endpoints, deletingEndpoint(endpoint, context.now()))]
    : deleteResource(context, endpoints, endpoint);
  await context.store.commit(changes);
  context.runtimes.endpoints.changed(endpoint.arn);
  return {};
}
