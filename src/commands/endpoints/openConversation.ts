// "SageMaker: Open Chat Conversation" — the conversations kept in this workspace, newest first: pick
// one to reopen it in its endpoint's chat; the item's buttons rename or delete it (after a modal).
import * as vscode from 'vscode';
import type { StoredConversation } from '../../pipeline/chat/conversations';
import type { Workbench } from '../../workbench';

const RENAME: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('edit'), tooltip: 'Rename Conversation' };
const DELETE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete Conversation' };

interface ConversationItem extends vscode.QuickPickItem {
  conversation: StoredConversation;
}

export async function openConversation(workbench: Pick<Workbench, 'chatPanels'>): Promise<void> {
  const { chatPanels } = workbench;
  const store = chatPanels.conversations;
  const items = (): ConversationItem[] =>
    store.list().map((conversation) => ({
      label: conversation.title,
      description: conversation.endpoint,
      detail: `${conversation.turns.filter((turn) => turn.role === 'user').length} prompts · ${new Date(conversation.updatedAt).toLocaleString()}`,
      buttons: [RENAME, DELETE],
      conversation,
    }));
  if (items().length === 0) {
    void vscode.window.showInformationMessage('No conversations in this workspace yet: open a chat from an InService endpoint.', 'Show Endpoints').then((choice) => {
      if (choice) void vscode.commands.executeCommand('sagemaker.endpoints.focus');
    });
    return;
  }
  const pick = vscode.window.createQuickPick<ConversationItem>();
  pick.title = 'Chat Conversations';
  pick.placeholder = 'Reopen a conversation (the buttons rename or delete it)';
  pick.matchOnDescription = true;
  pick.ignoreFocusOut = true; // the delete confirmation is modal
  pick.items = items();
  const chosen = await new Promise<StoredConversation | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]?.conversation));
    pick.onDidHide(() => resolve(undefined));
    pick.onDidTriggerItemButton(async ({ item, button }) => {
      if (button === RENAME) {
        pick.hide();
        const title = await vscode.window.showInputBox({
          title: 'Rename Conversation',
          value: item.conversation.title,
          validateInput: (value) => (value.trim() === '' ? 'A conversation needs a name.' : undefined),
        });
        if (title !== undefined) {
          await store.rename(item.conversation.id, title);
          const open = chatPanels.sessionOf(item.conversation.id);
          open?.rename(title.trim());
          open?.postState();
        }
        resolve(undefined);
      } else {
        const confirmed = await vscode.window.showWarningMessage(
          `Delete conversation "${item.conversation.title}"?`,
          { modal: true, detail: `Its ${item.conversation.turns.length} turns with ${item.conversation.endpoint} are removed from this workspace.` },
          'Delete',
        );
        if (confirmed === 'Delete') await store.delete(item.conversation.id);
        pick.items = items();
        if (pick.items.length === 0) pick.hide();
      }
    });
    pick.show();
  });
  pick.dispose();
  if (chosen) chatPanels.show(chosen.endpoint, chosen);
}
