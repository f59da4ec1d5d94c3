// A training job's full DescribeTrainingJob output as a read-only JSON document, fetched anew on
// each open: everything the panel leaves out, in a form that can be searched and copied. The job is
// read before the document opens, so that a failure reaches the command as the service gave it
// (VS Code rewords errors thrown by content providers).
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { describeTrainingJob } from '../pipeline/trainingJobs';

export const DETAILS_SCHEME = 'sagemaker-details';

export class TrainingJobDetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** The text of each document, as last read. */
  private readonly texts = new Map<string, string>();

  private readonly closing = vscode.workspace.onDidCloseTextDocument((document) => this.texts.delete(document.uri.toString()));

  constructor(private readonly connection: Connection) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const known = this.texts.get(uri.toString());
    if (known !== undefined) return known;
    const name = decodeURIComponent(uri.path.replace(/^\/training-jobs\//, '').replace(/\.json$/, ''));
    return this.read(uri, name);
  }

  private async read(uri: vscode.Uri, name: string): Promise<string> {
    const description = await describeTrainingJob(await this.connection.clients.sageMaker(), name);
    const text = `${JSON.stringify(description, null, 2)}\n`;
    this.texts.set(uri.toString(), text);
    return text;
  }

  async show(name: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/training-jobs/${encodeURIComponent(name)}.json` });
    await this.read(uri, name);
    this.changed.fire(uri); // an already open document shows the job as just read
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json');
    await vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.closing.dispose();
    this.changed.dispose();
  }
}
