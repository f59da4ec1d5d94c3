// "SageMaker: Download…" — an object, or everything under a bucket or prefix, into a chosen local
// folder, with one cancellable progress notification; local files that exist are asked about.
import * as vscode from 'vscode';
import { countOf, formatBytes } from '../../format';
import { listAllObjects, type DatasetObject } from '../../pipeline/datasets';
import { downloadFiles, existingFiles, planDownload } from '../../pipeline/transfers/download';
import { pickS3Location, s3UriOf } from '../../pickers/pickS3Location';
import { askAboutExisting, withTransferProgress, type TransferOptions } from '../../transfers/transferUi';
import { ObjectTreeItem, type S3FolderTreeItem } from '../../trees/datasetsTree';
import type { Workbench } from '../../workbench';
import { failureText } from '../../failures/classify';

/** `folder` lets a test or another command choose the folder instead of the dialog. Returns the files written. */
export async function downloadFromS3(workbench: Workbench, node?: S3FolderTreeItem | ObjectTreeItem, folder?: vscode.Uri, options: TransferOptions = {}): Promise<string[]> {
  const source = node instanceof ObjectTreeItem ? { bucket: node.object.bucket, prefix: node.object.key } : node ? { bucket: node.bucket, prefix: node.prefix } : await pickS3Location(workbench.connection, { title: 'Download: which S3 folder?', canTakeBucket: true });
  if (!source) return [];
  const uri = s3UriOf(source);
  const target =
    folder ??
    (await vscode.window.showOpenDialog({ title: `Download ${uri} to…`, canSelectFolders: true, canSelectFiles: false, openLabel: 'Download Here' }))?.[0];
  if (!target) return [];
  const s3 = await workbench.connection.clients.s3();
  let objects: DatasetObject[];
  if (node instanceof ObjectTreeItem) {
    objects = [node.object];
  } else {
    objects = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Listing ${uri}` }, async () => {
      const found: DatasetObject[] = [];
      for await (const page of listAllObjects(s3, source.bucket, source.prefix)) found.push(...page);
      return found;
    });
  }
  const items = planDownload(objects, source.prefix, target.fsPath);
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`Nothing to download: ${uri} holds no objects.`);
    return [];
  }
  const existing = await existingFiles(items);
  const choice = existing.size === 0 ? 'overwrite' : (options.existing ?? (await askAboutExisting([...existing], items.length, target.fsPath)));
  if (!choice) return [];
  const totalBytes = items.reduce((sum, item) => sum + item.size, 0);
  const outcome = await withTransferProgress(`Downloading ${uri}`, (signal, report) =>
    downloadFiles(s3, items, { signal, existing, skip: choice === 'skip' ? existing : undefined, onProgress: report }),
    options.signal,
  );
  if (outcome.cancelled) {
    void vscode.window.showInformationMessage(`Download cancelled: no file of it is left in ${target.fsPath}.`);
  } else if (outcome.failed) {
    void vscode.window.showErrorMessage(
      `${failureText(workbench.failures.classify(outcome.failed.error, { doing: `download s3://${source.bucket}/${outcome.failed.key}` }))} The download stopped there: ${outcome.downloaded.length} of ${countOf(items.length, 'file')} were written and nothing partial was left.`,
    );
  } else {
    const skipped = outcome.skipped.length ? `, skipped ${countOf(outcome.skipped.length, 'file')} that existed` : '';
    void vscode.window.showInformationMessage(`Downloaded ${countOf(outcome.downloaded.length, 'file')} (${formatBytes(totalBytes)}) to ${target.fsPath}${skipped}.`, 'Reveal').then((action) => {
      if (action && outcome.downloaded[0]) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(outcome.downloaded[0]));
    });
  }
  return outcome.downloaded;
}
