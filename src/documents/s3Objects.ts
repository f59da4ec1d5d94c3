// S3 objects as read-only text documents (`sagemaker-s3:/bucket/key`), read anew on each open: the
// `.out` answers of a batch transform job, or any text object.
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { readObjectText } from '../pipeline/batchTransform';

export const S3_SCHEME = 'sagemaker-s3';

export class S3ObjectDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly connection: Connection) {}

  static uriOf(bucket: string, key: string): vscode.Uri {
    return vscode.Uri.from({ scheme: S3_SCHEME, path: `/${bucket}/${key}` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, bucket, ...key] = uri.path.split('/');
    return readObjectText(await this.connection.clients.s3(), { bucket, key: key.join('/') });
  }

  /** Opens the object; a `.jsonl.out` reads as JSON Lines, a `.json.out` as JSON. */
  async show(bucket: string, key: string): Promise<vscode.TextDocument> {
    const uri = S3ObjectDocuments.uriOf(bucket, key);
    this.changed.fire(uri); // an open document reads the object again
    let document = await vscode.workspace.openTextDocument(uri);
    const inner = /\.(jsonl|json|csv|txt)\.out$/.exec(key)?.[1];
    const language = inner === 'jsonl' ? 'jsonl' : inner === 'json' ? 'json' : inner === 'csv' ? 'csv' : undefined;
    if (language && (await vscode.languages.getLanguages()).includes(language)) document = await vscode.languages.setTextDocumentLanguage(document, language);
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
