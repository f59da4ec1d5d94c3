// One chat panel per endpoint (opening it again focuses it): the webview renders the conversation
// that the endpoint's ChatSession keeps and streams, under a banner that says when the connection is
// down (the same words and buttons as the views' error node) and clears itself when it is back.
import * as vscode from 'vscode';
import { CHAT_BODY } from '../../webview/chat/markup';
import { DEFAULT_PARAMETERS, isPanelMessage, type ChatParameters, type HostMessage, type PayloadFormat } from '../../webview/chat/protocol';
import type { Services } from '../workbench';
import { ChatSession } from './chatSession';
import { webviewHtml, webviewOptions } from './webviewHtml';

export class ChatPanels implements vscode.Disposable {
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; session: ChatSession }>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly services: Services,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.subscription = services.connection.onDidChangeState(() => {
      for (const { panel } of this.open.values()) this.postBanner(panel);
    });
  }

  /** Opens (or focuses) the chat with `endpointName`; returns its session. */
  show(endpointName: string): ChatSession {
    const existing = this.open.get(endpointName);
    if (existing) {
      existing.panel.reveal();
      return existing.session;
    }
    const { connection, failures } = this.services;
    const panel = vscode.window.createWebviewPanel('sagemaker.chat', `Chat: ${endpointName}`, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'sagemaker.svg');
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { script: 'chat.js', style: 'chat.css', body: CHAT_BODY });
    const session = new ChatSession(endpointName, defaultParameters(), {
      runtime: () => connection.clients.sageMakerRuntime(),
      failureContext: () => failures.context(),
      report: (error) => connection.report(error),
      run: (step) => void failures.run(step, connection.failure === undefined ? {} : failures.classify(connection.failure)),
    });
    this.open.set(endpointName, { panel, session });
    const subscriptions = [
      session.onMessage((message) => void panel.webview.postMessage(message)),
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isPanelMessage(message)) return;
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

  /** The connection's failure, or none, to the panel's banner. */
  private postBanner(panel: vscode.WebviewPanel): void {
    const failure = this.services.failures.connectionFailure();
    const message: HostMessage = { type: 'banner', failure: failure && { title: failure.title, message: failure.message, steps: failure.steps } };
    void panel.webview.postMessage(message);
  }

  dispose(): void {
    this.subscription.dispose();
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
