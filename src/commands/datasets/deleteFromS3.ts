// "SageMaker: Delete" in the Datasets view — an object, or everything under a prefix, after a modal
// confirmation naming how many objects go; prefixes are deleted 1,000 keys per DeleteObjects call.
import * as vscode from 'vscode';
import { countOf, formatBytes } from '../../format';
import { listAllObjects } from '../../pipeline/datasets';
import { deleteKeys, deletePrefix } from '../../pipeline/transfers/s3Objects';
import { ObjectTreeItem, type S3FolderTreeItem } from '../../trees/datasetsTree';
import type { Workbench } from '../../workbench';

/** Returns how many objects were deleted (0 when declined). `confirmed` skips the dialog (tests). */
export async function deleteFromS3(workbench: Workbench, node?: S3FolderTreeItem | ObjectTreeItem, confirmed = false): Promise<number> {
  if (!node) {
    void vscode.window.showInformationMessage('Right-click an object or folder in the Datasets view to delete it.');
    return 0;
  }
  const s3 = await workbench.connection.clients.s3();
  if (node instanceof ObjectTreeItem) {
    const { bucket, key, size } = node.object;
    if (!confirmed && !(await confirm(`Delete s3://${bucket}/${key}?`, `${formatBytes(size)}. This cannot be undone.`))) return 0;
    const failures = await deleteKeys(s3, bucket, [key]);
    if (failures.length) throw new Error(`S3 did not delete ${key}: ${failures[0].code} ${failures[0].message ?? ''}`);
    workbench.datasets.refresh();
    return 1;
  }
  const uri = `s3://${node.bucket}/${node.prefix}`;
  if (node.prefix === '') {
    void vscode.window.showWarningMessage(`Deleting a whole bucket's contents is not offered here: delete its folders one by one, or use the AWS console for ${uri}.`);
    return 0;
  }
  const { count, bytes } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Counting the objects under ${uri}` }, async () => {
    let counted = { count: 0, bytes: 0 };
    for await (const page of listAllObjects(s3, node.bucket, node.prefix)) {
      counted = { count: counted.count + page.length, bytes: counted.bytes + page.reduce((sum, object) => sum + object.size, 0) };
    }
    return counted;
  });
  if (!confirmed && !(await confirm(`Delete ${countOf(count, 'object')} under ${uri}?`, `${formatBytes(bytes)} in all. This cannot be undone.`))) return 0;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Deleting ${uri}`, cancellable: true },
    (progress, token) => {
      const cancel = new AbortController();
      token.onCancellationRequested(() => cancel.abort());
      let reported = 0;
      return deletePrefix(s3, node.bucket, node.prefix, {
        signal: cancel.signal,
        onDeleted: (total) => {
          const percent = (100 * Math.min(total, count)) / Math.max(count, 1);
          progress.report({ message: `${total} of ${count} objects`, increment: percent - reported });
          reported = percent;
        },
      });
    },
  );
  workbench.datasets.refresh();
  if (outcome.failures.length) {
    const [first] = outcome.failures;
    void vscode.window.showErrorMessage(`Deleted ${countOf(outcome.deleted, 'object')} under ${uri}; S3 refused ${outcome.failures.length}, e.g. ${first.key}: ${first.code} ${first.message ?? ''}`);
  } else {
    void vscode.window.showInformationMessage(`Deleted ${countOf(outcome.deleted, 'object')} under ${uri}.`);
  }
  return outcome.deleted;
}

async function confirm(message: string, detail: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Delete')) === 'Delete';
}
