// One chat panel per endpoint (opening it again focuses it): the webview renders the conversation
// that the endpoint's ChatSession keeps and streams, under a banner that says when the connection is
// down (the same words and buttons as the views' error node) and clears itself when it is back.
// Here too, what needs VS Code: conversations kept in the workspace storage folder (reopened, renamed, deleted,
// exported), parameter presets in settings, and a code block's Copy and Insert at Cursor.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CHAT_BODY } from '../../webview/chat/markup';
import {
  DEFAULT_PARAMETERS,
  isPanelMessage,
  normalizeParameters,
  type ChatParameters,
  type HostMessage,
  type ParameterPreset,
} from '../../webview/chat/protocol';
import { ConversationStore, conversationToJson, conversationToMarkdown, type StoredConversation } from '../pipeline/chat/conversations';
import { loadSdk } from '../aws/clients';
import { DurableKeyValueStore } from '../pipeline/chat/durableStore';
import { FormatMemory } from '../pipeline/chat/formatMemory';
import { DEFAULT_CONTEXT_CHARACTERS } from '../pipeline/chat/payloads';
import { listEndpoints } from '../pipeline/endpoints';
import type { Services } from '../services';
import { ChatSession } from './chatSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

export class ChatPanels implements vscode.Disposable {
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; session: ChatSession }>();
  private readonly subscriptions: vscode.Disposable[];
  /** The text editor the user was last in: a chat panel's focus leaves no active one. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  readonly conversations: ConversationStore;
  /** Each endpoint's payload format (probed or chosen), kept with the conversations. */
  readonly formats: FormatMemory;

  constructor(
    private readonly services: Services,
    private readonly extensionUri: vscode.Uri,
    workspaceState: vscode.Memento,
    /** The workspace's storage folder (context.storageUri), where the chat keeps its state durably; without a workspace, workspaceState. */
    storageDir: string | undefined,
  ) {
    const kept = storageDir ? new DurableKeyValueStore(path.join(storageDir, 'chat'), workspaceState) : workspaceState;
    this.conversations = new ConversationStore(kept);
    // Remembered per endpoint and the configuration it runs: an updated endpoint is probed again.
    this.formats = new FormatMemory(kept, async (endpoint) => {
      const { DescribeEndpointCommand } = await loadSdk();
      return (await (await services.connection.clients.sageMaker()).send(new DescribeEndpointCommand({ EndpointName: endpoint }))).EndpointConfigName;
    });
    this.subscriptions = [
      services.connection.onDidChangeState(() => {
        for (const { panel } of this.open.values()) this.postBanner(panel);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.lastEditor = editor;
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('sagemaker.chat.presets')) for (const { session } of this.open.values()) session.postState();
      }),
    ];
  }

  /** Whether a chat panel with `endpointName` is open. */
  isOpen(endpointName: string): boolean {
    return this.open.has(endpointName);
  }

  /**
   * Opens (or focuses) the chat with `endpointName`; returns its session. A new panel resumes the
   * endpoint's latest kept conversation; `conversation` opens that one instead.
   */
  show(endpointName: string, conversation?: StoredConversation): ChatSession {
    const existing = this.open.get(endpointName);
    if (existing) {
      existing.panel.reveal();
      if (conversation && conversation.id !== existing.session.conversationId) existing.session.load(conversation);
      return existing.session;
    }
    const { connection, failures } = this.services;
    const panel = vscode.window.createWebviewPanel('sagemaker.chat', `Chat: ${endpointName}`, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'sagemaker.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { script: 'chat.js', style: 'chat.css', body: CHAT_BODY });
    const session = new ChatSession(
      endpointName,
      defaultParameters(),
      {
        runtime: () => connection.clients.sageMakerRuntime(),
        failureContext: () => failures.context(),
        report: (error) => connection.report(error),
        run: (step) => void failures.run(step, connection.failure === undefined ? {} : failures.classify(connection.failure)),
        contextCharacters: () => vscode.workspace.getConfiguration('sagemaker.chat').get<number>('contextCharacters', DEFAULT_CONTEXT_CHARACTERS),
        presets: readPresets,
        save: (kept) => void this.conversations.save(kept),
        formats: this.formats,
        endpoints: async () => (await listEndpoints(await connection.clients.sageMaker(), { status: 'InService', pageSize: 100 })).endpoints.map((endpoint) => endpoint.name),
      },
      conversation ?? this.conversations.latest(endpointName),
    );
    this.open.set(endpointName, { panel, session });
    const subscriptions = [
      session.onMessage((message) => void panel.webview.postMessage(message)),
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isPanelMessage(message)) return;
        switch (message.type) {
          case 'copy':
            void vscode.env.clipboard.writeText(message.text).then(() => vscode.window.setStatusBarMessage('Code copied to the clipboard', 3000));
            return;
          case 'insert':
            this.insertAtCursor(message.text, message.language).catch((error: Error) => void vscode.window.showErrorMessage(error.message));
            return;
          case 'savePreset':
            void savePreset(message.parameters);
            return;
          case 'conversations':
            void vscode.commands.executeCommand('sagemaker.chat.openConversation');
            return;
          case 'export':
            void this.export(session);
            return;
          case 'rename':
            void this.rename(session);
            return;
        }
        session.handle(message);
        if (message.type === 'ready') this.postBanner(panel);
      }),
    ];
    panel.onDidDispose(() => {
      session.dispose(); // stops an answer being streamed
      subscriptions.forEach((subscription) => subscription.dispose());
      this.open.delete(endpointName);
    });
    return session;
  }

  /** The session showing a kept conversation, if its panel is open. */
  sessionOf(conversationId: string): ChatSession | undefined {
    return [...this.open.values()].find(({ session }) => session.conversationId === conversationId)?.session;
  }

  /**
   * A code block into the editor the user was last in, replacing each selection (as a paste does),
   * without taking the chat off screen: the editor may sit behind it in the same group. With no
   * editor left open, the code opens in a new untitled editor beside the chat.
   */
  async insertAtCursor(text: string, language?: string): Promise<vscode.TextDocument> {
    const last = this.lastEditor;
    if (last && !last.document.isClosed) {
      const edit = new vscode.WorkspaceEdit();
      for (const selection of last.selections) edit.replace(last.document.uri, selection, text);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`Could not insert the code into ${last.document.fileName}`);
      vscode.window.setStatusBarMessage(`Code inserted into ${vscode.workspace.asRelativePath(last.document.uri)}`, 5000);
      return last.document;
    }
    const document = await vscode.workspace.openTextDocument({ content: text, ...(language ? { language: LANGUAGE_IDS[language] ?? language } : {}) });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
    return document;
  }

  /** The conversation as Markdown or JSON, in a new editor the user saves where they like. */
  async export(session: ChatSession, format?: 'markdown' | 'json'): Promise<vscode.TextDocument | undefined> {
    const chosen =
      format ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'Markdown', description: 'the conversation as a document', format: 'markdown' as const },
            { label: 'JSON', description: 'every turn with its parameters and figures', format: 'json' as const },
          ],
          { title: 'Export Conversation', placeHolder: 'Export as' },
        )
      )?.format;
    if (!chosen) return undefined;
    const conversation = session.snapshot();
    const document = await vscode.workspace.openTextDocument({
      language: chosen,
      content: chosen === 'markdown' ? conversationToMarkdown(conversation) : conversationToJson(conversation),
    });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
    return document;
  }

  private async rename(session: ChatSession): Promise<void> {
    const title = await vscode.window.showInputBox({
      title: 'Rename Conversation',
      value: session.snapshot().title,
      validateInput: (value) => (value.trim() === '' ? 'A conversation needs a name.' : undefined),
    });
    if (title === undefined) return;
    session.rename(title.trim());
    if (session.transcript.length > 0) await this.conversations.save(session.snapshot());
    session.postState();
  }

  /** The connection's failure, or none, to the panel's banner. */
  private postBanner(panel: vscode.WebviewPanel): void {
    const failure = this.services.failures.connectionFailure();
    const message: HostMessage = { type: 'banner', failure: failure && { title: failure.title, message: failure.message, steps: failure.steps } };
    void panel.webview.postMessage(message);
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    for (const { panel } of this.open.values()) panel.dispose();
  }
}

/** Fence names that are not VS Code language ids. */
const LANGUAGE_IDS: Record<string, string> = { py: 'python', js: 'javascript', ts: 'typescript', sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', yml: 'yaml' };

/**
 * A new chat's parameters, from the `sagemaker.chat.*` settings. The format is not one of them: it
 * is each endpoint's (probed on first use, or picked in its chat, and remembered), never global.
 */
function defaultParameters(): ChatParameters {
  const settings = vscode.workspace.getConfiguration('sagemaker.chat');
  return {
    format: DEFAULT_PARAMETERS.format,
    maxNewTokens: settings.get<number>('maxNewTokens', DEFAULT_PARAMETERS.maxNewTokens),
    temperature: settings.get<number>('temperature', DEFAULT_PARAMETERS.temperature),
    topP: settings.get<number>('topP', DEFAULT_PARAMETERS.topP),
  };
}

/** The `sagemaker.chat.presets` setting, entries without a name left out. */
function readPresets(): ParameterPreset[] {
  const value = vscode.workspace.getConfiguration('sagemaker.chat').get<unknown>('presets', []);
  if (!Array.isArray(value)) return [];
  return value.filter(
    (preset): preset is ParameterPreset =>
      typeof preset === 'object' && preset !== null && typeof (preset as ParameterPreset).name === 'string' && typeof (preset as ParameterPreset).parameters === 'object',
  );
}

/** Saves the panel's parameters as a preset in the user's settings, under a name the user gives. */
async function savePreset(parameters: ChatParameters): Promise<void> {
  const presets = readPresets();
  const name = await vscode.window.showInputBox({
    title: 'Save Parameters as Preset',
    prompt: 'A name for these parameters (an existing preset of that name is replaced)',
    validateInput: (value) => (value.trim() === '' ? 'A preset needs a name.' : undefined),
  });
  if (name === undefined) return;
  const { format: _format, ...kept } = normalizeParameters(parameters);
  void _format; // a preset is about generation, the endpoint decides the format
  const preset: ParameterPreset = { name: name.trim(), parameters: kept };
  await vscode.workspace
    .getConfiguration('sagemaker.chat')
    .update('presets', [...presets.filter((other) => other.name !== preset.name), preset], vscode.ConfigurationTarget.Global);
}
