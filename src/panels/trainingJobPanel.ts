// One webview panel per training job, like the console's job page: it shows the job as
// DescribeTrainingJob reports it, and its metrics as curves (CloudWatch GetMetricData, one line per
// host); it re-reads both while the job is active and the panel visible.
import * as vscode from 'vscode';
import { isPanelMessage, type HostMessage } from '../../webview/trainingJob/protocol';
import { classifyFailure } from '../aws/errors';
import type { Connection } from '../connection/connection';
import { lastTimestamp, mergeSeries, readTrainingMetrics, type MetricSeries } from '../pipeline/trainingMetrics';
import { describeTrainingJob, isActive } from '../pipeline/trainingJobs';
import { toTrainingJobView } from './trainingJobView';
import { webviewHtml, webviewOptions } from './webviewHtml';

const POLL_INTERVAL_MS = 5000;

export class TrainingJobPanels implements vscode.Disposable {
  private readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly connection: Connection,
    private readonly extensionUri: vscode.Uri,
  ) {}

  show(jobName: string): vscode.WebviewPanel {
    const existing = this.open.get(jobName);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel('sagemaker.trainingJob', jobName, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'sagemaker.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, {
      script: 'trainingJob.js',
      style: 'trainingJob.css',
      bundledStyles: ['uPlot.min.css'],
      body: '<div id="root"><p>Loading…</p></div>',
    });
    this.open.set(jobName, panel);

    let timer: NodeJS.Timeout | undefined;
    let series: MetricSeries[] = [];
    let updating: Promise<void> | undefined;
    const post = (message: HostMessage) => void panel.webview.postMessage(message);
    const update = async () => {
      clearTimeout(timer);
      let active = false;
      try {
        const job = await describeTrainingJob(await this.connection.clients.sageMaker(), jobName);
        active = job.TrainingJobStatus !== undefined && isActive(job.TrainingJobStatus);
        post({ type: 'job', job: toTrainingJobView(job) });
        try {
          // Read on from the newest point: its minute may have gained samples since.
          const fresh = await readTrainingMetrics(await this.connection.clients.cloudWatch(), job, lastTimestamp(series));
          series = mergeSeries(series, fresh);
          post({ type: 'metrics', series, live: active });
        } catch (error) {
          post({ type: 'metrics', series, live: active, message: `Could not read the metrics: ${classifyFailure(error).message}` });
        }
      } catch (error) {
        post({ type: 'error', message: `Could not load training job ${jobName}: ${classifyFailure(error).message}` });
      }
      if (active && panel.visible) timer = setTimeout(() => void refresh(), POLL_INTERVAL_MS);
    };
    // One read at a time: the panel's ready, a Refresh click and a poll may coincide.
    const refresh = () => (updating ??= update().finally(() => (updating = undefined)));
    const subscriptions = [
      // The panel asks once its script runs (ready) and when the user clicks Refresh.
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isPanelMessage(message)) return;
        if (message.type === 'refresh') {
          void refresh();
          return;
        }
        // A (re)loaded webview has no charts: read every point again, after any read under way.
        void (updating ?? Promise.resolve()).then(() => {
          series = [];
          return refresh();
        });
      }),
      panel.onDidChangeViewState(({ webviewPanel }) => (webviewPanel.visible ? void refresh() : clearTimeout(timer))),
    ];
    panel.onDidDispose(() => {
      clearTimeout(timer);
      subscriptions.forEach((subscription) => subscription.dispose());
      this.open.delete(jobName);
    });
    return panel;
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
  }
}
