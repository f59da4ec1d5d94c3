// Metric charts drawn with uPlot (canvas; ~50 KB), bundled into the panel's own script, so nothing
// loads from elsewhere and the strict CSP holds. One chart per quantity (train and validation loss
// together), one line per series; hovering shows the time (and time since the job started) and every
// series' value there. Charts are updated in place as points arrive, so a hover survives a refresh.
// A chart is given only the points its width can show (decimate: each pixel column's first, last,
// lowest and highest point per series), so 100,000 points draw as fast as a few thousand; zooming in
// decimates the zoomed range again from all the points.
import uPlot from 'uplot';
import { chartsOf, decimate, extentOf, formatElapsed, sharesOneX, xRange, type ChartData, type Columns, type SeriesData } from './chartData';

/** The theme's chart colours, in the order series take them. */
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK_COLOURS = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
const HEIGHT = 220;
/** algo-1 solid, algo-2 dashed, algo-3 dotted, … */
const DASHES: (number[] | undefined)[] = [undefined, [7, 4], [2, 3], [10, 3, 2, 3]];

export interface ChartOptions {
  /** `time`: x is epoch seconds; `elapsed`: seconds since each job started (jobs compared). */
  xMode: 'time' | 'elapsed';
  /** For `time`: the job's start (epoch seconds), to show the time since it in the hover. */
  startedAt?: number;
}

/** The theme's colours the charts use. */
interface Theme {
  foreground: string;
  grid: string;
  palette: string[];
}

/**
 * Read once per update, before any chart is added: a style read after the page changed makes the
 * browser compute the page's styles (and a width read its layout) again, each time — on a busy
 * machine that was most of a new chart's cost.
 */
function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const colour = (variable: string, fallback: string) => style.getPropertyValue(variable).trim() || fallback;
  return {
    foreground: colour('--vscode-foreground', '#cccccc'),
    grid: colour('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)'),
    palette: PALETTE.map((variable, index) => colour(variable, FALLBACK_COLOURS[index])),
  };
}

interface Plot {
  element: HTMLElement;
  plot: uPlot;
  labels: string;
  /** Every point of every series; the plot holds a decimation of them. */
  full: Columns[];
  /** The x range the plot's data was decimated for (the whole range: ±Infinity). */
  range: [number, number];
}

export class Charts {
  private readonly plots = new Map<string, Plot>();
  /** The width the plots were last sized for: charts added below change only the height, which needs no redraw. */
  private drawnWidth = 0;
  private readonly resize = new ResizeObserver(() => {
    const width = this.width();
    if (width === this.drawnWidth) return;
    this.drawnWidth = width;
    for (const entry of this.plots.values()) {
      entry.plot.setSize({ width, height: HEIGHT });
      this.redecimate(entry, entry.range);
    }
  });

  constructor(
    private readonly container: HTMLElement,
    private options: ChartOptions,
  ) {
    this.resize.observe(container);
  }

  private width(): number {
    return Math.max(this.container.clientWidth - 4, 240);
  }

  /** Draws the series: new charts are made, known ones get the new data, charts without series go. */
  update(series: readonly SeriesData[], options?: Partial<ChartOptions>): void {
    this.options = { ...this.options, ...options };
    // The width and the theme are read before the charts change the page (see readTheme).
    const width = this.width();
    this.drawnWidth = width;
    let theme: Theme | undefined;
    const charts = chartsOf(series);
    const wanted = new Set(charts.map((chart) => chart.chart));
    for (const [name, { element, plot }] of this.plots) {
      if (wanted.has(name)) continue;
      plot.destroy();
      element.remove();
      this.plots.delete(name);
    }
    for (const chart of charts) {
      const existing = this.plots.get(chart.chart);
      const labels = JSON.stringify([chart.labels, chart.styles]);
      if (existing && existing.labels === labels) {
        existing.full = chart.series;
        existing.range = [-Infinity, Infinity];
        existing.plot.setData(decimate(chart.series, width));
        this.container.append(existing.element); // keeps the order of the charts
        continue;
      }
      if (existing) {
        existing.plot.destroy();
        existing.element.remove();
      }
      theme ??= readTheme();
      this.plots.set(chart.chart, this.create(chart, labels, width, theme));
    }
  }

  /** Gives the plot its full data decimated for `range` (x values), keeping its scales. */
  private redecimate(entry: Plot, range: [number, number]): void {
    entry.range = range;
    entry.plot.setData(decimate(entry.full, this.width(), range[0], range[1]), false);
  }

  private create(chart: ChartData, labels: string, width: number, theme: Theme): Plot {
    const element = document.createElement('figure');
    element.className = 'chart';
    element.dataset.chart = chart.chart;
    const caption = document.createElement('figcaption');
    caption.textContent = chart.chart;
    element.append(caption);
    this.container.append(element);
    const { foreground, grid } = theme;
    const time = this.options.xMode === 'time';
    const startedAt = this.options.startedAt;
    const axis = { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const entry: Plot = { element, plot: undefined as unknown as uPlot, labels, full: chart.series, range: [-Infinity, Infinity] };
    // A zoom (drag) or its reset (double-click) changes x: the new range is decimated from all the points.
    const onScale = (self: uPlot, key: string) => {
      if (key !== 'x' || entry.plot !== self) return;
      const { min, max } = self.scales.x;
      if (min === undefined || max === undefined) return;
      const extent = extentOf(entry.full);
      const whole = !extent || (min <= extent[0] && max >= extent[1]);
      const range: [number, number] = whole ? [-Infinity, Infinity] : [min, max];
      if (range[0] !== entry.range[0] || range[1] !== entry.range[1]) this.redecimate(entry, range);
    };
    const plot = new uPlot(
      {
        width,
        height: HEIGHT,
        // uPlot ranges x itself (from the data) unless told not to: a chart of one x is ranged here.
        scales: { x: { time, auto: (self) => !sharesOneX(self.data[0]), range: (self, min, max) => xRange(min, max, self.data[0]) } },
        series: [
          {
            label: time ? 'time' : 'since start',
            value: (_plot, x) => {
              if (x === null || x === undefined) return '—';
              if (!time) return formatElapsed(x);
              const clock = new Date(x * 1000).toLocaleTimeString();
              return startedAt === undefined ? clock : `${clock} (${formatElapsed(x - startedAt)} in)`;
            },
          },
          ...chart.labels.map((label, index) => ({
            label,
            stroke: theme.palette[chart.styles[index].colour % theme.palette.length],
            dash: DASHES[chart.styles[index].dash % DASHES.length],
            width: 1.5,
            spanGaps: true,
            value: (_plot: uPlot, y: number | null) => (y === null || y === undefined ? '—' : formatValue(y)),
          })),
        ],
        axes: [
          { ...axis, ...(time ? {} : { values: (_plot: uPlot, ticks: number[]) => ticks.map(formatElapsed) }) },
          { ...axis, size: 60, values: (_plot: uPlot, ticks: number[]) => ticks.map(formatValue) },
        ],
        cursor: { drag: { x: true, y: false } },
        legend: { live: true },
        hooks: { setScale: [onScale] },
      },
      decimate(chart.series, width),
      element,
    );
    entry.plot = plot;
    return entry;
  }

  dispose(): void {
    this.resize.disconnect();
    for (const { plot } of this.plots.values()) plot.destroy();
    this.plots.clear();
  }
}

/** Four significant digits, small and large values in exponent form. */
export function formatValue(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e5 || magnitude < 1e-3 ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}
