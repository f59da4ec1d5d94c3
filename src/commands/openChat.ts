// "SageMaker: Open Chat" — the chat panel of an InService endpoint.
import type { Connection } from '../connection/connection';
import type { ChatPanels } from '../panels/chatPanel';
import type { EndpointTreeItem } from '../trees/endpointsTree';
import { pickEndpoint } from './pickEndpoint';

export async function openChat(connection: Connection, chatPanels: ChatPanels, node?: EndpointTreeItem): Promise<void> {
  const endpoint = node?.endpoint ?? (await pickEndpoint(connection, { title: 'Open Chat', status: 'InService' }));
  if (endpoint) {
    chatPanels.show(endpoint.name);
  }
}
