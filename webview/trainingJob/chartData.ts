// Metric series → the charts the panels draw: which series share a chart (train and validation of one
// quantity), and each chart's data in uPlot's aligned form (one x array, a y array per series, null
// where a series has no point) — made from the few points the chart's width can show, never from all
// of them. Series stay columns of numbers (typed arrays) from the message to the decimation: no
// object or array per point. Pure, unit-tested; no DOM.

export interface SeriesData {
  /** What the legend calls it: `train:loss · algo-2`, `gpt-7 · algo-1`. */
  label: string;
  /** Which chart it goes on. */
  chart: string;
  /** Series of one colour belong together (a metric; a job when jobs are compared). */
  colour: number;
  /** Within a colour, each host its own dash (algo-1 solid): hosts that report the same value stay apart. */
  dash: number;
  /** X values (seconds: epoch, or since the job started), ascending, and the values at them (NaN: no value). */
  xs: Float64Array;
  ys: Float64Array;
}

/** One series of a chart: all its points. */
export interface Columns {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

export interface ChartData {
  chart: string;
  labels: string[];
  styles: { colour: number; dash: number }[];
  /** Every point of every series; what is drawn is `decimate`d from it. */
  series: Columns[];
  points: number;
}

/** uPlot's AlignedData: [xs, ...ys per series], null where a series has no point. */
export type AlignedData = [number[], ...(number | null)[][]];

/**
 * Which chart a metric goes on: its name without a train/validation prefix or suffix, so that
 * `train:loss` and `validation:loss` (or `train_loss` and `eval_loss`) share one.
 */
export function chartOf(metric: string): string {
  const stripped = metric
    .replace(/^(train(ing)?|valid(ation)?|val|eval(uation)?|test)[:_./-]/i, '')
    .replace(/[:_./-](train(ing)?|valid(ation)?|val|eval(uation)?|test)$/i, '');
  return stripped || metric;
}

/** Charts in the order their first series came, each with its series' points as they are. */
export function chartsOf(series: readonly SeriesData[]): ChartData[] {
  const groups = new Map<string, SeriesData[]>();
  for (const entry of series) {
    const group = groups.get(entry.chart) ?? [];
    group.push(entry);
    groups.set(entry.chart, group);
  }
  return [...groups.entries()].map(([chart, members]) => ({
    chart,
    labels: members.map((member) => member.label),
    styles: members.map(({ colour, dash }) => ({ colour, dash })),
    series: members.map(({ xs, ys }) => ({ xs, ys })),
    points: members.reduce((sum, member) => sum + member.xs.length, 0),
  }));
}

/** Epoch milliseconds → seconds since `originMs` (0: epoch seconds), the x values a chart draws. */
export function secondsSince(timestamps: Float64Array, originMs: number): Float64Array {
  const seconds = new Float64Array(timestamps.length);
  for (let index = 0; index < timestamps.length; index++) seconds[index] = (timestamps[index] - originMs) / 1000;
  return seconds;
}

/** The x range the series span: [first x, last x] (undefined without points). */
export function extentOf(series: readonly Columns[]): [number, number] | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (const { xs } of series) {
    if (xs.length === 0) continue;
    low = Math.min(low, xs[0]);
    high = Math.max(high, xs[xs.length - 1]);
  }
  return low <= high ? [low, high] : undefined;
}

/** Half the x span shown around a chart whose points all share one x: a minute either side. */
export const SINGLE_X_PADDING = 60;

/** Whether a chart's points all have the same x (a job shorter than a minute: CloudWatch's one point a minute). */
export function sharesOneX(xs: ArrayLike<number>): boolean {
  return xs.length > 0 && xs[0] === xs[xs.length - 1];
}

/**
 * The x range of a chart the plotting library does not range itself: one whose points share one x
 * (left to itself, it stretches such a chart over a thousand days from that x) gets a minute either
 * side of it; any other keeps the range it is given.
 */
export function xRange(min: number | null, max: number | null, xs: ArrayLike<number>): [number | null, number | null] {
  return sharesOneX(xs) ? [xs[0] - SINGLE_X_PADDING, xs[0] + SINGLE_X_PADDING] : [min, max];
}

/**
 * One x array for all the series (k-way merge of their ascending x values), with null where a series
 * has no point (or its value is NaN). Meant for the few points a chart draws.
 */
export function align(series: readonly Columns[]): AlignedData {
  const cursors = new Array<number>(series.length).fill(0);
  const xs: number[] = [];
  const columns = series.map((): (number | null)[] => []);
  for (;;) {
    let next = Infinity;
    for (let index = 0; index < series.length; index++) {
      const x = series[index].xs[cursors[index]];
      if (x !== undefined && x < next) next = x;
    }
    if (next === Infinity) break;
    xs.push(next);
    for (let index = 0; index < series.length; index++) {
      const { xs: own, ys } = series[index];
      let value: number | null = null;
      // Several points at one x: the last one with a value counts.
      while (own[cursors[index]] === next) {
        const y = ys[cursors[index]++];
        if (!Number.isNaN(y)) value = y;
      }
      columns[index].push(value);
    }
  }
  return [xs, ...columns];
}

/** The host's place among algo-1 … algo-N (0 for algo-1), for its dash. */
export function hostIndex(host: string): number {
  const number = Number(/(\d+)$/.exec(host)?.[1] ?? 1);
  return Math.max(number - 1, 0);
}

/** `1h 02m`, `3m 05s`, `42s`: time since the job started, for the compare chart's axis and hover. */
export function formatElapsed(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

/**
 * The points a line chart `columns` pixels wide can show of `series` between `from` and `to` (x
 * values), aligned: per pixel column of the chart's whole x range, each series' first, last, lowest
 * and highest point (M4 aggregation), so the line drawn is the one all the points would draw, from at
 * most 4 × columns points per series. Inside a narrower range (a zoom) the same again at that range's
 * resolution (all its points when they are few), and one point either side so the lines run on to its
 * edges. Each series is read once, in place; only the kept points are copied.
 */
export function decimate(series: readonly Columns[], columns: number, from = -Infinity, to = Infinity): AlignedData {
  const buckets = Math.max(1, Math.floor(columns));
  const extent = extentOf(series);
  if (!extent) return [[], ...series.map((): (number | null)[] => [])];
  const [low, high] = extent;
  const zoomed = from > low || to < high;
  const kept = series.map(({ xs, ys }): Columns => {
    if (xs.length <= 4 * buckets) return { xs, ys };
    const keep = new Uint8Array(xs.length);
    markExtremes(xs, ys, keep, 0, xs.length, low, high, buckets);
    if (zoomed) {
      const start = lowerBound(xs, from);
      const end = lowerBound(xs, to, start, true);
      if (end - start > 4 * buckets) markExtremes(xs, ys, keep, start, end, Math.max(from, low), Math.min(to, high), buckets);
      else keep.fill(1, start, end);
      if (start > 0) keep[start - 1] = 1;
      if (end < xs.length) keep[end] = 1;
    }
    let count = 0;
    for (let index = 0; index < keep.length; index++) count += keep[index];
    const keptXs = new Float64Array(count);
    const keptYs = new Float64Array(count);
    for (let index = 0, next = 0; index < keep.length; index++) {
      if (!keep[index]) continue;
      keptXs[next] = xs[index];
      keptYs[next++] = ys[index];
    }
    return { xs: keptXs, ys: keptYs };
  });
  return align(kept);
}

/**
 * Marks, for each of `buckets` equal intervals of [low, high], the first, last, lowest and highest of
 * the points `start` … `end - 1` (points without a value skipped; the first and last point stay anyway).
 */
function markExtremes(xs: ArrayLike<number>, ys: ArrayLike<number>, keep: Uint8Array, start: number, end: number, low: number, high: number, buckets: number): void {
  const scale = buckets / (high - low || 1);
  let bucket = -1;
  let first = -1;
  let last = -1;
  let min = -1;
  let max = -1;
  for (let index = start; index < end; index++) {
    const y = ys[index];
    if (Number.isNaN(y)) continue;
    const at = Math.min(buckets - 1, Math.floor((xs[index] - low) * scale));
    if (at !== bucket) {
      if (first >= 0) keep[first] = keep[last] = keep[min] = keep[max] = 1;
      bucket = at;
      first = last = min = max = index;
      continue;
    }
    last = index;
    if (y < ys[min]) min = index;
    if (y > ys[max]) max = index;
  }
  if (first >= 0) keep[first] = keep[last] = keep[min] = keep[max] = 1;
  if (end > start) keep[start] = keep[end - 1] = 1;
}

/** The first index at or after `x` (`inclusive`: the first index after it) in ascending `xs`. */
function lowerBound(xs: ArrayLike<number>, x: number, from = 0, inclusive = false): number {
  let low = from;
  let high = xs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (xs[middle] < x || (inclusive && xs[middle] === x)) low = middle + 1;
    else high = middle;
  }
  return low;
}
