// "SageMaker: Open" on an object in the Datasets view (also a click on a text object): its text in a
// read-only editor tab, up to 10 MB; larger or binary objects say why and offer Download.
import * as vscode from 'vscode';
import type { ObjectTreeItem } from '../../trees/datasetsTree';
import type { Workbench } from '../../workbench';

export async function openS3Object(workbench: Workbench, node?: ObjectTreeItem): Promise<vscode.TextEditor | undefined> {
  if (!node) {
    void vscode.window.showInformationMessage('Click a text object in the Datasets view to open it.');
    return undefined;
  }
  const { bucket, key } = node.object;
  try {
    return await workbench.s3Objects.show(bucket, key);
  } catch (error) {
    const message = (error as Error).message;
    if (/Download it/.test(message)) {
      void vscode.window.showWarningMessage(message, 'Download…').then((choice) => choice && vscode.commands.executeCommand('sagemaker.datasets.download', node));
      return undefined;
    }
    throw error;
  }
}
