// Datapoints → statistics per period, as GetMetricStatistics and GetMetricData compute them.
//
// Periods start at the start time rounded down to the minute (to the period below a minute, for
// high-resolution periods), as AWS rounds a start time within the last 15 days, and run back to back
// up to the end time (exclusive); a period without data has no datapoint. Percentiles (pNN, pNN.NN)
// are exact nearest-rank percentiles of the values published one by one (Value, Values × Counts); a
// period holding a statistic set has none, since its values are unknown.

/** A datapoint as stored: one value, several (with counts), or a statistic set. Times are epoch ms. */
export interface StoredPoint {
  t: number;
  v?: number;
  values?: number[];
  counts?: number[];
  /** SampleCount, Sum, Minimum, Maximum. */
  set?: [number, number, number, number];
  /** Absent: `None`. */
  unit?: string;
}

export interface Bucket {
  /** The start of the period, epoch ms. */
  timestamp: number;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** The unit of its datapoints (`None` if they had none). */
  unit: string;
  /** (value, count) pairs, sorted by value; undefined once a statistic set is in the period. */
  values?: [number, number][];
}

export interface Aggregation {
  /** Epoch ms; periods start from it rounded down (alignedStart). */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  /** Seconds. */
  period: number;
  /** Only datapoints published with this unit count. */
  unit?: string;
}

/** The periods' common origin: the start rounded down to the minute, or to the period if shorter. */
export function alignedStart(start: number, period: number): number {
  const step = Math.min(period, 60) * 1000;
  return Math.floor(start / step) * step;
}

/** How many periods the window spans (what AWS's datapoint limits count). */
export function periodCount(start: number, end: number, period: number): number {
  return Math.ceil((end - alignedStart(start, period)) / (period * 1000));
}

/** The buckets with data, oldest first. `points` may be in any order. */
export function aggregate(points: Iterable<StoredPoint>, { start, end, period, unit }: Aggregation): Bucket[] {
  const origin = alignedStart(start, period);
  const periodMs = period * 1000;
  const buckets = new Map<number, Bucket>();
  for (const point of points) {
    if (point.t < origin || point.t >= end || (unit !== undefined && (point.unit ?? 'None') !== unit)) continue;
    const timestamp = origin + Math.floor((point.t - origin) / periodMs) * periodMs;
    let bucket = buckets.get(timestamp);
    if (!bucket) {
      bucket = { timestamp, sampleCount: 0, sum: 0, minimum: Infinity, maximum: -Infinity, unit: point.unit ?? 'None', values: [] };
      buckets.set(timestamp, bucket);
    }
    add(bucket, point);
  }
  const sorted = [...buckets.values()].sort((a, b) => a.timestamp - b.timestamp);
  for (const bucket of sorted) bucket.values?.sort((a, b) => a[0] - b[0]);
  return sorted;
}

function add(bucket: Bucket, point: StoredPoint): void {
  if (point.set) {
    const [sampleCount, sum, minimum, maximum] = point.set;
    bucket.sampleCount += sampleCount;
    bucket.sum += sum;
    bucket.minimum = Math.min(bucket.minimum, minimum);
    bucket.maximum = Math.max(bucket.maximum, maximum);
    bucket.values = undefined;
    return;
  }
  const values = point.values ?? [point.v ?? 0];
  values.forEach((value, index) => {
    const count = point.counts?.[index] ?? 1;
    bucket.sampleCount += count;
    bucket.sum += value * count;
    bucket.minimum = Math.min(bucket.minimum, value);
    bucket.maximum = Math.max(bucket.maximum, value);
    bucket.values?.push([value, count]);
  });
}

/** A statistic by name: SampleCount, Average, Sum, Minimum, Maximum, or a percentile pNN[.NN]. */
export type Statistic = { kind: 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum' } | { kind: 'percentile'; percent: number };

const SIMPLE = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,2})?|100(?:\.0{1,2})?)$/;

export function parseStatistic(text: string): Statistic | undefined {
  const simple = SIMPLE.find((name) => name === text);
  if (simple) return { kind: simple };
  const percentile = PERCENTILE.exec(text);
  return percentile ? { kind: 'percentile', percent: Number(percentile[1]) } : undefined;
}

/** Statistics AWS has that the emulator does not compute (trimmed and winsorized means, …). */
export function isUnsupportedStatistic(text: string): boolean {
  return /^(?:tm|wm|tc|ts|TM|WM|TC|TS|PR)(?:\d|\()|^IQM$/.test(text);
}

/** The statistic's value in a bucket; undefined for a percentile of a bucket without its values. */
export function statisticOf(bucket: Bucket, statistic: Statistic): number | undefined {
  switch (statistic.kind) {
    case 'SampleCount':
      return bucket.sampleCount;
    case 'Sum':
      return bucket.sum;
    case 'Average':
      return bucket.sum / bucket.sampleCount;
    case 'Minimum':
      return bucket.minimum;
    case 'Maximum':
      return bucket.maximum;
    case 'percentile':
      return bucket.values && percentile(bucket.values, statistic.percent);
  }
}

/** Nearest rank over (value, count) pairs sorted by value. */
function percentile(values: [number, number][], percent: number): number | undefined {
  const total = values.reduce((sum, [, count]) => sum + count, 0);
  if (total <= 0) return undefined;
  const rank = Math.max(1, Math.ceil((percent / 100) * total));
  let seen = 0;
  for (const [value, count] of values) {
    seen += count;
    if (seen >= rank) return value;
  }
  return values.at(-1)?.[0];
}
