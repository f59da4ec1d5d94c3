// The training job panel: what the console's job page shows, built with DOM calls and textContent
// only, so nothing from the job (names, hyperparameters, failure reasons) is ever parsed as HTML.
import { renderBanner } from '../shared/banner';
import { chartOf, hostIndex, secondsSince } from './chartData';
import { Charts } from './charts';
import { isHostMessage, type MetricSeriesView, type PanelMessage, type TrainingJobView } from './protocol';

declare function acquireVsCodeApi(): { postMessage(message: PanelMessage): void; setState(state: unknown): void; getState(): unknown };

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const banner = document.getElementById('banner')!;

// The curves keep their own element across re-renders of the job, so the charts are updated in place.
const curves = document.createElement('section');
curves.className = 'curves';
const curvesTitle = document.createElement('h2');
curvesTitle.textContent = 'Metrics';
const curvesStatus = document.createElement('p');
curvesStatus.className = 'muted';
curvesStatus.textContent = 'Reading metrics…';
const chartArea = document.createElement('div');
chartArea.className = 'charts';
curves.append(curvesTitle, curvesStatus, chartArea);
const charts = new Charts(chartArea, { xMode: 'time' });
let startedAt: number | undefined;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function time(epochMs: number | undefined): string {
  return epochMs === undefined ? '—' : new Date(epochMs).toLocaleString();
}

function duration(fromMs: number | undefined, toMs: number | undefined): string {
  if (fromMs === undefined) return '';
  const seconds = Math.max(0, Math.round(((toMs ?? Date.now()) - fromMs) / 1000));
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

function table(rows: [string, string | undefined][]): HTMLTableElement {
  const result = element('table');
  for (const [key, value] of rows) {
    const row = result.insertRow();
    row.append(element('th', key), element('td', value ?? '—'));
  }
  return result;
}

function section(title: string, ...content: Node[]): HTMLElement {
  const result = element('section');
  result.append(element('h2', title), ...content);
  return result;
}

function renderMetrics(series: MetricSeriesView[], live: boolean, message: string | undefined): void {
  const points = series.reduce((sum, entry) => sum + entry.timestamps.length, 0);
  const hosts = new Set(series.map((entry) => entry.host)).size;
  curvesStatus.textContent =
    message ??
    (points === 0
      ? live
        ? 'No metrics yet: SageMaker publishes each host\'s MetricDefinitions samples, one point per minute, once the job logs them.'
        : 'This job has no metrics: its MetricDefinitions found nothing in its log.'
      : `${points} points, ${series.length} series from ${hosts} host${hosts === 1 ? '' : 's'} (CloudWatch, one point per minute)${live ? ' · live' : ''}`);
  curves.dataset.points = String(points);
  // Each metric its colour within its chart (train and validation loss apart), each host its dash.
  const metricsOfChart = new Map<string, string[]>();
  for (const entry of series) {
    const metrics = metricsOfChart.get(chartOf(entry.metric)) ?? [];
    if (!metrics.includes(entry.metric)) metrics.push(entry.metric);
    metricsOfChart.set(chartOf(entry.metric), metrics);
  }
  charts.update(
    series.map((entry) => ({
      label: hosts > 1 ? `${entry.metric} · ${entry.host}` : entry.metric,
      chart: chartOf(entry.metric),
      colour: metricsOfChart.get(chartOf(entry.metric))!.indexOf(entry.metric),
      dash: hostIndex(entry.host),
      xs: secondsSince(entry.timestamps, 0),
      ys: entry.values,
    })),
    { startedAt },
  );
}

function render(job: TrainingJobView): void {
  startedAt = job.startedAt === undefined ? undefined : job.startedAt / 1000;
  const header = element('header');
  const refresh = element('button', 'Refresh');
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  header.append(element('h1', job.name), element('span', job.status, `status status-${job.status.toLowerCase()}`), refresh);

  const parts: Node[] = [header];
  if (job.failureReason) {
    parts.push(element('p', job.failureReason, 'failure'));
  }
  parts.push(
    section(
      'Overview',
      table([
        ['ARN', job.arn],
        ['Secondary status', job.secondaryStatus],
        ['Created', time(job.createdAt)],
        ['Training started', time(job.startedAt)],
        ['Training ended', time(job.endedAt)],
        ['Instances', job.instanceType && `${job.instanceCount ?? 1} × ${job.instanceType}`],
        ['Image', job.image],
      ]),
    ),
  );
  const timeline = element('ol', undefined, 'timeline');
  for (const transition of job.transitions) {
    const item = element('li');
    item.append(
      element('strong', transition.status),
      element('span', ` ${time(transition.startedAt)} ${duration(transition.startedAt, transition.endedAt)}`, 'muted'),
    );
    if (transition.message) item.append(element('div', transition.message, 'muted'));
    timeline.append(item);
  }
  parts.push(curves);
  parts.push(section('Status history', job.transitions.length ? timeline : element('p', 'No transitions yet.', 'muted')));
  const hyperParameters = Object.entries(job.hyperParameters);
  parts.push(section('Hyperparameters', hyperParameters.length ? table(hyperParameters) : element('p', 'None.', 'muted')));
  parts.push(
    section(
      'Data',
      table([
        ...job.channels.map((channel): [string, string | undefined] => [`Channel ${channel.name}`, channel.uri]),
        ['Output path', job.outputPath],
        ['Checkpoints', job.checkpointUri],
        ['Model artifacts', job.modelArtifacts],
      ]),
    ),
  );
  if (job.finalMetrics.length) {
    parts.push(section('Final metrics', table(job.finalMetrics.map((metric) => [metric.name, String(metric.value)]))));
  }
  root.replaceChildren(...parts);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) return;
  if (event.data.type === 'job') {
    vscode.setState(event.data.job);
    render(event.data.job);
  } else if (event.data.type === 'metrics') {
    renderMetrics(event.data.series, event.data.live, event.data.message);
  } else {
    // Over the last state shown, which stays readable.
    renderBanner(banner, event.data.failure, (step) => vscode.postMessage({ type: 'step', step }));
  }
});

// Show the last state at once after the panel was hidden and shown again, then ask for fresh data.
const saved = vscode.getState() as TrainingJobView | undefined;
if (saved) render(saved);
vscode.postMessage({ type: 'ready' });
