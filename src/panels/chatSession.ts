// One conversation with one endpoint, kept by the host: the turns, the parameters, the answer being
// streamed and how to stop it. The panel's webview only renders what this sends (and is rebuilt from
// it whenever the panel is shown again). No `vscode` import: the panel wires it to the webview.
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { HostMessage, PanelMessage } from '../../webview/chat/protocol';
import type { FailureContext } from '../failures/classify';
import type { NextStep } from '../failures/nextSteps';
import { describeChatFailure } from '../pipeline/chat/failures';
import { requestBody, type ChatMessage } from '../pipeline/chat/payloads';
import { streamAnswer } from '../pipeline/chat/stream';
import { normalizeParameters, type AssistantTurn, type ChatAction, type ChatParameters, type Turn } from '../pipeline/chat/types';

export interface ChatSessionHost {
  runtime(): Promise<SageMakerRuntimeClient>;
  /** Where calls go and how a local emulator is brought back, for the failure messages. */
  failureContext(): FailureContext;
  /** What a call found (nothing: it was answered), so that every view knows when the connection is down. */
  report(error?: unknown): void;
  /** Steps outside the chat: start the emulator, switch the connection, show the Endpoints view. */
  run(step: Exclude<NextStep, 'retry'>): void;
}

export class ChatSession {
  private turns: Turn[] = [];
  private nextId = 1;
  private parameters: ChatParameters;
  /** Aborts the answer being streamed, while there is one. */
  private running: AbortController | undefined;
  private readonly listeners = new Set<(message: HostMessage) => void>();

  constructor(
    readonly endpoint: string,
    parameters: ChatParameters,
    private readonly host: ChatSessionHost,
  ) {
    this.parameters = normalizeParameters(parameters);
  }

  /** Every message for the panel; the panel forwards them to its webview. */
  onMessage(listener: (message: HostMessage) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get currentParameters(): ChatParameters {
    return this.parameters;
  }

  get transcript(): readonly Turn[] {
    return this.turns;
  }

  handle(message: PanelMessage): void {
    switch (message.type) {
      case 'ready':
        this.postState();
        break;
      case 'send':
        if (!this.busy && message.prompt.trim() !== '') void this.send(message.prompt);
        break;
      case 'stop':
        this.stop();
        break;
      case 'clear':
        this.clear();
        break;
      case 'parameters':
        this.parameters = normalizeParameters(message.parameters);
        break;
      case 'action':
        this.act(message.action, message.turnId);
        break;
      case 'step':
        if (message.step !== 'retry') this.host.run(message.step);
        break;
    }
  }

  /** Sends the prompt and streams the answer into the transcript; resolves with the finished turn. */
  send(prompt: string): Promise<AssistantTurn> {
    if (this.running) {
      return Promise.reject(new Error('An answer is still being written: stop it first.'));
    }
    const { format } = this.parameters;
    const history = format === 'messages' ? this.history() : [];
    const body = requestBody(format, history, prompt, this.parameters);
    const user: Turn = { id: this.nextId++, role: 'user', text: prompt };
    const answer: AssistantTurn = { id: this.nextId++, role: 'assistant', text: '', format, state: 'streaming' };
    this.turns.push(user, answer);
    const controller = new AbortController();
    this.running = controller; // before the first await: a failure may end the run at once
    const run = async (): Promise<AssistantTurn> => {
      try {
        const streamed = await streamAnswer(await this.host.runtime(), this.endpoint, body, {
          signal: controller.signal,
          onText: (text) => {
            answer.text += text;
            this.post({ type: 'delta', id: answer.id, text });
          },
        });
        Object.assign(answer, { text: streamed.text, state: streamed.stopped ? 'stopped' : 'done', metrics: streamed.metrics });
        this.host.report();
      } catch (error) {
        this.host.report(error);
        Object.assign(answer, {
          state: 'failed',
          failure: describeChatFailure(error, { endpoint: this.endpoint, format, failure: this.host.failureContext() }),
        });
      }
      this.running = undefined;
      this.post({ type: 'turn', turn: { ...answer }, busy: false });
      return answer;
    };
    const finished = run();
    this.postState();
    return finished;
  }

  /** Stops the answer being written; what arrived stays, marked as stopped. */
  stop(): void {
    this.running?.abort();
  }

  clear(): void {
    this.stop();
    this.turns = [];
    this.postState();
  }

  /** The Messages API's conversation: every exchange that got an answer (a stopped one included). */
  private history(): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (let index = 0; index + 1 < this.turns.length; index++) {
      const [user, answer] = [this.turns[index], this.turns[index + 1]];
      if (user.role === 'user' && answer.role === 'assistant' && answer.state !== 'failed' && answer.text !== '') {
        messages.push({ role: 'user', content: user.text }, { role: 'assistant', content: answer.text });
        index++;
      }
    }
    return messages;
  }

  private act(action: ChatAction, turnId: number): void {
    if (action === 'retry' || action === 'useTgi' || action === 'useMessages') {
      if (action !== 'retry') {
        this.parameters = { ...this.parameters, format: action === 'useTgi' ? 'tgi' : 'messages' };
      }
      this.retry(turnId);
      return;
    }
    this.host.run(action);
  }

  /** Sends a failed answer's prompt again, in place of the failed exchange. */
  private retry(turnId: number): void {
    const index = this.turns.findIndex((turn) => turn.id === turnId);
    const user = this.turns[index - 1];
    if (this.busy || index < 1 || user.role !== 'user') return;
    this.turns.splice(index - 1, 2);
    void this.send(user.text);
  }

  private postState(): void {
    this.post({ type: 'state', endpoint: this.endpoint, turns: this.turns.map((turn) => ({ ...turn })), parameters: this.parameters, busy: this.busy });
  }

  private post(message: HostMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  dispose(): void {
    this.stop();
    this.listeners.clear();
  }
}
