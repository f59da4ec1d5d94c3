// The resources AddTags, ListTags and DeleteTags reach by ARN: those of every kind the emulator keeps.
import { validationError } from '../../../errors';
import type { RequestContext } from '../../../operations';
import { parseSagemakerArn } from '../common/arns';
import { endpointConfigs } from '../hosting/endpointConfigRecords';
import { endpoints } from '../hosting/endpointRecords';
import { resourceNotFound } from '../common/errors';
import { modelPackageGroups } from '../registry/modelPackageGroupRecords';
import { modelPackages } from '../registry/modelPackageRecords';
import { models } from '../hosting/modelRecords';
import { processingJobs } from '../processingJobs/records';
import { findResource, notFound, type ResourceKind, type ResourceRecord } from '../common/resources';
import { trainingJobs } from '../trainingJobs/records';
import { transformJobs } from '../transformJobs/records';

/** SageMaker's limit of tags per resource. */
const MAX_TAGS = 50;

const TAGGABLE_KINDS: readonly ResourceKind<ResourceRecord>[] = [
  trainingJobs,
  processingJobs,
  transformJobs,
  models,
  endpointConfigs,
  endpoints,
  modelPackageGroups,
  modelPackages,
];

/** The ARN (as the emulator spells it) of the resource `arn` names; throws if there is none. */
export function requireTaggedResource(context: RequestContext, arn: string): string {
  const kind = TAGGABLE_KINDS.find((candidate) => candidate.arnType === parseSagemakerArn(arn)?.resourceType);
  if (!kind) throw resourceNotFound();
  const resource = findResource(context, kind, arn);
  if (!resource) throw notFound(kind, arn);
  return resource.arn;
}

export function assertTagLimit(count: number): void {
  if (count > MAX_TAGS) throw validationError(`A resource can have at most ${MAX_TAGS} tags; this request would leave it with ${count}.`);
}
