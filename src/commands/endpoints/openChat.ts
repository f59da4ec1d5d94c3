// "SageMaker: Open Chat" — the chat panel of an InService endpoint.
import { pickEndpoint } from '../../pickers/pickEndpoint';
import type { EndpointTreeItem } from '../../trees/endpointsTree';
import type { Workbench } from '../../workbench';

export async function openChat(workbench: Pick<Workbench, 'connection' | 'chatPanels'>, node?: EndpointTreeItem): Promise<void> {
  const endpoint = node?.endpoint ?? (await pickEndpoint(workbench, { title: 'Open Chat', status: 'InService' }));
  if (endpoint) {
    workbench.chatPanels.show(endpoint.name);
  }
}
