// Metric series → the charts the panels draw: which series share a chart (train and validation of one
// quantity), and each chart's data in uPlot's aligned form (one x array, a y array per series, null
// where a series has no point). Pure, unit-tested; no DOM.

export interface SeriesData {
  /** What the legend calls it: `train:loss · algo-2`, `gpt-7 · algo-1`. */
  label: string;
  /** Which chart it goes on. */
  chart: string;
  /** Series of one colour belong together (a metric; a job when jobs are compared). */
  colour: number;
  /** Within a colour, each host its own dash (algo-1 solid): hosts that report the same value stay apart. */
  dash: number;
  /** X values (seconds: epoch, or since the job started), ascending, and the values at them. */
  xs: number[];
  ys: number[];
}

export interface ChartData {
  chart: string;
  labels: string[];
  styles: { colour: number; dash: number }[];
  /** uPlot's AlignedData: [xs, ...ys per series]. */
  data: [number[], ...(number | null)[][]];
  points: number;
}

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

/** Charts in the order their first series came, each series aligned on the union of their x values. */
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
    data: align(members),
    points: members.reduce((sum, member) => sum + member.xs.length, 0),
  }));
}

/** One x array for all the series (k-way merge of sorted arrays), with null where a series has no point. */
export function align(series: readonly { xs: number[]; ys: number[] }[]): [number[], ...(number | null)[][]] {
  if (series.length === 1) return [series[0].xs, series[0].ys];
  const xs: number[] = [];
  const cursors = series.map(() => 0);
  for (;;) {
    let next = Infinity;
    series.forEach((entry, index) => {
      const x = entry.xs[cursors[index]];
      if (x !== undefined && x < next) next = x;
    });
    if (next === Infinity) break;
    xs.push(next);
    series.forEach((entry, index) => {
      while (entry.xs[cursors[index]] === next) cursors[index]++;
    });
  }
  const columns = series.map((entry) => {
    const column = new Array<number | null>(xs.length).fill(null);
    let at = 0;
    entry.xs.forEach((x, index) => {
      while (xs[at] < x) at++;
      column[at] = entry.ys[index];
    });
    return column;
  });
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

export type AlignedData = [number[], ...(number | null)[][]];

/**
 * The points a line chart `columns` pixels wide can show of `data` between `from` and `to` (x values):
 * per pixel column, each series' first, last, lowest and highest point (M4 aggregation), so the line
 * drawn is the one all the points would draw, from at most 4 × columns points per series. Points
 * outside the range are kept at the whole range's resolution (the chart can still zoom out to them).
 * Data that small already is returned as it is.
 */
export function decimate(data: AlignedData, columns: number, from = -Infinity, to = Infinity): AlignedData {
  const xs = data[0];
  const buckets = Math.max(1, Math.floor(columns));
  if (xs.length <= 4 * buckets) return data;
  const keep = new Uint8Array(xs.length);
  markExtremes(data, keep, 0, xs.length, buckets);
  if (from > xs[0] || to < xs[xs.length - 1]) {
    const start = lowerBound(xs, from);
    const end = lowerBound(xs, to, start, true);
    if (end - start > 4 * buckets) markExtremes(data, keep, start, end, buckets);
    else keep.fill(1, start, end);
    // One point either side, so the lines run on to the edges of the range.
    if (start > 0) keep[start - 1] = 1;
    if (end < xs.length) keep[end] = 1;
  }
  let count = 0;
  for (let index = 0; index < keep.length; index++) count += keep[index];
  const indices = new Uint32Array(count);
  for (let index = 0, next = 0; index < keep.length; index++) if (keep[index]) indices[next++] = index;
  const pick = <T>(column: T[]): T[] => {
    const result = new Array<T>(count);
    for (let index = 0; index < count; index++) result[index] = column[indices[index]];
    return result;
  };
  return [pick(xs), ...data.slice(1).map((column) => pick(column as (number | null)[]))];
}

/** Marks, for each of `buckets` equal x intervals of [start, end), each series' first, last, min and max point. */
function markExtremes(data: AlignedData, keep: Uint8Array, start: number, end: number, buckets: number): void {
  const xs = data[0];
  const low = xs[start];
  const span = xs[end - 1] - low || 1;
  for (let series = 1; series < data.length; series++) {
    const ys = data[series] as (number | null)[];
    let bucket = -1;
    let first = -1;
    let last = -1;
    let min = -1;
    let max = -1;
    const flush = () => {
      if (first < 0) return;
      keep[first] = keep[last] = keep[min] = keep[max] = 1;
    };
    for (let index = start; index < end; index++) {
      const y = ys[index];
      if (y === null || y === undefined) continue;
      const at = Math.min(buckets - 1, Math.floor(((xs[index] - low) / span) * buckets));
      if (at !== bucket) {
        flush();
        bucket = at;
        first = last = min = max = index;
        continue;
      }
      last = index;
      if (y < (ys[min] as number)) min = index;
      if (y > (ys[max] as number)) max = index;
    }
    flush();
  }
  // The x range's ends stay, so the chart's x scale spans it even where no series has a point.
  keep[start] = keep[end - 1] = 1;
}

/** The first index at or after `x` (`inclusive`: the first index after it) in ascending `xs`. */
function lowerBound(xs: readonly number[], x: number, from = 0, inclusive = false): number {
  let low = from;
  let high = xs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (xs[middle] < x || (inclusive && xs[middle] === x)) low = middle + 1;
    else high = middle;
  }
  return low;
}
