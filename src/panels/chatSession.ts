// One conversation with one endpoint, kept by the host: the turns, the parameters, the answer being
// streamed and how to stop it; Regenerate, edit-and-resend, and the request capped to the context
// budget (oldest exchanges left out, noted on the answer). The endpoint's payload format comes from
// the format memory: probed on the first prompt (the steps shown in the panel), overridden by the
// user's pick, a JumpStart model's EULA accepted from the failure's button; Compare sends one
// prompt to two endpoints or parameter sets (chatCompare.ts) and is kept in the conversation. Saved
// through the host after every change. The panel's webview only renders what this sends (and is rebuilt from it whenever the
// panel is shown again). No `vscode` import: the panel wires it to the webview.
import type { HostMessage, PanelMessage } from '../../webview/chat/protocol';
import { describeChatFailure } from '../pipeline/chat/failures';
import { randomUUID } from 'node:crypto';
import { defaultTitle, isDefaultTitle, type StoredConversation } from '../pipeline/chat/conversations';
import { carriesHistory, encodeRequest, eventReader, FORMAT_LABELS, notSentNote, templateProblem, type CustomTemplate, type EndpointFormat, type ProbeStep } from '../pipeline/chat/formats';
import { fitHistory, type ChatMessage } from '../pipeline/chat/payloads';
import { streamAnswer } from '../pipeline/chat/stream';
import {
  compareSideLabel,
  normalizeParameters,
  type AssistantTurn,
  type ChatAction,
  type ChatFailure,
  type ChatParameters,
  type CompareAnswer,
  type CompareSide,
  type ComparisonTurn,
  type PayloadFormat,
  type Turn,
} from '../pipeline/chat/types';
import { Comparison } from './chatCompare';
import type { ChatSessionHost } from './chatSessionHost';

/** A failure decided before any request: no known format answered, or a licence to accept first. */
class FormatFailure extends Error {
  constructor(readonly failure: ChatFailure) {
    super(failure.message);
  }
}

export class ChatSession {
  private turns: Turn[] = [];
  private nextId = 1;
  private parameters: ChatParameters;
  private conversation: Pick<StoredConversation, 'id' | 'title' | 'createdAt'> & { named: boolean };
  /** Aborts the answer being streamed, while there is one. */
  private running: AbortController | undefined;
  private readonly listeners = new Set<(message: HostMessage) => void>();
  /** The probe running now, and its last steps (shown beside Format). */
  private detecting = false;
  private lastProbe: ProbeStep[] | undefined;
  private formatProblem: string | undefined;
  readonly comparison: Comparison;

  constructor(
    readonly endpoint: string,
    parameters: ChatParameters,
    private readonly host: ChatSessionHost,
    stored?: StoredConversation,
  ) {
    this.parameters = normalizeParameters(stored?.parameters ?? parameters);
    this.conversation = this.fresh();
    this.comparison = new Comparison(host, (message) => this.post(message));
    if (stored) this.load(stored);
    this.followRemembered();
  }

  /** The endpoint's format as remembered (none until the probe or the user decides it). */
  get endpointFormat(): EndpointFormat | undefined {
    return this.host.formats.get(this.endpoint);
  }

  /** Whether the remembered format was checked against what the endpoint runs now (once a session, again after a failure). */
  private formatChecked: Promise<unknown> | undefined;

  /** The remembered format, if it was remembered for the configuration the endpoint runs now. */
  private async checkedFormat(): Promise<EndpointFormat | undefined> {
    this.formatChecked ??= this.host.formats.current(this.endpoint).finally(() => this.postFormat());
    await this.formatChecked;
    return this.endpointFormat; // read again: a pick made meanwhile holds
  }

  /** The parameters' format follows the endpoint's remembered one. */
  private followRemembered(): void {
    const remembered = this.endpointFormat;
    if (remembered) this.parameters = { ...this.parameters, format: remembered.format };
  }

  /** The user's pick over the probe's (a custom template and an accepted EULA are kept). */
  async chooseFormat(format: PayloadFormat, template?: CustomTemplate): Promise<void> {
    const before = this.endpointFormat;
    const chosenTemplate = template ?? before?.template;
    this.formatProblem = format === 'custom' ? templateProblem(chosenTemplate) : undefined;
    this.parameters = { ...this.parameters, format };
    if (this.formatProblem === undefined) {
      await this.host.formats.set(this.endpoint, {
        format,
        how: 'chosen',
        ...(before?.acceptEula ? { acceptEula: true } : {}),
        ...(chosenTemplate ? { template: chosenTemplate } : {}),
        ...(before?.probe ? { probe: before.probe } : {}),
      });
    }
    this.postFormat();
  }

  /**
   * Runs the probe now (the panel's Detect button, or the first prompt to an endpoint with no
   * remembered format); the steps are shown as they end. Resolves with the format remembered after it.
   */
  async detectFormat(signal?: AbortSignal): Promise<{ found?: EndpointFormat; needsEula?: boolean }> {
    this.detecting = true;
    this.formatProblem = undefined;
    this.postFormat();
    try {
      const result = await this.host.formats.detect(await this.host.runtime(), this.endpoint, signal);
      this.lastProbe = result.steps;
      this.followRemembered();
      return result;
    } finally {
      this.detecting = false;
      this.postFormat();
      this.postState();
    }
  }

  /** Accepts a JumpStart model's EULA for this endpoint: accept_eula=true goes with every request. */
  async acceptEula(): Promise<void> {
    const before = this.endpointFormat;
    await this.host.formats.set(this.endpoint, { ...(before ?? { how: 'chosen' }), format: 'jumpstart', acceptEula: true });
    this.followRemembered();
    this.postFormat();
  }

  private postFormat(): void {
    const remembered = this.endpointFormat;
    this.post({
      type: 'format',
      detecting: this.detecting,
      ...(remembered ? { endpointFormat: remembered } : {}),
      ...(this.lastProbe && !remembered?.probe ? { probe: this.lastProbe } : {}),
      ...(this.formatProblem ? { problem: this.formatProblem } : {}),
    });
  }

  private fresh(): ChatSession['conversation'] {
    return { id: randomUUID(), title: 'New conversation', createdAt: Date.now(), named: false };
  }

  /** Shows a kept conversation in place of this one (which was saved as it went). */
  load(stored: StoredConversation): void {
    this.stop();
    this.turns = stored.turns.map((turn) => (turn.role === 'assistant' && turn.state === 'streaming' ? { ...turn, state: 'stopped' } : { ...turn }));
    this.nextId = Math.max(0, ...this.turns.map((turn) => turn.id)) + 1;
    this.parameters = normalizeParameters(stored.parameters);
    this.followRemembered();
    this.conversation = { id: stored.id, title: stored.title, createdAt: stored.createdAt, named: !isDefaultTitle(stored.title, stored.turns) };
    this.postState();
  }

  get conversationId(): string {
    return this.conversation.id;
  }

  /** The conversation as kept. */
  snapshot(): StoredConversation {
    return {
      id: this.conversation.id,
      endpoint: this.endpoint,
      title: this.conversation.named ? this.conversation.title : defaultTitle(this.turns),
      createdAt: this.conversation.createdAt,
      updatedAt: Date.now(),
      parameters: this.parameters,
      turns: this.turns.map((turn) => ({ ...turn })),
    };
  }

  /** A name the user gave (kept even when the first prompt changes). */
  rename(title: string): void {
    this.conversation = { ...this.conversation, title, named: true };
  }

  private save(): void {
    if (this.turns.length > 0) this.host.save(this.snapshot());
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
        // The format is the endpoint's (probed or chosen through chooseFormat), not a parameter.
        this.parameters = normalizeParameters({ ...message.parameters, format: this.parameters.format });
        break;
      case 'chooseFormat':
        void this.chooseFormat(message.format);
        break;
      case 'template':
        void this.chooseFormat('custom', message.template);
        break;
      case 'detectFormat':
        if (!this.busy) void this.detectFormat().catch((error: unknown) => this.host.report(error));
        break;
      case 'acceptEula':
        void this.acceptEula();
        break;
      case 'compare':
        if (message.prompt.trim() !== '') void this.compare(message.prompt, message.sides);
        break;
      case 'stopCompare':
        this.comparison.stop();
        break;
      case 'listEndpoints':
        void this.host.endpoints().then(
          (names) => this.post({ type: 'endpoints', names }),
          (error: unknown) => this.host.report(error),
        );
        break;
      case 'action':
        this.act(message.action, message.turnId);
        break;
      case 'regenerate':
        this.regenerate(message.turnId);
        break;
      case 'edit':
        if (message.prompt.trim() !== '') this.edit(message.turnId, message.prompt);
        break;
      case 'step':
        if (message.step !== 'retry') this.host.run(message.step);
        break;
    }
  }

  /**
   * Sends the prompt and streams the answer into the transcript; resolves with the finished turn. On
   * an endpoint with no remembered format the probe runs first (its steps shown beside Format).
   */
  send(prompt: string): Promise<AssistantTurn> {
    if (this.running) {
      return Promise.reject(new Error('An answer is still being written: stop it first.'));
    }
    const user: Turn = { id: this.nextId++, role: 'user', text: prompt };
    const answer: AssistantTurn = { id: this.nextId++, role: 'assistant', text: '', format: this.parameters.format, state: 'streaming' };
    this.turns.push(user, answer);
    const controller = new AbortController();
    this.running = controller; // before the first await: a failure may end the run at once
    const run = async (): Promise<AssistantTurn> => {
      try {
        let spec = await this.checkedFormat();
        if (!spec) {
          const detected = await this.detectFormat(controller.signal);
          if (!detected.found) throw new FormatFailure(noFormatFailure(this.endpoint, this.lastProbe ?? []));
          spec = detected.found;
        }
        answer.format = spec.format;
        if (spec.format === 'jumpstart' && !spec.acceptEula && this.lastProbe?.some((step) => step.outcome === 'needsEula')) {
          throw new FormatFailure(eulaFailure(this.lastProbe.find((step) => step.outcome === 'needsEula')!.detail));
        }
        // Only the newest exchanges that fit the context budget are sent; the answer notes the rest.
        const { messages: history, droppedExchanges } = carriesHistory(spec)
          ? fitHistory(this.history(), prompt, this.parameters.systemPrompt, this.host.contextCharacters())
          : { messages: [], droppedExchanges: 0 };
        if (droppedExchanges > 0) answer.droppedExchanges = droppedExchanges;
        const notSent = notSentNote(spec, this.parameters);
        if (notSent) answer.notSent = notSent;
        const request = encodeRequest(spec, history, prompt, { ...this.parameters, format: spec.format });
        const streamed = await streamAnswer(await this.host.runtime(), this.endpoint, request.body, {
          signal: controller.signal,
          ...(request.customAttributes ? { customAttributes: request.customAttributes } : {}),
          readEvent: eventReader(spec),
          onText: (text) => {
            answer.text += text;
            this.post({ type: 'delta', id: answer.id, text });
          },
        });
        Object.assign(answer, { text: streamed.text, state: streamed.stopped ? 'stopped' : 'done', metrics: streamed.metrics });
        this.host.report();
      } catch (error) {
        // The endpoint may have been updated to another model: the next prompt checks again.
        this.formatChecked = undefined;
        if (error instanceof FormatFailure) {
          Object.assign(answer, { state: 'failed', failure: error.failure });
        } else if (controller.signal.aborted) {
          Object.assign(answer, { state: 'stopped' });
        } else {
          this.host.report(error);
          Object.assign(answer, {
            state: 'failed',
            failure: describeChatFailure(error, { endpoint: this.endpoint, format: answer.format, failure: this.host.failureContext() }),
          });
        }
      }
      this.running = undefined;
      this.post({ type: 'turn', turn: { ...answer }, busy: false });
      this.save();
      return answer;
    };
    const finished = run();
    this.postState();
    return finished;
  }

  /**
   * Compare: the prompt to both sides at once (chatCompare.ts); once both ended, kept in the
   * conversation where it ran — each side's label, parameters, answer and figures — and saved with it.
   */
  async compare(prompt: string, sides: readonly CompareSide[]): Promise<ComparisonTurn | undefined> {
    let answers: CompareAnswer[];
    try {
      answers = await this.comparison.run(prompt, sides);
    } catch (error) {
      this.host.report(error);
      return undefined;
    }
    const turn: ComparisonTurn = {
      id: this.nextId++,
      role: 'compare',
      prompt,
      sides: sides.map((side, index) => ({ ...side, parameters: normalizeParameters(side.parameters), label: compareSideLabel(index, side), answer: answers[index] })),
    };
    this.turns.push(turn);
    this.post({ type: 'turn', turn: structuredClone(turn), busy: this.busy });
    this.save();
    return turn;
  }

  /** Stops the answer being written; what arrived stays, marked as stopped. */
  stop(): void {
    this.running?.abort();
  }

  /** Starts a new conversation (the current one stays kept). */
  clear(): void {
    this.stop();
    this.save();
    this.turns = [];
    this.conversation = this.fresh();
    this.postState();
  }

  /** Asks again for an answer: the exchange is replaced by a new one with the same prompt. */
  regenerate(turnId: number): Promise<AssistantTurn> | undefined {
    return this.retry(turnId);
  }

  /**
   * Sends an edited user turn: the conversation from that turn on is replaced by the new prompt and
   * its answer (what came after it was an answer to the old text).
   */
  edit(turnId: number, prompt: string): Promise<AssistantTurn> | undefined {
    const index = this.turns.findIndex((turn) => turn.id === turnId && turn.role === 'user');
    if (this.busy || index < 0) return undefined;
    this.turns.splice(index);
    return this.send(prompt);
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
    switch (action) {
      case 'retry':
        void this.retry(turnId);
        return;
      case 'useTgi':
      case 'useMessages':
        void this.chooseFormat(action === 'useTgi' ? 'tgi' : 'messages').then(() => this.retry(turnId));
        return;
      case 'acceptEula':
        void this.acceptEula().then(() => this.retry(turnId));
        return;
      case 'detectFormat':
        // Forgotten, so that the retried prompt probes again first.
        void this.host.formats.forget(this.endpoint).then(() => this.retry(turnId));
        return;
      default:
        this.host.run(action);
    }
  }

  /** Sends an answer's prompt again, in place of that exchange (and of anything after it). */
  private retry(turnId: number): Promise<AssistantTurn> | undefined {
    const index = this.turns.findIndex((turn) => turn.id === turnId);
    const user = this.turns[index - 1];
    if (this.busy || index < 1 || user.role !== 'user') return undefined;
    this.turns.splice(index - 1);
    return this.send(user.text);
  }

  /** Everything, to the panel: after it is (re)built, and whenever turns come or go. */
  postState(): void {
    this.post({
      type: 'state',
      endpoint: this.endpoint,
      title: this.snapshot().title,
      turns: this.turns.map((turn) => ({ ...turn })),
      parameters: this.parameters,
      presets: this.host.presets(),
      busy: this.busy,
    });
    this.postFormat();
  }

  private post(message: HostMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  dispose(): void {
    this.stop();
    this.comparison.stop();
    this.listeners.clear();
  }
}

/** No format the probe knows was answered: the steps say what each refusal was; Custom is next. */
function noFormatFailure(endpoint: string, steps: readonly ProbeStep[]): ChatFailure {
  return {
    title: `${endpoint} answered none of the known formats`,
    message: steps.map((step) => `${FORMAT_LABELS[step.format]}: ${step.detail}`).join('\n'),
    detail: 'Pick a format under Format — Custom template writes the request your container expects and reads the answer from a path.',
    actions: ['detectFormat'],
  };
}

function eulaFailure(said: string): ChatFailure {
  return {
    title: 'The model needs its licence (EULA) accepted',
    message: said,
    detail: 'Accepting sends accept_eula=true in CustomAttributes with every request to this endpoint (remembered for it). Read the model\'s EULA on its JumpStart model card first.',
    actions: ['acceptEula'],
  };
}
