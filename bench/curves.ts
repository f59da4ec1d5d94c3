// `npm run bench:curves`: 100,000 metric points drawn by the training job panel, in Chromium: the
// panel's own webview bundle (dist/webview/trainingJob.js, with its stylesheets and markup) gets the
// host's `metrics` message as the panel gets it (each series two Float64Array columns, made in the page
// before the timing), and the time is taken from that message's arrival to
// the first animation frame after the bundle handled it (uPlot has drawn its canvases by then). Beside
// it, in the same page and run: uPlot alone drawing the same points already aligned (the library's
// floor without decimation), a live refresh (the same series plus one new point per series, as each
// poll sends), and the same panel path with only 1,000 points (what drawing any chart costs on this
// machine at this moment: the fixed part). Issue 11's figure: ≤ 200 ms.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { REPO_ROOT } from '../harness/paths';
import { TRAINING_JOB_BODY } from '../webview/trainingJob/markup';
import type { MetricSeriesView } from '../webview/trainingJob/protocol';
import { median } from './stats';

const POINTS = 100_000;
const FEW_POINTS = 1_000;
const ROUNDS = 5;
const BUDGET_MS = 200;

interface Shape {
  metrics: string[];
  hosts: number;
  points: number;
}

const SHAPES: { name: string; shape: Shape; few: Shape }[] = [
  { name: '1 series (train:loss, 1 host)', shape: { metrics: ['train:loss'], hosts: 1, points: POINTS }, few: { metrics: ['train:loss'], hosts: 1, points: FEW_POINTS } },
  {
    name: '4 series (train and validation loss, 2 hosts)',
    shape: { metrics: ['train:loss', 'validation:loss'], hosts: 2, points: POINTS },
    few: { metrics: ['train:loss', 'validation:loss'], hosts: 2, points: FEW_POINTS },
  },
];

/** How many points the page's series hold (each series gets an equal share). */
function pointsOf({ metrics, hosts, points }: Shape): number {
  return Math.floor(points / (metrics.length * hosts)) * metrics.length * hosts;
}

async function main(): Promise<void> {
  const bundle = readFileSync(path.join(REPO_ROOT, 'dist', 'webview', 'trainingJob.js'), 'utf8');
  const styles = [path.join(REPO_ROOT, 'dist', 'webview', 'uPlot.min.css'), path.join(REPO_ROOT, 'media', 'trainingJob.css')].map((file) => readFileSync(file, 'utf8'));
  const uplot = readFileSync(path.join(REPO_ROOT, 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js'), 'utf8');
  const browser = await launchChromium();
  const rows: { shape: string; first: number; refresh: number; floor: number; few: number }[] = [];
  const panelPage = async (label: string) => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('crash', () => console.error(`the page crashed (${label})`));
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.setContent(`<!DOCTYPE html><html><head>${styles.map((css) => `<style>${css}</style>`).join('')}</head><body>${TRAINING_JOB_BODY}</body></html>`);
    await page.evaluate(stubVsCodeApi);
    await page.addScriptTag({ content: bundle });
    await page.evaluate(showJob);
    return page;
  };
  try {
    for (const { name, shape, few: fewShape } of SHAPES) {
      const first: number[] = [];
      const refresh: number[] = [];
      const floor: number[] = [];
      const few: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const small = await panelPage(`${name}, ${FEW_POINTS} points, round ${round + 1}`);
        await small.evaluate(makeSeries, fewShape);
        few.push(await small.evaluate(timeMetricsMessage, 0));
        await small.close();
        const page = await panelPage(`${name}, round ${round + 1}`);
        const series = await page.evaluate(makeSeries, shape);
        first.push(await page.evaluate(timeMetricsMessage, 0));
        refresh.push(await page.evaluate(timeMetricsMessage, 1));
        const points = await page.evaluate(() => Number(document.querySelector<HTMLElement>('.curves')?.dataset.points));
        if (points !== pointsOf(shape) + series) throw new Error(`the panel says ${points} points`);
        await page.addScriptTag({ content: uplot });
        floor.push(await timeBareUplot(page));
        await page.close();
      }
      rows.push({ shape: name, first: median(first), refresh: median(refresh), floor: median(floor), few: median(few) });
    }
  } finally {
    await browser.close();
  }
  console.log(`${POINTS} metric points in the training job panel's webview bundle, Chromium; median of ${ROUNDS} fresh pages; load average ${loadavg()[0].toFixed(1)}`);
  console.log(`| series | ${POINTS} points: metrics message → charts drawn (panel) | live refresh (+1 point per series) | uPlot alone, ${POINTS} points pre-aligned, no decimation | the panel with ${FEW_POINTS} points | ${POINTS} ÷ ${FEW_POINTS} points | panel ÷ budget |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.shape} | **${row.first.toFixed(0)} ms** | ${row.refresh.toFixed(0)} ms | ${row.floor.toFixed(0)} ms | ${row.few.toFixed(0)} ms | ${(row.first / row.few).toFixed(2)} | ${(row.first / BUDGET_MS).toFixed(2)} (≤ ${BUDGET_MS} ms: ${row.first <= BUDGET_MS ? 'met' : 'NOT met'}) |`,
    );
  }
  if (rows.some((row) => row.first > BUDGET_MS)) process.exitCode = 1;
}

/** Runs in the page before the bundle: the webview API the bundle asks for. */
function stubVsCodeApi(): void {
  let state: unknown;
  (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
    postMessage: () => undefined,
    setState: (value: unknown) => (state = value),
    getState: () => state,
  });
}

/** Runs in the page: the host's `job` message, so the panel lays out its sections (the curves among them). */
function showJob(): Promise<void> {
  return new Promise((resolve) => {
    window.addEventListener('message', () => requestAnimationFrame(() => resolve()), { once: true });
    const job = { name: 'bench-job', arn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/bench-job', status: 'InProgress', startedAt: Date.UTC(2026, 0, 1), hyperParameters: {}, channels: [], transitions: [], finalMetrics: [] };
    window.postMessage({ type: 'job', job }, '*');
  });
}

/**
 * Runs in the page, before any timing: the series as CloudWatch gives them (one point per minute per
 * host, hosts a few seconds apart), in the form the host sends them (columns of Float64Array), kept
 * in the page for the timed messages. Returns how many series there are.
 */
function makeSeries({ metrics, hosts, points }: Shape): number {
  const perSeries = Math.floor(points / (metrics.length * hosts));
  const start = Date.UTC(2026, 0, 1);
  const series: MetricSeriesView[] = [];
  for (const metric of metrics) {
    for (let host = 1; host <= hosts; host++) {
      const timestamps = new Float64Array(perSeries);
      const values = new Float64Array(perSeries);
      for (let index = 0; index < perSeries; index++) {
        timestamps[index] = start + index * 60_000 + host * 3_000;
        values[index] = 3 * Math.exp(-index / perSeries) + 0.05 * Math.sin(index / 7) + (metric.startsWith('validation') ? 0.1 : 0);
      }
      series.push({ metric, host: `algo-${host}`, timestamps, values });
    }
  }
  (window as unknown as { benchSeries: MetricSeriesView[] }).benchSeries = series;
  return series.length;
}

/**
 * Runs in the page: posts a `metrics` message of the page's series (each with `extra` more points, as
 * the host sends every point again at each poll) and resolves with the milliseconds from its arrival
 * (a listener registered before the bundle's would run first; this one is added after, so the time
 * starts at the message event's own timestamp, before the bundle reads the data) to the first frame
 * after the bundle handled it.
 */
function timeMetricsMessage(extra: number): Promise<number> {
  const grow = (column: Float64Array, next: (last: number, index: number) => number) => {
    const grown = new Float64Array(column.length + extra);
    grown.set(column);
    for (let index = 0; index < extra; index++) grown[column.length + index] = next(column[column.length - 1], index);
    return grown;
  };
  const series = (window as unknown as { benchSeries: MetricSeriesView[] }).benchSeries.map((entry) => ({
    ...entry,
    timestamps: grow(entry.timestamps, (last, index) => last + (index + 1) * 60_000),
    values: grow(entry.values, (last) => last),
  }));
  return new Promise((resolve) => {
    window.addEventListener(
      'message',
      (event) => {
        const arrived = event.timeStamp;
        requestAnimationFrame(() => resolve(performance.now() - arrived));
      },
      { once: true },
    );
    window.postMessage({ type: 'metrics', series, live: true }, '*');
  });
}

/** uPlot alone, in the same page, drawing the first chart's series (the page's) already aligned on one x array. */
async function timeBareUplot(page: Page): Promise<number> {
  return page.evaluate(() => {
    type Plot = new (options: object, data: unknown[], target: HTMLElement) => unknown;
    const UPlot = (window as unknown as { uPlot: Plot }).uPlot;
    const all = (window as unknown as { benchSeries: MetricSeriesView[] }).benchSeries;
    const train = all.filter((entry) => entry.metric === all[0].metric);
    const xs = [...new Set(train.flatMap((entry) => Array.from(entry.timestamps)))].sort((a, b) => a - b);
    const at = new Map(xs.map((x, index) => [x, index]));
    const columns = train.map((entry) => {
      const column = new Array<number | null>(xs.length).fill(null);
      entry.timestamps.forEach((timestamp, index) => (column[at.get(timestamp)!] = entry.values[index]));
      return column;
    });
    const others = all.length / train.length;
    const target = document.createElement('div');
    document.body.append(target);
    return new Promise<number>((resolve) => {
      const started = performance.now();
      // As many charts as the panel draws (one per quantity), each with its share of the series.
      for (let chart = 0; chart < others; chart++) {
        new UPlot(
          { width: 1000, height: 220, scales: { x: { time: true } }, series: [{}, ...columns.map(() => ({ stroke: '#3794ff', width: 1.5, spanGaps: true }))] },
          [xs.map((x) => x / 1000), ...columns],
          target,
        );
      }
      requestAnimationFrame(() => resolve(performance.now() - started));
    });
  });
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
