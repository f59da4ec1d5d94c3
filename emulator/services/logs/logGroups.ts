// The log group record, how requests name a group (logGroupName or logGroupIdentifier), and what
// DescribeLogGroups shows of it.
import type { CreateLogGroupCommandInput, LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { RegionalScope } from '../../regionalScope';
import { defineTable, put, remove } from '../../store/store';
import type { Change } from '../../store/logFormat';
import { invalidParameter, logGroupNotFound } from './errors';
import { groupPartition } from './scope';

export interface LogGroupRecord {
  name: string;
  /** Without the trailing `:*` of DescribeLogGroups' `arn`. */
  arn: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** The CreateLogGroup request (empty for a group created by an AWS service writing its logs). */
  request: Omit<CreateLogGroupCommandInput, 'logGroupName'>;
}

/** Keyed by name: log group names are case-sensitive. */
const logGroups = defineTable<LogGroupRecord>('logs.groups');

export function newLogGroup(scope: RegionalScope, name: string, request: LogGroupRecord['request'], at: Date): LogGroupRecord {
  return { name, arn: `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${name}`, createdAt: at.getTime(), request };
}

export function findLogGroup(scope: RegionalScope, name: string): LogGroupRecord | undefined {
  return scope.store.get(logGroups, groupPartition(scope), name);
}

export function allLogGroups(scope: RegionalScope): LogGroupRecord[] {
  return scope.store.entries(logGroups, groupPartition(scope)).map(([, group]) => group);
}

export function putLogGroup(scope: RegionalScope, group: LogGroupRecord): Change {
  return put(logGroups, groupPartition(scope), group.name, group);
}

export function removeLogGroup(scope: RegionalScope, group: LogGroupRecord): Change {
  return remove(logGroups, groupPartition(scope), group.name);
}

/** How requests name a group: by name, or by name or ARN in logGroupIdentifier — one of the two. */
export interface GroupReference {
  logGroupName?: string;
  logGroupIdentifier?: string;
}

export function requireLogGroup(scope: RegionalScope, { logGroupName, logGroupIdentifier }: GroupReference): LogGroupRecord {
  if ((logGroupName === undefined) === (logGroupIdentifier === undefined)) {
    throw invalidParameter('Either logGroupName or logGroupIdentifier must be specified, but not both.');
  }
  const group = findLogGroup(scope, logGroupName ?? groupNameOf(scope, logGroupIdentifier ?? ''));
  if (!group) throw logGroupNotFound();
  return group;
}

/** An identifier is a name or the ARN `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (the model forbids the `:*` form). */
function groupNameOf(scope: RegionalScope, identifier: string): string {
  const arn = /^arn:aws[a-z-]*:logs:([^:]*):([^:]*):log-group:([^:]+)$/.exec(identifier);
  if (!arn) return identifier;
  // A group of another account or region is not in this scope: no name matches it.
  return arn[1] === scope.region && arn[2] === scope.accountId ? arn[3] : '';
}

export function describeLogGroup(group: LogGroupRecord, storedBytes: number): LogGroup {
  return {
    logGroupName: group.name,
    creationTime: group.createdAt,
    metricFilterCount: 0,
    arn: `${group.arn}:*`,
    logGroupArn: group.arn,
    storedBytes,
    kmsKeyId: group.request.kmsKeyId,
    logGroupClass: group.request.logGroupClass ?? 'STANDARD',
    deletionProtectionEnabled: group.request.deletionProtectionEnabled,
  };
}
