// A training job's full DescribeTrainingJob output as a read-only JSON document, fetched anew on
// each open: everything the panel leaves out, in a form that can be searched and copied.
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { describeTrainingJob } from '../pipeline/trainingJobs';

export const DETAILS_SCHEME = 'sagemaker-details';

export class TrainingJobDetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly connection: Connection) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = decodeURIComponent(uri.path.replace(/^\/training-jobs\//, '').replace(/\.json$/, ''));
    const description = await describeTrainingJob(await this.connection.clients.sageMaker(), name);
    return `${JSON.stringify(description, null, 2)}\n`;
  }

  async show(name: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/training-jobs/${encodeURIComponent(name)}.json` });
    this.changed.fire(uri); // an already open document re-reads the job
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json');
    await vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
