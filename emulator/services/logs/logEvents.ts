// Log events, stored so that a stream of 100,000 lines costs no more per append than one of ten: each
// append is one new immutable chunk record (numbered 0, 1, … per stream) plus the stream's small
// record; nothing written before is rewritten. A chunk's events are in chronological order, and it
// knows the position of its first event in the stream, so a read finds its start by binary search.
//
// `appendLogEvents` is also the in-process API of the job runtimes: they append their containers'
// output here, durably, without going through HTTP.
import type { RegionalScope } from '../../regionalScope';
import { createHash } from 'node:crypto';
import { defineTable, put, remove } from '../../store/store';
import type { Change } from '../../store/logFormat';
import { findLogGroup, newLogGroup, putLogGroup } from './logGroups';
import { findLogStream, type LogStreamRecord, newLogStream, putLogStream } from './logStreams';
import { eventPartition } from './scope';

export interface LogEvent {
  /** Epoch milliseconds. */
  timestamp: number;
  message: string;
}

interface EventChunk {
  /** The position in the stream of the chunk's first event. */
  firstIndex: number;
  ingestionTime: number;
  events: LogEvent[];
}

/** An event as reads return it. */
export interface StoredEvent extends LogEvent {
  /** 0-based, in the order events were appended. */
  position: number;
  ingestionTime: number;
}

/** Inclusive bounds, in epoch milliseconds. */
export interface TimeWindow {
  from?: number;
  to?: number;
}

/** Partitioned by stream, keyed by chunk number. */
const eventChunks = defineTable<EventChunk>('logs.eventChunks');

/**
 * Appends `events` to a stream and resolves once they are durable. The group and the stream are
 * created if missing, as AWS services do for the logs they write. Events are stored in timestamp
 * order (PutLogEvents checks that a client sent them so; a runtime's lines are ordered here).
 */
export async function appendLogEvents(
  scope: RegionalScope,
  groupName: string,
  streamName: string,
  events: readonly LogEvent[],
  ingestedAt: Date = new Date(),
): Promise<void> {
  if (events.length === 0) return;
  const changes: Change[] = [];
  let group = findLogGroup(scope, groupName);
  if (!group) {
    group = newLogGroup(scope, groupName, {}, ingestedAt);
    changes.push(putLogGroup(scope, group));
  }
  const stream = findLogStream(scope, groupName, streamName) ?? newLogStream(group, streamName, ingestedAt);
  const ordered = [...events].sort((a, b) => a.timestamp - b.timestamp).map(({ timestamp, message }) => ({ timestamp, message }));
  const ingestionTime = ingestedAt.getTime();
  const chunk: EventChunk = { firstIndex: stream.eventCount, ingestionTime, events: ordered };
  const appended: LogStreamRecord = {
    ...stream,
    eventCount: stream.eventCount + ordered.length,
    chunkCount: stream.chunkCount + 1,
    storedBytes: stream.storedBytes + ordered.reduce((total, event) => total + Buffer.byteLength(event.message), 0),
    firstEventTimestamp: Math.min(stream.firstEventTimestamp ?? Infinity, ordered[0].timestamp),
    lastEventTimestamp: Math.max(stream.lastEventTimestamp ?? -Infinity, ordered[ordered.length - 1].timestamp),
    lastIngestionTime: ingestionTime,
  };
  changes.push(put(eventChunks, eventPartition(scope, groupName, streamName), String(stream.chunkCount), chunk), putLogStream(scope, groupName, appended));
  await scope.store.commit(changes);
}

/**
 * The events of a stream within `window`, lazily: forward from position `from` (inclusive), or backward
 * from just before it. Chunks wholly outside the window are skipped without looking at their events.
 */
export function* readEvents(
  scope: RegionalScope,
  groupName: string,
  stream: LogStreamRecord,
  from: number,
  direction: 'forward' | 'backward',
  window: TimeWindow = {},
): Generator<StoredEvent> {
  const chunks = chunkReader(scope, groupName, stream);
  const inWindow = (timestamp: number) => (window.from === undefined || timestamp >= window.from) && (window.to === undefined || timestamp <= window.to);
  const overlaps = (chunk: EventChunk) =>
    (window.to === undefined || chunk.events[0].timestamp <= window.to) &&
    (window.from === undefined || chunk.events[chunk.events.length - 1].timestamp >= window.from);
  const emit = (chunk: EventChunk, index: number): StoredEvent => ({ ...chunk.events[index], position: chunk.firstIndex + index, ingestionTime: chunk.ingestionTime });

  if (direction === 'forward') {
    if (from >= stream.eventCount) return;
    for (let number = chunks.numberHolding(from); number < stream.chunkCount; number++) {
      const chunk = chunks.get(number);
      if (!overlaps(chunk)) continue;
      for (let index = Math.max(from - chunk.firstIndex, 0); index < chunk.events.length; index++) {
        if (inWindow(chunk.events[index].timestamp)) yield emit(chunk, index);
      }
    }
  } else {
    if (from <= 0) return;
    for (let number = chunks.numberHolding(Math.min(from, stream.eventCount) - 1); number >= 0; number--) {
      const chunk = chunks.get(number);
      if (!overlaps(chunk)) continue;
      for (let index = Math.min(from - 1 - chunk.firstIndex, chunk.events.length - 1); index >= 0; index--) {
        if (inWindow(chunk.events[index].timestamp)) yield emit(chunk, index);
      }
    }
  }
}

/** The removal of every event of a stream. */
export function removeLogEvents(scope: RegionalScope, groupName: string, stream: LogStreamRecord): Change[] {
  const partition = eventPartition(scope, groupName, stream.name);
  return Array.from({ length: stream.chunkCount }, (_, number) => remove(eventChunks, partition, String(number)));
}

/** AWS event ids are 56 digits; these are stable per stream and position. */
export function eventId(stream: LogStreamRecord, position: number): string {
  const digest = createHash('sha256').update(`${stream.arn}\n${position}`).digest('hex');
  return BigInt(`0x${digest}`).toString().slice(0, 56).padStart(56, '0');
}

function chunkReader(scope: RegionalScope, groupName: string, stream: LogStreamRecord) {
  const partition = eventPartition(scope, groupName, stream.name);
  const get = (number: number): EventChunk => {
    const chunk = scope.store.get(eventChunks, partition, String(number));
    if (!chunk) throw new Error(`log stream ${stream.arn} lacks its chunk ${number}`);
    return chunk;
  };
  /** Binary search: the last chunk whose first event is at or before `position`. */
  const numberHolding = (position: number): number => {
    let low = 0;
    let high = stream.chunkCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (get(middle).firstIndex <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  return { get, numberHolding };
}
