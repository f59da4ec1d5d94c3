// "SageMaker: Update Endpoint to Version…" — moves a variant of an InService endpoint to another
// registered version, blue/green (see pipeline/endpointUpdates.ts), and follows the update until the
// endpoint is InService again: on the new version, or — if the new fleet failed — rolled back by
// SageMaker to what served before, with its reason.
import * as vscode from 'vscode';
import { startVersionUpdate, versionUpdateNames, type DeploymentOutcome } from '../../pipeline/endpointUpdates';
import { setApproval, versionLabel } from '../../pipeline/registry';
import { pickModelVersion } from '../../pickers/pickModelVersion';
import { pickVariant } from '../../pickers/pickVariant';
import { EndpointTreeItem, VariantTreeItem } from '../../trees/endpointsTree';
import type { Workbench } from '../../workbench';
import { askWhenNotApproved } from '../models/askWhenNotApproved';
import { followWithProgress } from './deploymentProgress';
import { loadSdk } from '../../aws/clients';

export interface VersionUpdate {
  versionArn: string;
  /** For a version that is not Approved: approve it first, or serve it as it is. */
  whenNotApproved: 'approve' | 'deploy';
}

export async function updateEndpointToVersion(
  workbench: Pick<Workbench, 'connection' | 'endpoints' | 'models'>,
  node?: EndpointTreeItem | VariantTreeItem,
  given: Partial<VersionUpdate> = {},
): Promise<DeploymentOutcome | undefined> {
  const title = 'Update Endpoint to Version';
  const target =
    node instanceof VariantTreeItem
      ? { endpointName: node.endpointName, variantName: node.variant.name }
      : await pickVariant(workbench, { title, endpointName: node instanceof EndpointTreeItem ? node.endpoint.name : undefined });
  if (!target) return undefined;
  const sageMaker = await workbench.connection.clients.sageMaker();
  const version = given.versionArn
    ? { arn: given.versionArn, approval: 'Approved' as const, label: given.versionArn }
    : await pickModelVersion(workbench, { title: `${title}: the version ${target.endpointName} is to serve` }).then(
        (picked) => picked && { arn: picked.arn, approval: picked.approval, label: versionLabel(picked) },
      );
  if (!version) return undefined;
  if (version.approval !== 'Approved') {
    const choice = given.whenNotApproved ?? (await askWhenNotApproved(version.label, version.approval, 'Update'));
    if (!choice) return undefined;
    if (choice === 'approve') {
      await setApproval(sageMaker, version.arn, 'Approved', 'Approved to serve it');
      workbench.models.refresh();
    }
  }
  // The new model runs with the role the variant's current model runs with.
  const executionRoleArn = await currentRole(workbench, target.endpointName, target.variantName);
  const names = versionUpdateNames(target.endpointName, version.arn, new Date());
  const configName = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Updating ${target.endpointName}` }, () =>
    startVersionUpdate(sageMaker, { ...target, versionArn: version.arn, executionRoleArn, ...names }),
  );
  return followWithProgress(workbench, `Updating endpoint ${target.endpointName} to ${version.label}`, target.endpointName, configName, version.arn);
}

async function currentRole(workbench: Pick<Workbench, 'connection'>, endpointName: string, variantName: string): Promise<string> {
  const sdk = await loadSdk();
  const sageMaker = await workbench.connection.clients.sageMaker();
  const endpoint = await sageMaker.send(new sdk.DescribeEndpointCommand({ EndpointName: endpointName }));
  const config = await sageMaker.send(new sdk.DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }));
  const modelName = config.ProductionVariants?.find((variant) => variant.VariantName === variantName)?.ModelName;
  const model = modelName ? await sageMaker.send(new sdk.DescribeModelCommand({ ModelName: modelName })) : undefined;
  if (!model?.ExecutionRoleArn) throw new Error(`Cannot tell the execution role of ${endpointName}'s variant ${variantName}: its model ${modelName ?? ''} is gone.`);
  return model.ExecutionRoleArn;
}
