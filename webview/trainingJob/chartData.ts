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
