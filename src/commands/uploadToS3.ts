// "SageMaker: Upload Files…" and "Upload Folder…" — local files or folders into a bucket or prefix
// (the one the command was run on, or one picked), with one cancellable progress notification.
import * as vscode from 'vscode';
import { pickS3Location, s3UriOf, type S3Location } from '../pickers/pickS3Location';
import { uploadWithProgress } from '../transfers/transferUi';
import type { S3FolderTreeItem } from '../trees/datasetsTree';
import type { Workbench } from '../workbench';

async function targetOf(workbench: Workbench, node: S3FolderTreeItem | undefined, title: string): Promise<S3Location | undefined> {
  return node ? { bucket: node.bucket, prefix: node.prefix } : pickS3Location(workbench.connection, { title, canTakeBucket: true });
}

async function upload(workbench: Workbench, node: S3FolderTreeItem | undefined, folders: boolean, given?: vscode.Uri[]): Promise<void> {
  const title = folders ? 'Upload Folder' : 'Upload Files';
  const target = await targetOf(workbench, node, `${title}: to which S3 folder?`);
  if (!target) return;
  const sources =
    given ??
    (await vscode.window.showOpenDialog({
      title: `${title} to ${s3UriOf(target)}`,
      canSelectFiles: !folders,
      canSelectFolders: folders,
      canSelectMany: true,
      openLabel: 'Upload',
    }));
  if (!sources?.length) return;
  const outcome = await uploadWithProgress(workbench, sources.map((uri) => uri.fsPath), target.bucket, target.prefix);
  if (outcome) workbench.datasets.refresh();
}

/** `sources` lets a test or another command name the files instead of the dialog. */
export function uploadFilesToS3(workbench: Workbench, node?: S3FolderTreeItem, sources?: vscode.Uri[]): Promise<void> {
  return upload(workbench, node, false, sources);
}

export function uploadFolderToS3(workbench: Workbench, node?: S3FolderTreeItem, sources?: vscode.Uri[]): Promise<void> {
  return upload(workbench, node, true, sources);
}
