// The log stream record and what DescribeLogStreams shows of it. Its events are stored apart, in
// append-only chunks (logEvents.ts); the record only counts them.
import type { LogStream } from '@aws-sdk/client-cloudwatch-logs';
import type { RegionalScope } from '../../regionalScope';
import { defineTable, put, remove } from '../../store/store';
import type { Change } from '../../store/logFormat';
import { logStreamNotFound } from './errors';
import type { LogGroupRecord } from './logGroups';
import { streamPartition } from './scope';

export interface LogStreamRecord {
  name: string;
  arn: string;
  /** Epoch milliseconds, as every time here. */
  createdAt: number;
  eventCount: number;
  /** Chunks are numbered 0, 1, … in the order they were appended. */
  chunkCount: number;
  /** UTF-8 bytes of the messages (AWS reports it for groups only). */
  storedBytes: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
}

/** Partitioned by group, keyed by name (case-sensitive). */
const logStreams = defineTable<LogStreamRecord>('logs.streams');

export function newLogStream(group: LogGroupRecord, name: string, at: Date): LogStreamRecord {
  return { name, arn: `${group.arn}:log-stream:${name}`, createdAt: at.getTime(), eventCount: 0, chunkCount: 0, storedBytes: 0 };
}

export function findLogStream(scope: RegionalScope, groupName: string, name: string): LogStreamRecord | undefined {
  return scope.store.get(logStreams, streamPartition(scope, groupName), name);
}

export function requireLogStream(scope: RegionalScope, groupName: string, name: string): LogStreamRecord {
  const stream = findLogStream(scope, groupName, name);
  if (!stream) throw logStreamNotFound();
  return stream;
}

export function allLogStreams(scope: RegionalScope, groupName: string): LogStreamRecord[] {
  return scope.store.entries(logStreams, streamPartition(scope, groupName)).map(([, stream]) => stream);
}

export function putLogStream(scope: RegionalScope, groupName: string, stream: LogStreamRecord): Change {
  return put(logStreams, streamPartition(scope, groupName), stream.name, stream);
}

export function removeLogStream(scope: RegionalScope, groupName: string, stream: LogStreamRecord): Change {
  return remove(logStreams, streamPartition(scope, groupName), stream.name);
}

/** PutLogEvents ignores sequence tokens now, but AWS still hands them out: one per append. */
export function sequenceToken(stream: LogStreamRecord): string {
  return String(stream.chunkCount).padStart(56, '0');
}

export function describeLogStream(stream: LogStreamRecord): LogStream {
  return {
    logStreamName: stream.name,
    creationTime: stream.createdAt,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    uploadSequenceToken: sequenceToken(stream),
    arn: stream.arn,
    // No longer supported for streams: AWS always reports zero.
    storedBytes: 0,
  };
}
