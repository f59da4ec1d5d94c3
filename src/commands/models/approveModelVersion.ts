// "SageMaker: Approve Model Version" — marks a registered version Approved (ready to deploy), with an
// optional note on why, which the registry keeps as its approval description.
import * as vscode from 'vscode';
import { setApproval, versionLabel, type ModelVersionSummary } from '../../pipeline/registry';
import { pickModelVersion } from '../../pickers/pickModelVersion';
import type { ModelVersionTreeItem } from '../../trees/modelsTree';
import type { Workbench } from '../../workbench';

export async function approveModelVersion(
  workbench: Pick<Workbench, 'connection' | 'models'>,
  node?: ModelVersionTreeItem,
  note?: string,
): Promise<ModelVersionSummary | undefined> {
  const version = node?.version ?? (await pickModelVersion(workbench, { title: 'Approve Model Version' }));
  if (!version) return undefined;
  const description =
    note ??
    (await vscode.window.showInputBox({
      title: `Approve ${versionLabel(version)}`,
      prompt: 'Why it is approved (optional), e.g. the evaluation it passed',
      validateInput: (value) => (value.length > 1024 ? 'At most 1024 characters.' : undefined),
    }));
  if (description === undefined) return undefined;
  await setApproval(await workbench.connection.clients.sageMaker(), version.arn, 'Approved', description);
  workbench.models.refresh();
  vscode.window.setStatusBarMessage(`Approved ${versionLabel(version)}`, 4000);
  return { ...version, approval: 'Approved' };
}
