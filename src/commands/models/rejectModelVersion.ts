// "SageMaker: Reject Model Version" — marks a registered version Rejected, with the reason (required:
// whoever finds it later needs to know why), kept as its approval description.
import * as vscode from 'vscode';
import { setApproval, versionLabel, type ModelVersionSummary } from '../../pipeline/registry';
import { pickModelVersion } from '../../pickers/pickModelVersion';
import type { ModelVersionTreeItem } from '../../trees/modelsTree';
import type { Workbench } from '../../workbench';

export async function rejectModelVersion(
  workbench: Pick<Workbench, 'connection' | 'models'>,
  node?: ModelVersionTreeItem,
  reason?: string,
): Promise<ModelVersionSummary | undefined> {
  const version = node?.version ?? (await pickModelVersion(workbench, { title: 'Reject Model Version' }));
  if (!version) return undefined;
  const description =
    reason ??
    (await vscode.window.showInputBox({
      title: `Reject ${versionLabel(version)}`,
      prompt: 'Why it is rejected, e.g. the evaluation it failed',
      validateInput: (value) => (!value.trim() ? 'Say why, for whoever finds this version later.' : value.length > 1024 ? 'At most 1024 characters.' : undefined),
    }));
  if (!description) return undefined;
  await setApproval(await workbench.connection.clients.sageMaker(), version.arn, 'Rejected', description);
  workbench.models.refresh();
  vscode.window.setStatusBarMessage(`Rejected ${versionLabel(version)}`, 4000);
  return { ...version, approval: 'Rejected' };
}
