// SageMaker UpdateEndpointWeightsAndCapacities: Updates variant weight of one or more variants associated
// with an existing endpoint, or capacity of one variant associated with an existing endpoint.
import type {
  UpdateEndpointWeightsAndCapacitiesCommandInput,
  UpdateEndpointWeightsAndCapacitiesCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { validationError } from '../../../errors';
import type { OperationOutput, RequestContext } from '../../../operations';
import { assertUpdatable, endpoints } from './endpointRecords';
import { updatingVariants } from './state';
import { putResource, requireResource } from '../common/resources';

export async function UpdateEndpointWeightsAndCapacities(
  input: UpdateEndpointWeightsAndCapacitiesCommandInput,
  context: RequestContext,
): Promise<OperationOutput<UpdateEndpointWeightsAndCapacitiesCommandOutput>> {
  const endpoint = requireResource(context, endpoints, input.EndpointName);
  assertUpdatable(endpoint);
  const changes = new Map<string, { weight?: number; instanceCount?: number }>();
  const known = new Set(endpoint.variants.map((variant) => variant.name));
  for (const desired of input.DesiredWeightsAndCapacities ?? []) {
    const name = desired.VariantName ?? '';
    if (changes.has(name)) throw validationError(`The variant name "${name}" was non-unique within the request.`);
    if (!known.has(name)) {
      throw validationError(`The variant name(s) "${name}" is/are not present within endpoint configuration "${endpoint.configName}".`);
    }
    changes.set(name, { weight: desired.DesiredWeight, instanceCount: desired.DesiredInstanceCount });
  }
  await context.store.commit([putResource(context, endpoints, updatingVariants(endpoint, changes, context.now()))]);
  context.runtimes.endpoints.changed(endpoint.arn);
  return { EndpointArn: endpoint.arn };
}
