// The Compare Training Jobs panel: the same metric of several jobs on one chart, each job's curve
// starting at the time it started training, so runs of different days line up.
import { chartOf, hostIndex, secondsSince, type SeriesData } from '../trainingJob/chartData';
import { Charts } from '../trainingJob/charts';
import { isHostMessage, type ComparedJob, type PanelMessage } from './protocol';

declare function acquireVsCodeApi(): { postMessage(message: PanelMessage): void };

const vscode = acquireVsCodeApi();
const title = document.getElementById('title')!;
const status = document.getElementById('status')!;
const failures = document.getElementById('failures')!;
const charts = new Charts(document.getElementById('charts')!, { xMode: 'elapsed' });
document.getElementById('refresh')!.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));

/** Each job's series on the shared axis: seconds since it started; the host named only when it has several. */
function comparedSeries(jobs: readonly ComparedJob[]): SeriesData[] {
  // Each job its colour; within it, each host its dash.
  return jobs.flatMap((job, jobIndex) =>
    job.series.map((entry) => ({
      label: job.hosts > 1 ? `${job.name} · ${entry.metric} · ${entry.host}` : `${job.name} · ${entry.metric}`,
      chart: chartOf(entry.metric),
      colour: jobIndex,
      dash: hostIndex(entry.host),
      xs: secondsSince(entry.timestamps, job.startedAt),
      ys: entry.values,
    })),
  );
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) return;
  const { jobs, live } = event.data;
  title.textContent = `Comparing ${jobs.map((job) => job.name).join(', ')}`;
  const points = jobs.reduce((sum, job) => sum + job.series.reduce((count, entry) => count + entry.timestamps.length, 0), 0);
  status.textContent = `${points} points from ${jobs.length} jobs (CloudWatch, one point per minute; x: time since each job started)${live ? ' · live' : ''}`;
  failures.replaceChildren(
    ...event.data.failures.map((failure) => {
      const line = document.createElement('p');
      line.className = 'failure';
      line.textContent = failure;
      return line;
    }),
  );
  charts.update(comparedSeries(jobs));
});

vscode.postMessage({ type: 'ready' });
