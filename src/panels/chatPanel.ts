// One chat panel per endpoint (opening it again focuses it): the webview renders the conversation
// that the endpoint's ChatSession keeps and streams.
import * as vscode from 'vscode';
import { DEFAULT_PARAMETERS, isPanelMessage, type ChatParameters, type PayloadFormat } from '../../webview/chat/protocol';
import type { Connection } from '../connection/connection';
import { ChatSession } from './chatSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

const BODY = `<header>
  <h1 id="title"></h1>
  <form id="parameters">
    <label>Format <select id="format"><option value="messages">Messages API</option><option value="tgi">TGI</option></select></label>
    <label>Max new tokens <input id="maxNewTokens" type="number" step="1"></label>
    <label>Temperature <input id="temperature" type="number" step="0.1"></label>
    <label>top_p <input id="topP" type="number" step="0.05"></label>
    <label>Seed <input id="seed" type="number" step="1" placeholder="random"></label>
  </form>
  <button id="clear" type="button" class="secondary">Clear</button>
</header>
<main id="transcript" role="log" aria-live="polite"></main>
<footer>
  <textarea id="prompt" rows="3" aria-label="Prompt" placeholder="Ask the model… (Enter to send, Shift+Enter for a new line)"></textarea>
  <div class="buttons"><button id="send" type="button">Send</button><button id="stop" type="button" class="secondary">Stop</button></div>
</footer>`;

export class ChatPanels implements vscode.Disposable {
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; session: ChatSession }>();

  constructor(
    private readonly connection: Connection,
    private readonly extensionUri: vscode.Uri,
  ) {}

  /** Opens (or focuses) the chat with `endpointName`; returns its session. */
  show(endpointName: string): ChatSession {
    const existing = this.open.get(endpointName);
    if (existing) {
      existing.panel.reveal();
      return existing.session;
    }
    const panel = vscode.window.createWebviewPanel('sagemaker.chat', `Chat: ${endpointName}`, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'sagemaker.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { script: 'chat.js', style: 'chat.css', body: BODY });
    const session = new ChatSession(endpointName, defaultParameters(), {
      runtime: () => this.connection.clients.sageMakerRuntime(),
      mode: () => {
        const current = this.connection.inspect(); // never throws: invalid settings are the failure shown
        return 'settings' in current ? current.settings.mode : 'emulator';
      },
      run: (action) => {
        if (action === 'showEndpoints') {
          // The view's focus command is VS Code's own; refreshing shows the endpoint's current status.
          void vscode.commands.executeCommand('sagemaker.endpoints.focus').then(() => vscode.commands.executeCommand('sagemaker.endpoints.refresh'));
        } else {
          void vscode.commands.executeCommand(action === 'startEmulator' ? 'sagemaker.startEmulator' : 'sagemaker.switchConnection');
        }
      },
    });
    this.open.set(endpointName, { panel, session });
    const subscriptions = [
      session.onMessage((message) => void panel.webview.postMessage(message)),
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (isPanelMessage(message)) session.handle(message);
      }),
    ];
    panel.onDidDispose(() => {
      session.dispose(); // stops an answer being streamed
      subscriptions.forEach((subscription) => subscription.dispose());
      this.open.delete(endpointName);
    });
    return session;
  }

  dispose(): void {
    for (const { panel } of this.open.values()) panel.dispose();
  }
}

/** A new chat's parameters, from the `sagemaker.chat.*` settings. */
function defaultParameters(): ChatParameters {
  const settings = vscode.workspace.getConfiguration('sagemaker.chat');
  return {
    format: settings.get<PayloadFormat>('payloadFormat', DEFAULT_PARAMETERS.format),
    maxNewTokens: settings.get<number>('maxNewTokens', DEFAULT_PARAMETERS.maxNewTokens),
    temperature: settings.get<number>('temperature', DEFAULT_PARAMETERS.temperature),
    topP: settings.get<number>('topP', DEFAULT_PARAMETERS.topP),
  };
}
