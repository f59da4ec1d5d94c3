// The chat in the real extension host, against the emulator's echo model servers (format-echo: the
// last user message answered back, word by word): system prompt and stop sequences reach the model
// server, Regenerate and edit-and-resend replace the right turns, the context budget leaves out the
// oldest exchanges with a note, conversations are kept in workspaceState and come back when the
// chat is opened again, renamed, deleted and exported, and Insert at Cursor edits the last editor.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostMessage } from '../../../webview/chat/protocol';
import type { Workbench } from '../../../src/workbench';
import { deployEchoEndpoint } from '../../../harness/endpoints';
import { activateWorkbench, emulatorUrl, uniqueName, withSetting } from '../../../harness/extensionHostFixtures';

describe('Chat conversations', () => {
  const messages = uniqueName('chat-echo-messages');
  const tgi = uniqueName('chat-echo-tgi');
  let workbench: Workbench;

  before(async function () {
    this.timeout(90_000);
    workbench = await activateWorkbench();
    await Promise.all([deployEchoEndpoint(emulatorUrl(), messages, 'messages', { timeoutMs: 80_000 }), deployEchoEndpoint(emulatorUrl(), tgi, 'tgi', { timeoutMs: 80_000 })]);
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('sends the system prompt and stop sequences: TGI answers them back, the stop sequence ends the answer', async () => {
    const session = workbench.chatPanels.show(tgi);
    session.handle({ type: 'parameters', parameters: { format: 'tgi', maxNewTokens: 50, temperature: 0, topP: 1, systemPrompt: 'You are terse.', stop: ['STOP'] } });
    const answer = await session.send('alpha beta STOP gamma');
    assert.equal(answer.state, 'done', JSON.stringify(answer.failure));
    // The echo server answers its whole input: the system prompt came first, the text ends at STOP.
    assert.equal(answer.text, 'You are terse.\n\nalpha beta ');
    assert.equal(answer.metrics?.finishReason, 'stop_sequence');
  });

  it('regenerates the last answer in place, and an edited prompt replaces the turns after it', async () => {
    const session = workbench.chatPanels.show(messages);
    session.handle({ type: 'clear' });
    session.handle({ type: 'parameters', parameters: { format: 'messages', maxNewTokens: 50, temperature: 0, topP: 1 } });
    const first = await session.send('first question');
    const second = await session.send('second question');
    assert.equal(second.text, 'second question');
    const again = await session.regenerate(second.id);
    assert.ok(again && again.id !== second.id);
    assert.deepEqual(
      session.transcript.map((turn) => ('text' in turn ? turn.text : turn.prompt)),
      ['first question', 'first question', 'second question', 'second question'],
    );
    const firstUser = session.transcript[0];
    assert.equal(first.text, 'first question');
    const edited = await session.edit(firstUser.id, 'edited question');
    assert.equal(edited?.text, 'edited question');
    assert.deepEqual(
      session.transcript.map((turn) => `${turn.role}:${'text' in turn ? turn.text : turn.prompt}`),
      ['user:edited question', 'assistant:edited question'],
    );
  });

  it('leaves the oldest exchanges out of a request over the context budget, and says how many', async () => {
    const session = workbench.chatPanels.show(messages);
    session.handle({ type: 'clear' });
    // 100-character prompts, answered back: 200 characters an exchange; a budget of 500 carries
    // the new prompt and two exchanges.
    const prompt = (n: number) => `${n} `.padEnd(100, 'x');
    await withSetting('sagemaker.chat.contextCharacters', 500, async () => {
      const answers = [];
      for (let n = 1; n <= 4; n++) answers.push(await session.send(prompt(n)));
      assert.deepEqual(
        answers.map((answer) => answer.droppedExchanges ?? 0),
        [0, 0, 0, 1],
      );
      assert.equal(answers[3].text, prompt(4));
    });
  });

  it('keeps the conversation in the workspace: it comes back when the chat is opened again, renamed, exported and deleted', async () => {
    const session = workbench.chatPanels.show(messages);
    session.handle({ type: 'clear' });
    await session.send('remember **me**');
    const id = session.conversationId;
    const kept = workbench.chatPanels.conversations.get(id);
    assert.equal(kept?.title, 'remember me', 'the title is the prompt as read, without its markdown');
    assert.deepEqual(
      kept?.turns.map((turn) => ('text' in turn ? turn.text : turn.prompt)),
      ['remember **me**', 'remember **me**'],
    );

    // Closed and opened again: the endpoint's latest conversation is back, and rendered.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const reopened = workbench.chatPanels.show(messages);
    assert.notEqual(reopened, session);
    assert.equal(reopened.conversationId, id);
    const state = new Promise<HostMessage>((resolve) => reopened.onMessage((message) => message.type === 'state' && resolve(message)));
    reopened.postState();
    const shown = await state;
    assert.equal(shown.type === 'state' && shown.turns.length, 2);

    await workbench.chatPanels.conversations.rename(id, 'Kept chat');
    assert.equal(workbench.chatPanels.conversations.get(id)?.title, 'Kept chat');
    reopened.rename('Kept chat');
    const markdown = await workbench.chatPanels.export(reopened, 'markdown');
    assert.match(markdown!.getText(), /^# Kept chat\n/);
    assert.match(markdown!.getText(), /## You\n\n> remember \*\*me\*\*\n/);
    const json = await workbench.chatPanels.export(reopened, 'json');
    assert.equal(JSON.parse(json!.getText()).turns.length, 2);

    // A new chat starts a new conversation; the kept one stays, then is deleted.
    reopened.handle({ type: 'clear' });
    assert.notEqual(reopened.conversationId, id);
    assert.ok(workbench.chatPanels.conversations.get(id));
    await workbench.chatPanels.conversations.delete(id);
    assert.equal(workbench.chatPanels.conversations.get(id), undefined);
  });

  it('inserts a code block at the last editor\'s cursor, replacing its selection', async () => {
    const document = await vscode.workspace.openTextDocument({ content: 'before SELECTED after', language: 'python' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 7, 0, 15);
    workbench.chatPanels.show(messages); // the chat takes the focus: no active text editor
    const target = await workbench.chatPanels.insertAtCursor('print(1)', 'python');
    assert.equal(target, document);
    assert.equal(document.getText(), 'before print(1) after');
  });
});
