// "SageMaker: Remove Autoscaling" — deregisters a variant from Application Auto Scaling (its policies
// go with it), after a confirmation. The variant keeps the instance count it has now.
import * as vscode from 'vscode';
import { removeAutoscaling as removeAutoscalingCall } from '../../pipeline/autoscaling';
import { pickVariant } from '../../pickers/pickVariant';
import { VariantTreeItem } from '../../trees/endpointsTree';
import type { Workbench } from '../../workbench';

/** `confirmed`: the caller has asked already (else a modal asks). */
export async function removeAutoscaling(workbench: Pick<Workbench, 'connection' | 'endpoints'>, node?: VariantTreeItem, confirmed = false): Promise<boolean> {
  const target = node ? { endpointName: node.endpointName, variantName: node.variant.name } : await pickVariant(workbench, { title: 'Remove Autoscaling' });
  if (!target) return false;
  const where = `${target.endpointName} / ${target.variantName}`;
  const choice = confirmed
    ? 'Remove'
    : await vscode.window.showWarningMessage(
    `Remove autoscaling from ${where}?`,
    { modal: true, detail: 'Its scaling policy is deleted and it stops scaling with traffic; it keeps the instances it has now (Set Instance Count changes them).' },
    'Remove',
  );
  if (choice !== 'Remove') return false;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Removing autoscaling from ${where}` }, async () =>
    removeAutoscalingCall(await workbench.connection.clients.autoscaling(), target.endpointName, target.variantName),
  );
  workbench.endpoints.refresh();
  return true;
}
