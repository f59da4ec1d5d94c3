// "SageMaker: Copy S3 URI" — the s3:// URI of a bucket, prefix or object, for a spec, a script or a terminal.
import * as vscode from 'vscode';
import { ObjectTreeItem, type S3FolderTreeItem } from '../../trees/datasetsTree';

export async function copyS3Uri(node?: S3FolderTreeItem | ObjectTreeItem): Promise<string | undefined> {
  if (!node) {
    void vscode.window.showInformationMessage('Right-click a bucket, folder or object in the Datasets view to copy its S3 URI.');
    return undefined;
  }
  const uri = node instanceof ObjectTreeItem ? `s3://${node.object.bucket}/${node.object.key}` : node.s3Uri;
  await vscode.env.clipboard.writeText(uri);
  vscode.window.setStatusBarMessage(`Copied ${uri}`, 4000);
  return uri;
}
