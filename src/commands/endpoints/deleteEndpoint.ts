// "SageMaker: Delete Endpoint" — stops the endpoint's instances and removes it, after a modal
// confirmation. Its endpoint configuration and model stay, to deploy again.
import * as vscode from 'vscode';
import { deleteEndpoint as deleteEndpointCall, isDeletable } from '../../pipeline/endpoints';
import { formatCost } from '../../pipeline/pricing';
import { pickEndpoint } from '../../pickers/pickEndpoint';
import type { EndpointTreeItem } from '../../trees/endpointsTree';
import type { Workbench } from '../../workbench';

export async function deleteEndpoint(workbench: Pick<Workbench, 'connection' | 'endpoints'>, node?: EndpointTreeItem): Promise<void> {
  const { connection, endpoints } = workbench;
  const endpoint = node?.endpoint ?? (await pickEndpoint(workbench, { title: 'Delete Endpoint' }));
  if (!endpoint) {
    return;
  }
  if (!isDeletable(endpoint.status)) {
    void vscode.window.showWarningMessage(`Endpoint ${endpoint.name} is ${endpoint.status}; it can be deleted once that finishes.`);
    return;
  }
  // What deleting it saves: the user weighs that against losing it.
  const fleet = endpoint.status === 'InService' ? (node?.fleet ?? (await endpoints.fleetOf(endpoint.name).catch(() => undefined))) : undefined;
  const cost = fleet ? ` It costs ${formatCost(fleet.cost)} on demand while it runs.` : '';
  const choice = await vscode.window.showWarningMessage(
    `Delete endpoint ${endpoint.name}?`,
    {
      modal: true,
      detail: `Its instances stop and invocations of it fail from then on.${cost} Its endpoint configuration and model are kept, so it can be deployed again.`,
    },
    'Delete',
  );
  if (choice !== 'Delete') {
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Deleting endpoint ${endpoint.name}` }, async () =>
    deleteEndpointCall(await connection.clients.sageMaker(), endpoint.name),
  );
  endpoints.refresh();
}
