// *Compare Training Jobs*: one panel per set of jobs, overlaying their metrics (CloudWatch, one line
// per job and host) on a shared axis of time since each started; re-read while one of them runs.
import * as vscode from 'vscode';
import { isPanelMessage, type ComparedJob, type HostMessage } from '../../webview/compareJobs/protocol';
import { toMetricSeriesView } from '../../webview/trainingJob/protocol';
import { failureText } from '../failures/classify';
import type { Services } from '../services';
import { hostsOf, readTrainingMetrics } from '../pipeline/trainingMetrics';
import { describeTrainingJob, isActive } from '../pipeline/trainingJobs';
import { webviewHtml, webviewOptions } from './webviewHtml';

const POLL_INTERVAL_MS = 5000;

const BODY = `<header><h1 id="title"></h1><button id="refresh" type="button">Refresh</button></header>
<p id="status" class="muted">Reading metrics…</p>
<div id="failures"></div>
<div id="charts" class="charts"></div>`;

export class CompareTrainingJobsPanels implements vscode.Disposable {
  private readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly services: Services,
    private readonly extensionUri: vscode.Uri,
  ) {}

  show(jobNames: readonly string[]): vscode.WebviewPanel {
    const names = [...new Set(jobNames)];
    const key = [...names].sort().join('\n');
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel('sagemaker.compareTrainingJobs', `Compare: ${names.join(', ')}`, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'sagemaker.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { script: 'compareJobs.js', style: 'trainingJob.css', bundledStyles: ['uPlot.min.css'], body: BODY });
    this.open.set(key, panel);

    let timer: NodeJS.Timeout | undefined;
    const post = (message: HostMessage) => void panel.webview.postMessage(message);
    const update = async () => {
      clearTimeout(timer);
      const failures: string[] = [];
      const jobs: ComparedJob[] = [];
      let live = false;
      let clients;
      try {
        clients = { sageMaker: await this.services.connection.clients.sageMaker(), cloudWatch: await this.services.connection.clients.cloudWatch() };
      } catch (error) {
        post({ type: 'jobs', jobs, live, failures: [failureText(this.services.failures.classify(error, { doing: 'compare training jobs' }))] });
        return;
      }
      const { sageMaker, cloudWatch } = clients;
      await Promise.all(
        names.map(async (name) => {
          try {
            const job = await describeTrainingJob(sageMaker, name);
            live ||= job.TrainingJobStatus !== undefined && isActive(job.TrainingJobStatus);
            jobs.push({
              name,
              status: job.TrainingJobStatus ?? 'Unknown',
              startedAt: (job.TrainingStartTime ?? job.CreationTime ?? new Date()).getTime(),
              hosts: hostsOf(job).length,
              series: (await readTrainingMetrics(cloudWatch, job)).map(toMetricSeriesView),
            });
          } catch (error) {
            failures.push(failureText(this.services.failures.classify(error, { resource: { kind: 'trainingJob', name } })));
          }
        }),
      );
      jobs.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
      post({ type: 'jobs', jobs, live, failures });
      if (live && panel.visible) timer = setTimeout(() => void update(), POLL_INTERVAL_MS);
    };
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (isPanelMessage(message)) void update();
      }),
      panel.onDidChangeViewState(({ webviewPanel }) => (webviewPanel.visible ? void update() : clearTimeout(timer))),
    ];
    panel.onDidDispose(() => {
      clearTimeout(timer);
      subscriptions.forEach((subscription) => subscription.dispose());
      this.open.delete(key);
    });
    return panel;
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
  }
}
