// From the palette, or from an endpoint's node: one production variant of an endpoint (the only one
// is taken without asking).
import { listVariants } from '../pipeline/endpoints';
import type { Services } from '../services';
import { pickEndpoint } from './pickEndpoint';
import { pickResource } from './pickResource';

export interface VariantRef {
  endpointName: string;
  variantName: string;
}

export async function pickVariant(services: Pick<Services, 'connection'>, options: { title: string; endpointName?: string }): Promise<VariantRef | undefined> {
  const endpointName = options.endpointName ?? (await pickEndpoint(services, { title: options.title, status: 'InService' }))?.name;
  if (!endpointName) return undefined;
  const variants = await listVariants(await services.connection.clients.sageMaker(), endpointName);
  if (variants.length === 1) return { endpointName, variantName: variants[0].name };
  const variantName = await pickResource({
    title: options.title,
    placeholder: `A production variant of ${endpointName}`,
    load: async () => variants.map((variant) => ({ label: variant.name, description: [variant.modelName, variant.instanceType].filter(Boolean).join(' · '), resource: variant.name })),
    nothingListed: `Endpoint ${endpointName} has no production variants.`,
  });
  return variantName === undefined ? undefined : { endpointName, variantName };
}
