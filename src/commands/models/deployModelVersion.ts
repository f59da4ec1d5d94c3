// "SageMaker: Deploy Model Version" — a registered version as a real-time endpoint with one variant:
// a model whose container names the version, its endpoint configuration, the endpoint; then followed
// to InService. A version that is not Approved asks first (approval is how a registry says a model
// may serve): approve it and deploy, or deploy it as it is.
import * as vscode from 'vscode';
import { deployEndpoint, deploymentNameHolder, INSTANCE_TYPES } from '../../pipeline/deploy';
import { modelFromVersionRequest, type DeploymentOutcome } from '../../pipeline/endpointUpdates';
import { validName } from '../../pipeline/names';
import { setApproval, versionLabel } from '../../pipeline/registry';
import { askNewName, assertNameFree } from '../../pickers/askNewName';
import { pickExecutionRole } from '../../pickers/pickExecutionRole';
import { pickInstanceType } from '../../pickers/pickInstanceType';
import { pickModelVersion } from '../../pickers/pickModelVersion';
import type { ModelVersionTreeItem } from '../../trees/modelsTree';
import type { Workbench } from '../../workbench';
import { askWhenNotApproved } from './askWhenNotApproved';
import { followWithProgress } from '../endpoints/deploymentProgress';

export interface VersionDeployment {
  endpointName: string;
  instanceType: string;
  instanceCount: number;
  executionRoleArn: string;
  /** For a version that is not Approved: approve it first, or deploy it as it is. */
  whenNotApproved: 'approve' | 'deploy';
}

export async function deployModelVersion(
  workbench: Pick<Workbench, 'connection' | 'endpoints' | 'models'>,
  node?: ModelVersionTreeItem,
  given: Partial<VersionDeployment> = {},
): Promise<{ endpointName: string; outcome?: DeploymentOutcome } | undefined> {
  const { connection } = workbench;
  const version = node?.version ?? (await pickModelVersion(workbench, { title: 'Deploy Model Version' }));
  if (!version) return undefined;
  const label = versionLabel(version);
  const sageMaker = await connection.clients.sageMaker();
  if (version.approval !== 'Approved') {
    const choice = given.whenNotApproved ?? (await askWhenNotApproved(label, version.approval, 'Deploy'));
    if (!choice) return undefined;
    if (choice === 'approve') {
      await setApproval(sageMaker, version.arn, 'Approved', 'Approved to deploy it');
      workbench.models.refresh();
    }
  }
  const region = connection.settings.region;
  const holder = (name: string) => deploymentNameHolder(sageMaker, name);
  if (given.endpointName !== undefined) await assertNameFree(given.endpointName, holder, region);
  const endpointName =
    given.endpointName ??
    (await askNewName({
      title: `Deploy ${label}`,
      prompt: 'Endpoint name (also the name of its model and endpoint configuration)',
      value: validName(version.group),
      holder,
      region,
    }));
  if (!endpointName) return undefined;
  const instanceType = given.instanceType ?? (await pickInstanceType({ title: `Instance type for ${endpointName}`, types: INSTANCE_TYPES, region }));
  if (!instanceType) return undefined;
  const executionRoleArn =
    given.executionRoleArn ??
    (await pickExecutionRole(workbench, { title: `Deploy ${endpointName}`, purpose: 'to read the model and run the container' }));
  if (!executionRoleArn) return undefined;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Deploying ${label} as ${endpointName}` }, () =>
    deployEndpoint(sageMaker, {
      endpointName,
      model: modelFromVersionRequest(endpointName, version.arn, executionRoleArn),
      instanceType,
      instanceCount: given.instanceCount ?? 1,
    }),
  );
  void vscode.commands.executeCommand('sagemaker.endpoints.focus');
  const outcome = await followWithProgress(workbench, `Deploying ${label} as endpoint ${endpointName}`, endpointName, endpointName, version.arn);
  return { endpointName, outcome };
}
