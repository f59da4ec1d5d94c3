// "SageMaker: Upload Files…" and "Upload Folder…" — local files or folders into a bucket or prefix
// (the one the command was run on, or one picked), with one cancellable progress notification.
import * as vscode from 'vscode';
import { pickS3Location, s3UriOf, type S3Location } from '../../pickers/pickS3Location';
import { uploadWithProgress, type TransferOptions } from '../../transfers/transferUi';
import type { S3FolderTreeItem } from '../../trees/datasetsTree';
import type { UploadOutcome } from '../../pipeline/transfers/upload';
import type { Workbench } from '../../workbench';

async function targetOf(workbench: Workbench, node: S3FolderTreeItem | undefined, title: string): Promise<S3Location | undefined> {
  return node ? { bucket: node.bucket, prefix: node.prefix } : pickS3Location(workbench.connection, { title, canTakeBucket: true });
}

async function upload(workbench: Workbench, node: S3FolderTreeItem | undefined, folders: boolean, given?: vscode.Uri[], options?: TransferOptions): Promise<UploadOutcome | undefined> {
  const title = folders ? 'Upload Folder' : 'Upload Files';
  const target = await targetOf(workbench, node, `${title}: to which S3 folder?`);
  if (!target) return undefined;
  const sources =
    given ??
    (await vscode.window.showOpenDialog({
      title: `${title} to ${s3UriOf(target)}`,
      canSelectFiles: !folders,
      canSelectFolders: folders,
      canSelectMany: true,
      openLabel: 'Upload',
    }));
  if (!sources?.length) return undefined;
  const outcome = await uploadWithProgress(workbench, sources.map((uri) => uri.fsPath), target.bucket, target.prefix, options);
  if (outcome) workbench.datasets.refresh();
  return outcome;
}

/** `sources` and `options` let another command (or a test) name the files and drive it without the prompts. */
export function uploadFilesToS3(workbench: Workbench, node?: S3FolderTreeItem, sources?: vscode.Uri[], options?: TransferOptions): Promise<UploadOutcome | undefined> {
  return upload(workbench, node, false, sources, options);
}

export function uploadFolderToS3(workbench: Workbench, node?: S3FolderTreeItem, sources?: vscode.Uri[], options?: TransferOptions): Promise<UploadOutcome | undefined> {
  return upload(workbench, node, true, sources, options);
}
