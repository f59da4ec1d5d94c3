// SageMaker DeleteEndpointConfig: Deletes an endpoint configuration.
import type { DeleteEndpointConfigCommandInput, DeleteEndpointConfigCommandOutput } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { endpointConfigs } from './endpointConfigRecords';
import { deleteNamedResource } from '../common/resources';

/** As on SageMaker, a configuration in use by an endpoint may be deleted: the endpoint keeps serving it. */
export async function DeleteEndpointConfig(
  input: DeleteEndpointConfigCommandInput,
  context: RequestContext,
): Promise<OperationOutput<DeleteEndpointConfigCommandOutput>> {
  await deleteNamedResource(context, endpointConfigs, input.EndpointConfigName);
  return {};
}
