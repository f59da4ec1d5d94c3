// One webview panel per training job, like the console's job page: it shows the job as
// DescribeTrainingJob reports it and re-reads it while the job is active and the panel visible.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isPanelMessage, type HostMessage } from '../../webview/trainingJob/protocol';
import { classifyFailure } from '../aws/errors';
import type { Connection } from '../connection/connection';
import { describeTrainingJob, isActive } from '../pipeline/trainingJobs';
import { toTrainingJobView } from './trainingJobView';

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
    const panel = vscode.window.createWebviewPanel('sagemaker.trainingJob', jobName, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'sagemaker.svg');
    panel.webview.html = this.html(panel.webview);
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

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'trainingJob.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'trainingJob.css'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
</head>
<body>
<div id="root"><p>Loading…</p></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
  }
}
