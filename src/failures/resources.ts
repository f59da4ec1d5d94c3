// What a failed call was about. Pipeline calls name their resource (`about({ kind, name }, call)`),
// so whichever surface shows the failure can say "Training job foo was not found in us-east-1"
// rather than the service's bare "Requested resource not found.". Pure.

export type ResourceKind =
  | 'trainingJob'
  | 'processingJob'
  | 'transformJob'
  | 'endpoint'
  | 'endpointConfig'
  | 'model'
  | 'modelPackage'
  | 'modelPackageGroup'
  | 'bucket'
  | 'object'
  | 'logGroup'
  | 'scalingPolicy';

export interface ResourceRef {
  kind: ResourceKind;
  name: string;
}

/** How each kind is named in sentences, and the view that lists it (its "Show …" next step). */
export const RESOURCE_KINDS: Record<ResourceKind, { label: string; view?: 'showTrainingJobs' | 'showEndpoints' | 'showDatasets' | 'showModels' }> = {
  trainingJob: { label: 'Training job', view: 'showTrainingJobs' },
  processingJob: { label: 'Processing job' },
  transformJob: { label: 'Transform job' },
  endpoint: { label: 'Endpoint', view: 'showEndpoints' },
  endpointConfig: { label: 'Endpoint configuration', view: 'showEndpoints' },
  model: { label: 'Model', view: 'showModels' },
  modelPackage: { label: 'Model version', view: 'showModels' },
  modelPackageGroup: { label: 'Model group', view: 'showModels' },
  bucket: { label: 'Bucket', view: 'showDatasets' },
  object: { label: 'Object', view: 'showDatasets' },
  logGroup: { label: 'Log group' },
  scalingPolicy: { label: 'Scaling policy', view: 'showEndpoints' },
};

const RESOURCE = Symbol('sagemaker.resource');

/** `Training job foo`. */
export function describeResource(resource: ResourceRef): string {
  return `${RESOURCE_KINDS[resource.kind].label} ${resource.name}`;
}

/** Runs `call`; a failure is rethrown carrying the resource it was about (the innermost one wins). */
export async function about<T>(resource: ResourceRef, call: Promise<T> | (() => Promise<T>)): Promise<T> {
  try {
    return await (typeof call === 'function' ? call() : call);
  } catch (error) {
    throw attachResource(error, resource);
  }
}

/** `error` (made an Error if it is not an object) carrying `resource`, unless it carries one already. */
export function attachResource(error: unknown, resource: ResourceRef): object {
  const carrier = typeof error === 'object' && error !== null ? error : new Error(String(error));
  if (!(RESOURCE in carrier)) {
    Object.defineProperty(carrier, RESOURCE, { value: resource, enumerable: false });
  }
  return carrier;
}

/** The resource a failure was about, if the call named one. */
export function resourceOf(error: unknown): ResourceRef | undefined {
  return typeof error === 'object' && error !== null && RESOURCE in error ? ((error as Record<symbol, ResourceRef>)[RESOURCE]) : undefined;
}
