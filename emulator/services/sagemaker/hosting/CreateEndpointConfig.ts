// SageMaker CreateEndpointConfig: Creates an endpoint configuration that SageMaker hosting services uses to
// deploy models.
import type { CreateEndpointConfigCommandInput, CreateEndpointConfigCommandOutput } from '@aws-sdk/client-sagemaker';
import { validationError } from '../../../errors';
import type { OperationOutput, RequestContext } from '../../../operations';
import { DEFAULT_VARIANT_WEIGHT, type EndpointConfigRecord, endpointConfigs } from './endpointConfigRecords';
import { models } from './modelRecords';
import { claimName, createResource, requireResource } from '../common/resources';

export async function CreateEndpointConfig(
  input: CreateEndpointConfigCommandInput,
  context: RequestContext,
): Promise<OperationOutput<CreateEndpointConfigCommandOutput>> {
  const { Tags: tags, ...request } = input;
  const variants = request.ProductionVariants ?? [];
  const names = new Set<string>();
  for (const variant of variants) {
    const name = variant.VariantName ?? '';
    if (names.has(name)) throw validationError(`The variant name "${name}" was non-unique within the request.`);
    names.add(name);
    if (variant.ModelName !== undefined) requireResource(context, models, variant.ModelName);
  }
  const config: EndpointConfigRecord = {
    request: {
      ...request,
      ProductionVariants: variants.map((variant) => ({ ...variant, InitialVariantWeight: variant.InitialVariantWeight ?? DEFAULT_VARIANT_WEIGHT })),
    },
    arn: claimName(context, endpointConfigs, input.EndpointConfigName ?? ''),
    createdAt: context.now().getTime(),
  };
  await context.store.commit(createResource(context, endpointConfigs, config, tags));
  return { EndpointConfigArn: config.arn };
}
