// CloudWatch metrics and their datapoints, durable in the store and bounded.
//
// A metric is its namespace, name and set of dimensions (order does not matter: they are kept sorted
// by name). Its datapoints live in chunks of at most CHUNK_POINTS, numbered in the order they were
// written; an append rewrites only the last, still open, chunk (so it costs at most CHUNK_POINTS
// points of log), and reads skip the chunks outside the time range asked for. A metric keeps at most
// MAX_POINTS_PER_METRIC datapoints and none older than RETENTION_MS (AWS keeps 1-minute data 15 days):
// past either bound its oldest chunks are dropped.
//
// `publishMetrics` is also the in-process API of the emulator's runtimes (training jobs, endpoints):
// they publish datapoints here directly, durably, without HTTP and without PutMetricData's checks
// (so they may use the `AWS/` namespaces, as AWS services do). `metricStatistics` is how a runtime
// (e.g. Application Auto Scaling's target tracking) reads them back.
import type { Dimension, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { type RegionalScope, regionalPartition } from '../../regionalScope';
import { defineTable, put, remove } from '../../store/store';
import type { Change } from '../../store/logFormat';
import { aggregate, type Aggregation, alignedStart, type Bucket } from './statistics';
import type { StoredPoint } from './statistics';
export type { StoredPoint };

export interface MetricDimension {
  Name: string;
  Value: string;
}

export interface MetricRecord {
  namespace: string;
  name: string;
  /** Sorted by name. */
  dimensions: MetricDimension[];
  /** When data for it last arrived (epoch ms): ListMetrics hides metrics idle for two weeks. */
  lastReceivedAt: number;
  /** Its chunks are numbered firstChunk … nextChunk - 1. */
  firstChunk: number;
  nextChunk: number;
  pointCount: number;
}

interface PointChunk {
  /** The earliest and latest timestamps in the chunk. */
  from: number;
  to: number;
  points: StoredPoint[];
}

export const CHUNK_POINTS = 64;
export const MAX_POINTS_PER_METRIC = 50_000;
export const RETENTION_MS = 15 * 24 * 3_600_000;

/** Partitioned by account and region, keyed by metricKey. */
const metrics = defineTable<MetricRecord>('cloudwatch.metrics');
/** Partitioned by metric, keyed by chunk number. */
const pointChunks = defineTable<PointChunk>('cloudwatch.pointChunks');

/** What identifies a metric. */
export interface MetricId {
  namespace: string;
  name: string;
  dimensions: readonly Dimension[];
}

/** A datapoint published in-process. */
export interface MetricDatapoint {
  namespace: string;
  name: string;
  /** Dimension name → value, e.g. `{ EndpointName: 'e', VariantName: 'AllTraffic' }`. */
  dimensions?: Readonly<Record<string, string>>;
  /** Default: now. */
  timestamp?: Date | number;
  /** One value … */
  value?: number;
  /** … or the aggregate of many, e.g. a minute of invocations. */
  statistics?: { sampleCount: number; sum: number; minimum: number; maximum: number };
  unit?: StandardUnit;
  /** 1 keeps the second (high resolution); the default, 60, the minute, as AWS's standard resolution. */
  storageResolution?: 1 | 60;
}

/**
 * Publishes datapoints and resolves once they are durable. Call it with batches (e.g. what a runtime
 * gathered over a second): each call is one store commit.
 */
export async function publishMetrics(scope: RegionalScope, datapoints: readonly MetricDatapoint[], receivedAt: Date = new Date()): Promise<void> {
  const entries = datapoints.map((datapoint) => {
    if (datapoint.value !== undefined && !Number.isFinite(datapoint.value)) throw new Error(`metric ${datapoint.name}: value ${datapoint.value} is not finite`);
    const stats = datapoint.statistics;
    const point: StoredPoint = {
      t: storedTime(datapoint.timestamp === undefined ? receivedAt.getTime() : new Date(datapoint.timestamp).getTime(), datapoint.storageResolution ?? 60),
      ...(stats ? { set: [stats.sampleCount, stats.sum, stats.minimum, stats.maximum] } : { v: datapoint.value ?? 0 }),
      ...(datapoint.unit && datapoint.unit !== 'None' && { unit: datapoint.unit }),
    };
    const dimensions = Object.entries(datapoint.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }));
    return { metric: { namespace: datapoint.namespace, name: datapoint.name, dimensions }, point };
  });
  await appendPoints(scope, entries, receivedAt);
}

export function publishMetric(scope: RegionalScope, datapoint: MetricDatapoint, receivedAt?: Date): Promise<void> {
  return publishMetrics(scope, [datapoint], receivedAt);
}

/** A datapoint's stored time: standard resolution keeps the minute, high resolution the second. */
export function storedTime(epochMs: number, storageResolution: number): number {
  const step = storageResolution === 1 ? 1000 : 60_000;
  return Math.floor(epochMs / step) * step;
}

/** Appends datapoints (validated by the caller) to their metrics, creating them, in one commit. */
export async function appendPoints(scope: RegionalScope, entries: readonly { metric: MetricId; point: StoredPoint }[], receivedAt: Date): Promise<void> {
  const byMetric = new Map<string, { metric: MetricId; points: StoredPoint[] }>();
  for (const { metric, point } of entries) {
    const key = metricKey(metric);
    const group = byMetric.get(key) ?? { metric, points: [] };
    group.points.push(point);
    byMetric.set(key, group);
  }
  const changes: Change[] = [];
  for (const [key, { metric, points }] of byMetric) changes.push(...appendToMetric(scope, key, metric, points, receivedAt.getTime()));
  // Everything above ran without yielding: concurrent appends to one metric cannot interleave.
  await scope.store.commit(changes);
}

function appendToMetric(scope: RegionalScope, key: string, metric: MetricId, points: StoredPoint[], now: number): Change[] {
  const partition = chunkPartition(scope, key);
  const existing = scope.store.get(metrics, regionalPartition(scope), key);
  const record: MetricRecord = existing
    ? { ...existing, lastReceivedAt: now }
    : {
        namespace: metric.namespace,
        name: metric.name,
        dimensions: sortedDimensions(metric.dimensions),
        lastReceivedAt: now,
        firstChunk: 0,
        nextChunk: 0,
        pointCount: 0,
      };
  const changes: Change[] = [];
  const written = new Map<number, PointChunk>();
  // The last chunk takes points until it is full; then new ones are started.
  const open = record.nextChunk > record.firstChunk ? scope.store.get(pointChunks, partition, String(record.nextChunk - 1)) : undefined;
  let pending = points;
  if (open && open.points.length < CHUNK_POINTS) {
    const room = CHUNK_POINTS - open.points.length;
    written.set(record.nextChunk - 1, chunkOf([...open.points, ...pending.slice(0, room)]));
    pending = pending.slice(room);
  }
  for (let start = 0; start < pending.length; start += CHUNK_POINTS) written.set(record.nextChunk++, chunkOf(pending.slice(start, start + CHUNK_POINTS)));
  for (const [number, chunk] of written) changes.push(put(pointChunks, partition, String(number), chunk));
  record.pointCount += points.length;

  // Drop the oldest chunks past the cap, and those wholly past retention (never the one just written).
  for (let first = record.firstChunk; first < record.nextChunk - 1; first = record.firstChunk) {
    const chunk = written.get(first) ?? scope.store.get(pointChunks, partition, String(first));
    if (chunk && record.pointCount <= MAX_POINTS_PER_METRIC && chunk.to >= now - RETENTION_MS) break;
    changes.push(remove(pointChunks, partition, String(first)));
    record.pointCount -= chunk?.points.length ?? 0;
    record.firstChunk += 1;
  }
  changes.push(put(metrics, regionalPartition(scope), key, record));
  return changes;
}

function chunkOf(points: StoredPoint[]): PointChunk {
  let from = Infinity;
  let to = -Infinity;
  for (const { t } of points) {
    from = Math.min(from, t);
    to = Math.max(to, t);
  }
  return { from, to, points };
}

export function findMetric(scope: RegionalScope, metric: MetricId): MetricRecord | undefined {
  return scope.store.get(metrics, regionalPartition(scope), metricKey(metric));
}

export function allMetrics(scope: RegionalScope): MetricRecord[] {
  return scope.store.entries(metrics, regionalPartition(scope)).map(([, record]) => record);
}

/** The metric's datapoints with `from <= t < to` (epoch ms), within retention, in no particular order. */
export function* readPoints(scope: RegionalScope, record: MetricRecord, from: number, to: number, now: number = Date.now()): Generator<StoredPoint> {
  const partition = chunkPartition(scope, metricKey(record));
  const start = Math.max(from, now - RETENTION_MS);
  for (let number = record.firstChunk; number < record.nextChunk; number++) {
    const chunk = scope.store.get(pointChunks, partition, String(number));
    if (!chunk || chunk.to < start || chunk.from >= to) continue;
    for (const point of chunk.points) if (point.t >= start && point.t < to) yield point;
  }
}

/** A metric's statistics per period, as GetMetricStatistics computes them (buckets without data are left out). */
export interface MetricQuery {
  namespace: string;
  name: string;
  dimensions?: Readonly<Record<string, string>>;
  start: Date;
  end: Date;
  /** Seconds. */
  period: number;
  unit?: StandardUnit;
}

export function metricStatistics(scope: RegionalScope, query: MetricQuery): Bucket[] {
  const dimensions = Object.entries(query.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }));
  const window = { start: query.start.getTime(), end: query.end.getTime(), period: query.period, unit: query.unit };
  return metricBuckets(scope, { namespace: query.namespace, name: query.name, dimensions }, window);
}

/** The periods of a metric with data (none for a metric that does not exist). */
export function metricBuckets(scope: RegionalScope, metric: MetricId, window: Aggregation, now: number = Date.now()): Bucket[] {
  const record = findMetric(scope, metric);
  return record ? aggregate(readPoints(scope, record, alignedStart(window.start, window.period), window.end, now), window) : [];
}

export function sortedDimensions(dimensions: readonly Dimension[]): MetricDimension[] {
  return dimensions.map(({ Name = '', Value = '' }) => ({ Name, Value })).sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** Unique per namespace, name and dimension set. */
export function metricKey(metric: MetricId): string {
  return JSON.stringify([metric.namespace, metric.name, ...sortedDimensions(metric.dimensions).flatMap((dimension) => [dimension.Name, dimension.Value])]);
}

function chunkPartition(scope: RegionalScope, key: string): string {
  return `${regionalPartition(scope)}:${key}`;
}
