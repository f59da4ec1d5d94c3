// SageMaker UpdateEndpoint: Deploys the EndpointConfig specified in the request to a new fleet of instances.
import type { UpdateEndpointCommandInput, UpdateEndpointCommandOutput, VariantPropertyType } from '@aws-sdk/client-sagemaker';
import type { OperationOutput, RequestContext } from '../../../operations';
import { desiredVariants, endpointConfigName, requireDeployableConfig } from './endpointConfigRecords';
import { assertUpdatable, type EndpointRecord, endpoints, variantSpecs } from './endpointRecords';
import { updatingEndpoint } from './state';
import type { VariantProgress } from '../../../runtime/endpoints/endpointRuntime';
import { putResource, requireResource } from '../common/resources';

export async function UpdateEndpoint(input: UpdateEndpointCommandInput, context: RequestContext): Promise<OperationOutput<UpdateEndpointCommandOutput>> {
  const endpoint = requireResource(context, endpoints, input.EndpointName);
  assertUpdatable(endpoint);
  const config = requireDeployableConfig(context, input.EndpointConfigName);
  const excluded = new Set((input.ExcludeRetainedVariantProperties ?? []).map((property) => property.VariantPropertyType));
  const variants = input.RetainAllVariantProperties ? retained(endpoint, desiredVariants(config), excluded) : desiredVariants(config);
  const updated = updatingEndpoint(endpoint, endpointConfigName(config), variants, context.now());
  const specs = { ...endpoint.specs, ...variantSpecs(context, config) };
  await context.store.commit([putResource(context, endpoints, { ...updated, specs })]);
  context.runtimes.endpoints.changed(endpoint.arn);
  return { EndpointArn: endpoint.arn };
}

/** RetainAllVariantProperties: variants that keep their name keep their weight and instance count, unless excluded. */
function retained(endpoint: EndpointRecord, variants: VariantProgress[], excluded: ReadonlySet<VariantPropertyType | undefined>): VariantProgress[] {
  const serving = new Map(endpoint.variants.map((variant) => [variant.name, variant]));
  return variants.map((variant) => {
    const previous = serving.get(variant.name);
    if (!previous) return variant;
    return {
      ...variant,
      desiredWeight: excluded.has('DesiredWeight') ? variant.desiredWeight : previous.desiredWeight,
      desiredInstanceCount: excluded.has('DesiredInstanceCount') ? variant.desiredInstanceCount : previous.desiredInstanceCount,
    };
  });
}
