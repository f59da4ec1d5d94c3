// "SageMaker: Download Checkpoint" — a checkpoint's files into a chosen folder, keeping their paths
// (a Hugging Face `checkpoint-500/` stays a folder), with one cancellable progress notification.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { countOf } from '../../format';
import { downloadFiles, existingFiles } from '../../pipeline/transfers/download';
import { askAboutExisting, withTransferProgress } from '../../transfers/transferUi';
import type { CheckpointTreeItem } from '../../trees/checkpointsTree';
import type { Workbench } from '../../workbench';

export async function downloadCheckpoint(workbench: Workbench, node?: CheckpointTreeItem, folder?: vscode.Uri): Promise<string[]> {
  if (!node) {
    void vscode.window.showInformationMessage('Right-click a checkpoint in the Checkpoints view to download it.');
    return [];
  }
  const target = folder ?? (await vscode.window.showOpenDialog({ title: `Download ${node.checkpoint.label} of ${node.job.TrainingJobName} to…`, canSelectFolders: true, canSelectFiles: false, openLabel: 'Download Here' }))?.[0];
  if (!target) return [];
  const root = path.resolve(target.fsPath);
  const items = node.checkpoint.objects.map((object) => {
    const localPath = path.resolve(root, ...object.key.slice(node.prefix.length).split('/'));
    if (!localPath.startsWith(`${root}${path.sep}`)) throw new Error(`The key ${object.key} would be written outside ${root}; not downloading it.`);
    return { ...object, localPath };
  });
  const existing = await existingFiles(items);
  const choice = await askAboutExisting([...existing], items.length, root);
  if (!choice) return [];
  const s3 = await workbench.connection.clients.s3();
  const outcome = await withTransferProgress(`Downloading ${node.checkpoint.label} of ${node.job.TrainingJobName}`, (signal, report) =>
    downloadFiles(s3, items, { signal, existing, skip: choice === 'skip' ? existing : undefined, onProgress: report }),
  );
  if (outcome.failed) throw outcome.failed.error;
  if (!outcome.cancelled) void vscode.window.showInformationMessage(`Downloaded ${node.checkpoint.label} (${countOf(outcome.downloaded.length, 'file')}) to ${root}.`);
  return outcome.downloaded;
}
