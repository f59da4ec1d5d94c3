// From the palette, without a tree node: the endpoint to act on, picked from the region's endpoints.
import type { EndpointStatus } from '@aws-sdk/client-sagemaker';
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { listEndpoints, type EndpointSummary } from '../pipeline/endpoints';

export async function pickEndpoint(
  connection: Connection,
  options: { title: string; status?: EndpointStatus },
): Promise<EndpointSummary | undefined> {
  const endpoints = vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Listing endpoints' }, async () => {
    const page = await listEndpoints(await connection.clients.sageMaker(), { pageSize: 100, status: options.status });
    return page.endpoints;
  });
  const items = (await endpoints).map((endpoint) => ({ label: endpoint.name, description: endpoint.status, endpoint }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      options.status ? `No endpoint is ${options.status} in ${connection.settings.region}.` : `No endpoints in ${connection.settings.region}.`,
    );
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: options.title, placeHolder: 'Endpoint name' }))?.endpoint;
}
