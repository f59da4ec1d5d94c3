// What every kind of SageMaker resource shares: a table of records keyed by the resource id of their
// ARN (lower-case, so names are unique regardless of case, as SageMaker's are), partitioned by account
// and region; the errors for a missing or taken name; and tags, kept beside the record under its ARN
// so that tagging never rewrites a record that a runtime may be advancing.
import type { Tag } from '@aws-sdk/client-sagemaker';
import type { AwsError } from '../../../errors';
import { type RegionalScope, regionalPartition } from '../../../regionalScope';
import { defineTable, put, remove, type Table } from '../../../store/store';
import type { Change } from '../../../store/logFormat';
import { parseSagemakerArn, sagemakerArn } from './arns';
import { cannotCreateExisting, couldNotFind, doesNotExist, jobNameInUse, jobNotFound, resourceNotFound } from './errors';

export interface ResourceRecord {
  arn: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/**
 * How SageMaker words errors about a kind (emulator/README.md lists the evidence). A missing one:
 * training jobs `Requested resource not found.`; processing and transform jobs `Could not find
 * requested job with name x`; hosting resources `Could not find model "arn".`; registry resources
 * `Model package group x does not exist.` A taken name: ResourceInUse for jobs, `Cannot create
 * already existing model "arn".` for the others.
 */
export type ErrorStyle = 'trainingJob' | 'job' | 'hosting' | 'registry';

export interface ResourceKind<T extends ResourceRecord> {
  /** As in ARNs, e.g. `endpoint-config`. */
  readonly arnType: string;
  /** As in SageMaker's messages, e.g. `endpoint configuration`. */
  readonly noun: string;
  readonly errorStyle: ErrorStyle;
  readonly table: Table<T>;
}

export function defineResourceKind<T extends ResourceRecord>(
  tableName: string,
  arnType: string,
  noun: string,
  errorStyle: ErrorStyle,
): ResourceKind<T> {
  return { arnType, noun, errorStyle, table: defineTable<T>(tableName) };
}

/** The error for a name (or ARN) that names no resource of this kind; `given` is the name or ARN as the request spelled it. */
export function notFound(kind: ResourceKind<ResourceRecord>, arn: string, given = arn): AwsError {
  switch (kind.errorStyle) {
    case 'trainingJob':
      return resourceNotFound();
    case 'job':
      return jobNotFound(given);
    case 'registry':
      return doesNotExist(kind.noun, given);
    case 'hosting':
      return couldNotFind(kind.noun, arn);
  }
}

/** The ARN a resource of this kind has, or would have, in the caller's account and region. */
export function resourceArn(scope: RegionalScope, kind: ResourceKind<ResourceRecord>, resourceId: string): string {
  return sagemakerArn(scope, kind.arnType, resourceId);
}

/**
 * The resource that `nameOrArn` names: a name, or an ARN of this kind in the caller's account and region
 * (inputs such as ModelPackageGroupName accept both).
 */
export function findResource<T extends ResourceRecord>(scope: RegionalScope, kind: ResourceKind<T>, nameOrArn: string): T | undefined {
  const resourceId = resourceIdOf(scope, kind, nameOrArn);
  return resourceId === undefined ? undefined : scope.store.get(kind.table, regionalPartition(scope), resourceId.toLowerCase());
}

export function requireResource<T extends ResourceRecord>(scope: RegionalScope, kind: ResourceKind<T>, nameOrArn: string | undefined): T {
  const resource = nameOrArn === undefined ? undefined : findResource(scope, kind, nameOrArn);
  if (!resource) throw notFound(kind, nameOrArn?.startsWith('arn:') ? nameOrArn : resourceArn(scope, kind, nameOrArn ?? ''), nameOrArn ?? '');
  return resource;
}

/** The ARN a new resource named `name` gets; throws the kind's error if the name is taken. */
export function claimName(scope: RegionalScope, kind: ResourceKind<ResourceRecord>, name: string): string {
  const arn = resourceArn(scope, kind, name);
  if (findResource(scope, kind, name)) {
    throw kind.errorStyle === 'trainingJob' || kind.errorStyle === 'job' ? jobNameInUse(kind.noun, arn) : cannotCreateExisting(kind.noun, arn);
  }
  return arn;
}

export function allResources<T extends ResourceRecord>(scope: RegionalScope, kind: ResourceKind<T>): T[] {
  return scope.store.entries(kind.table, regionalPartition(scope)).map(([, record]) => record);
}

/** Writes a new version of a record. */
export function putResource<T extends ResourceRecord>(scope: RegionalScope, kind: ResourceKind<T>, record: T): Change {
  return put(kind.table, regionalPartition(scope), resourceKeyOf(record.arn), record);
}

/** A new resource with the tags of its Create request. */
export function createResource<T extends ResourceRecord>(scope: RegionalScope, kind: ResourceKind<T>, record: T, tags: Tag[] | undefined): Change[] {
  return [putResource(scope, kind, record), putTags(scope, record.arn, tags ?? [])];
}

/** A resource and its tags gone. */
export function deleteResource<T extends ResourceRecord>(scope: RegionalScope, kind: ResourceKind<T>, record: T): Change[] {
  return [remove(kind.table, regionalPartition(scope), resourceKeyOf(record.arn)), remove(tagTable, regionalPartition(scope), record.arn)];
}

/** Deletes the resource `nameOrArn` names, with its tags; throws the kind's error if there is none. */
export async function deleteNamedResource<T extends ResourceRecord>(scope: RegionalScope, kind: ResourceKind<T>, nameOrArn: string | undefined): Promise<void> {
  await scope.store.commit(deleteResource(scope, kind, requireResource(scope, kind, nameOrArn)));
}

interface TagsRecord {
  tags: Tag[];
}

/** Keyed by the ARN of the resource. */
const tagTable = defineTable<TagsRecord>('sagemaker.tags');

export function tagsOf(scope: RegionalScope, arn: string): Tag[] {
  return scope.store.get(tagTable, regionalPartition(scope), arn)?.tags ?? [];
}

export function putTags(scope: RegionalScope, arn: string, tags: Tag[]): Change {
  return put(tagTable, regionalPartition(scope), arn, { tags });
}

function resourceIdOf(scope: RegionalScope, kind: ResourceKind<ResourceRecord>, nameOrArn: string): string | undefined {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const arn = parseSagemakerArn(nameOrArn);
  const ours = arn && arn.resourceType === kind.arnType && arn.accountId === scope.accountId && arn.region === scope.region;
  return ours ? arn.resourceId : undefined;
}

/** ARNs are lower-case already; their resource id is the key. */
function resourceKeyOf(arn: string): string {
  return arn.slice(arn.indexOf('/') + 1);
}
