// "SageMaker: Delete Endpoint" — stops the endpoint's instances and removes it, after a modal
// confirmation. Its endpoint configuration and model stay, to deploy again.
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { deleteEndpoint as deleteEndpointCall, isDeletable } from '../pipeline/endpoints';
import type { EndpointTreeItem } from '../trees/endpointsTree';
import { pickEndpoint } from './pickEndpoint';

export async function deleteEndpoint(connection: Connection, node: EndpointTreeItem | undefined, onDeleted: () => void): Promise<void> {
  const endpoint = node?.endpoint ?? (await pickEndpoint(connection, { title: 'Delete Endpoint' }));
  if (!endpoint) {
    return;
  }
  if (!isDeletable(endpoint.status)) {
    void vscode.window.showWarningMessage(`Endpoint ${endpoint.name} is ${endpoint.status}; it can be deleted once that finishes.`);
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `Delete endpoint ${endpoint.name}?`,
    {
      modal: true,
      detail: 'Its instances stop and invocations of it fail from then on. Its endpoint configuration and model are kept, so it can be deployed again.',
    },
    'Delete',
  );
  if (choice !== 'Delete') {
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Deleting endpoint ${endpoint.name}` }, async () =>
    deleteEndpointCall(await connection.clients.sageMaker(), endpoint.name),
  );
  onDeleted();
}
