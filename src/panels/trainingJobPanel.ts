// One webview panel per training job, like the console's job page: it shows the job as
// DescribeTrainingJob reports it and re-reads it while the job is active and the panel visible.
import * as vscode from 'vscode';
import { isPanelMessage, type HostMessage } from '../../webview/trainingJob/protocol';
import { classifyFailure } from '../aws/errors';
import type { Connection } from '../connection/connection';
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

  show(jobName: string): void {
    const existing = this.open.get(jobName);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel('sagemaker.trainingJob', jobName, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'sagemaker.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, {
      script: 'trainingJob.js',
      style: 'trainingJob.css',
      body: '<div id="root"><p>Loading…</p></div>',
    });
    this.open.set(jobName, panel);

    let timer: NodeJS.Timeout | undefined;
    const post = (message: HostMessage) => void panel.webview.postMessage(message);
    const update = async () => {
      clearTimeout(timer);
      try {
        const job = await describeTrainingJob(await this.connection.clients.sageMaker(), jobName);
        post({ type: 'job', job: toTrainingJobView(job) });
        if (job.TrainingJobStatus && isActive(job.TrainingJobStatus) && panel.visible) {
          timer = setTimeout(update, POLL_INTERVAL_MS);
        }
      } catch (error) {
        post({ type: 'error', message: `Could not load training job ${jobName}: ${classifyFailure(error).message}` });
      }
    };
    const subscriptions = [
      // The panel asks once its script runs (ready) and when the user clicks Refresh.
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (isPanelMessage(message)) void update();
      }),
      panel.onDidChangeViewState(({ webviewPanel }) => (webviewPanel.visible ? void update() : clearTimeout(timer))),
    ];
    panel.onDidDispose(() => {
      clearTimeout(timer);
      subscriptions.forEach((subscription) => subscription.dispose());
      this.open.delete(jobName);
    });
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
  }
}
