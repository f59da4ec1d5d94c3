// "SageMaker: Copy Endpoint ARN".
import * as vscode from 'vscode';
import { pickEndpoint } from '../../pickers/pickEndpoint';
import type { EndpointTreeItem } from '../../trees/endpointsTree';
import type { Workbench } from '../../workbench';

export async function copyEndpointArn(workbench: Pick<Workbench, 'connection'>, node?: EndpointTreeItem): Promise<void> {
  const endpoint = node?.endpoint ?? (await pickEndpoint(workbench, { title: 'Copy Endpoint ARN' }));
  if (!endpoint) return;
  await vscode.env.clipboard.writeText(endpoint.arn);
  vscode.window.setStatusBarMessage(`Copied the ARN of endpoint ${endpoint.name}`, 4000);
}
