// Files and folders dropped on a bucket or prefix in the Datasets view are uploaded there, from the
// Explorer (as URIs) or from the desktop (as files), through the same upload as Upload Files…: one
// cancellable progress notification, existing keys asked about.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { uploadWithProgress } from '../transfers/transferUi';
import { ObjectTreeItem, S3FolderTreeItem } from './datasetsTree';

export class DatasetsDragAndDrop implements vscode.TreeDragAndDropController<vscode.TreeItem> {
  readonly dropMimeTypes = ['text/uri-list', 'files'];
  readonly dragMimeTypes: string[] = [];

  constructor(
    private readonly services: Pick<Services, 'connection' | 'failures'>,
    private readonly onUploaded: () => void,
  ) {}

  async handleDrop(target: vscode.TreeItem | undefined, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    const folder = target instanceof S3FolderTreeItem ? { bucket: target.bucket, prefix: target.prefix } : target instanceof ObjectTreeItem ? folderOf(target) : undefined;
    if (!folder) {
      void vscode.window.showWarningMessage('Drop files on a bucket or a folder in the Datasets view to upload them there.');
      return;
    }
    const { paths, cleanup } = await droppedPaths(dataTransfer);
    try {
      if (token.isCancellationRequested || paths.length === 0) return;
      const outcome = await uploadWithProgress(this.services, paths, folder.bucket, folder.prefix);
      if (outcome) this.onUploaded();
    } catch (error) {
      void this.services.failures.notify(error, { doing: `upload to s3://${folder.bucket}/${folder.prefix}` });
    } finally {
      await cleanup();
    }
  }
}

/** An object's folder: its bucket and the prefix it is in. */
function folderOf(item: ObjectTreeItem): { bucket: string; prefix: string } {
  const { bucket, key } = item.object;
  return { bucket, prefix: key.slice(0, key.lastIndexOf('/') + 1) };
}

/**
 * Local paths of what was dropped: URIs from the Explorer (files and folders on this machine), and
 * files from the desktop, which arrive as bytes when they have no path here (a browser) and are
 * written to a temporary folder first.
 */
async function droppedPaths(dataTransfer: vscode.DataTransfer): Promise<{ paths: string[]; cleanup: () => Promise<void> }> {
  const paths: string[] = [];
  const uriList = await dataTransfer.get('text/uri-list')?.asString();
  for (const line of (uriList ?? '').split(/\r?\n/)) {
    const text = line.trim();
    if (!text || text.startsWith('#')) continue;
    const uri = vscode.Uri.parse(text);
    if (uri.scheme === 'file' || uri.scheme === 'vscode-remote') paths.push(uri.fsPath);
  }
  let temporary: string | undefined;
  const files: vscode.DataTransferFile[] = [];
  dataTransfer.forEach((item) => {
    const file = item.asFile();
    if (file) files.push(file);
  });
  for (const file of files) {
    if (file.uri && (file.uri.scheme === 'file' || file.uri.scheme === 'vscode-remote')) {
      if (!paths.includes(file.uri.fsPath)) paths.push(file.uri.fsPath);
      continue;
    }
    temporary ??= await mkdtemp(path.join(tmpdir(), 'sagemaker-drop-'));
    const local = path.join(temporary, path.basename(file.name));
    await writeFile(local, await file.data());
    paths.push(local);
  }
  return { paths, cleanup: async () => (temporary ? rm(temporary, { recursive: true, force: true }) : undefined) };
}
