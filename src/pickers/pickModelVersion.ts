// From the palette, without a tree node: a registered model version, picked group first, then
// version (newest first, approval beside each).
import type { ModelApprovalStatus } from '@aws-sdk/client-sagemaker';
import * as vscode from 'vscode';
import { relativeTime } from '../format';
import { listModelGroups, listModelVersions, versionLabel, type ModelVersionSummary } from '../pipeline/registry';
import type { Workbench } from '../workbench';

export async function pickModelGroup(workbench: Pick<Workbench, 'connection'>, title: string): Promise<string | undefined> {
  const groups = listModelGroups(await workbench.connection.clients.sageMaker(), { pageSize: 100 }).then((page) =>
    page.items.map((group) => ({ label: group.name, description: group.createdAt && relativeTime(group.createdAt), group: group.name })),
  );
  const items = await groups;
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`No model groups in ${workbench.connection.settings.region}: register a trained model first.`);
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Model group' }))?.group;
}

export async function pickModelVersion(
  workbench: Pick<Workbench, 'connection'>,
  options: { title: string; approval?: ModelApprovalStatus; group?: string },
): Promise<ModelVersionSummary | undefined> {
  const group = options.group ?? (await pickModelGroup(workbench, options.title));
  if (!group) return undefined;
  const page = await listModelVersions(await workbench.connection.clients.sageMaker(), group, { pageSize: 100, approval: options.approval });
  if (page.items.length === 0) {
    void vscode.window.showInformationMessage(options.approval ? `Model group ${group} has no ${options.approval} version.` : `Model group ${group} has no versions.`);
    return undefined;
  }
  const items = page.items.map((version) => ({
    label: versionLabel(version),
    description: [version.approval, version.createdAt && relativeTime(version.createdAt)].filter(Boolean).join(' · '),
    detail: version.description,
    version,
  }));
  return (await vscode.window.showQuickPick(items, { title: options.title, placeHolder: 'Model version' }))?.version;
}
