// "SageMaker: Delete Checkpoint" — a checkpoint's files, after a modal confirmation (a job resumed
// later can no longer start from it); DeleteObjects, 1,000 keys per call.
import * as vscode from 'vscode';
import { formatBytes } from '../../format';
import { deleteKeys } from '../../pipeline/transfers/s3Objects';
import type { CheckpointTreeItem } from '../../trees/checkpointsTree';
import type { Workbench } from '../../workbench';

export async function deleteCheckpoint(workbench: Workbench, node?: CheckpointTreeItem, confirmed = false): Promise<boolean> {
  if (!node) {
    void vscode.window.showInformationMessage('Right-click a checkpoint in the Checkpoints view to delete it.');
    return false;
  }
  const { checkpoint, job } = node;
  if (!confirmed) {
    const choice = await vscode.window.showWarningMessage(
      `Delete ${checkpoint.label} of ${job.TrainingJobName}?`,
      {
        modal: true,
        detail: `${checkpoint.objects.length} file${checkpoint.objects.length === 1 ? '' : 's'}, ${formatBytes(checkpoint.size)}${checkpoint.latest ? '. It is the latest checkpoint: a job resumed from this location would start from an earlier one.' : '.'} This cannot be undone.`,
      },
      'Delete',
    );
    if (choice !== 'Delete') return false;
  }
  const [first] = checkpoint.objects;
  const failures = await deleteKeys(await workbench.connection.clients.s3(), first.bucket, checkpoint.objects.map((object) => object.key));
  workbench.checkpoints.refresh();
  if (failures.length) throw new Error(`S3 did not delete ${failures.length} files of ${checkpoint.label}, e.g. ${failures[0].key}: ${failures[0].code} ${failures[0].message ?? ''}`);
  return true;
}
