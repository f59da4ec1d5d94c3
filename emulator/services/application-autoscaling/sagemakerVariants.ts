// The one kind of scalable target the emulator has: a SageMaker endpoint variant's instance count,
// `endpoint/<endpoint>/variant/<variant>` with `sagemaker:variant:DesiredInstanceCount`.
import { AwsError, validationError } from '../../errors';
import type { RequestContext } from '../../operations';
import { type EndpointRecord, endpoints } from '../sagemaker/hosting/endpointRecords';
import type { VariantProgress } from '../../runtime/endpoints/endpointRuntime';
import { requireResource } from '../sagemaker/common/resources';
import type { TargetId } from './targets';

export const VARIANT_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';
const VARIANT_RESOURCE = /^endpoint\/([^/]+)\/variant\/([^/]+)$/;

/** The metrics a target tracking policy of a variant may track. */
export const VARIANT_METRICS: readonly string[] = ['SageMakerVariantInvocationsPerInstance', 'SageMakerVariantConcurrentRequestsPerModelHighResolution'];

export interface Variant {
  endpoint: EndpointRecord;
  variant: VariantProgress;
}

/** The endpoint variant a target is; throws AWS's error for any other resource, or a missing one. */
export function requireVariant(context: RequestContext, id: TargetId): Variant {
  if (id.ServiceNamespace !== 'sagemaker') {
    throw new AwsError('NotImplemented', 501, `The emulator scales SageMaker endpoint variants only, not ${id.ServiceNamespace} resources`);
  }
  const match = VARIANT_RESOURCE.exec(id.ResourceId);
  if (!match) throw validationError(`Unsupported resource ID for service namespace sagemaker: ${id.ResourceId}; expected endpoint/<endpoint-name>/variant/<variant-name>`);
  if (id.ScalableDimension !== VARIANT_DIMENSION) {
    throw validationError(`Unsupported scalable dimension ${id.ScalableDimension} for resource ID ${id.ResourceId}; expected ${VARIANT_DIMENSION}`);
  }
  const endpoint = requireResource(context, endpoints, match[1]);
  const variant = endpoint.variants.find((candidate) => candidate.name === match[2]);
  if (!variant) throw validationError(`The variant name "${match[2]}" is not present within endpoint "${endpoint.arn}".`);
  return { endpoint, variant };
}
