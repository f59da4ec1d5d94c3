// S3 text objects (≤ 10 MB: .jsonl, .csv, .py, …) as read-only editor tabs, read anew on each open;
// the tab's name and language come from the key (`train.jsonl`, a transform's `train.jsonl.out`).
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { readTextObject } from '../pipeline/s3Text';

export const S3_OBJECT_SCHEME = 'sagemaker-s3';

export class S3ObjectDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Text read by `show`, handed to the provider's next read of that URI rather than read twice. */
  private readonly justRead = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  static uriOf(bucket: string, key: string): vscode.Uri {
    return vscode.Uri.from({ scheme: S3_OBJECT_SCHEME, authority: bucket, path: `/${key}` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const text = this.justRead.get(uri.toString());
    this.justRead.delete(uri.toString());
    return text ?? readTextObject(await this.connection.clients.s3(), uri.authority, uri.path.slice(1));
  }

  /** Opens the object, reading it first so that a refusal (too large, not text) is an error, not an empty tab. */
  async show(bucket: string, key: string): Promise<vscode.TextEditor> {
    const uri = S3ObjectDocuments.uriOf(bucket, key);
    this.justRead.set(uri.toString(), await readTextObject(await this.connection.clients.s3(), bucket, key));
    this.changed.fire(uri); // an open tab reads the object again
    let document = await vscode.workspace.openTextDocument(uri);
    // A batch transform's answers are `<input name>.out`: `.jsonl.out` reads as JSON Lines, and so on.
    const inner = /\.(jsonl|json|csv|txt)\.out$/.exec(key)?.[1];
    if (inner && inner !== 'txt' && (await vscode.languages.getLanguages()).includes(inner)) document = await vscode.languages.setTextDocumentLanguage(document, inner);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
