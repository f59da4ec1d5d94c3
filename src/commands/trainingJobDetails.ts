// Training job details as a read-only JSON document (DescribeTrainingJob), fetched anew on each open.
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { describeTrainingJob } from '../pipeline/trainingJobs';
import type { TrainingJobTreeItem } from '../trees/trainingJobsTree';

export const DETAILS_SCHEME = 'sagemaker-details';

export class TrainingJobDetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly connection: Connection) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = decodeURIComponent(uri.path.replace(/^\/training-jobs\//, '').replace(/\.json$/, ''));
    const description = await describeTrainingJob(this.connection.clients.sageMaker, name);
    return `${JSON.stringify(description, null, 2)}\n`;
  }

  async show(node: TrainingJobTreeItem | undefined): Promise<void> {
    const name = node?.job.name ?? (await vscode.window.showInputBox({ title: 'Training Job Name' }));
    if (!name) {
      return;
    }
    const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/training-jobs/${encodeURIComponent(name)}.json` });
    this.changed.fire(uri); // an already open document re-reads the job
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json');
    await vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
