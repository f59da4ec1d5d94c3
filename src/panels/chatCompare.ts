// Compare: one prompt to two endpoints (or one endpoint with two parameter sets), both answers
// streamed at once, each with its own figures (time to first token, tokens/s). Each side is spoken to
// in its endpoint's remembered format (probed first when there is none, or when the endpoint was
// updated since); the prompt goes alone, not
// with the conversation, so the two answers differ only by what is compared. No `vscode` import.
import type { HostMessage } from '../../webview/chat/protocol';
import { describeChatFailure } from '../pipeline/chat/failures';
import { encodeRequest, eventReader } from '../pipeline/chat/formats';
import { streamAnswer } from '../pipeline/chat/stream';
import { normalizeParameters, type CompareAnswer, type CompareSide } from '../pipeline/chat/types';
import type { ChatSessionHost } from './chatSessionHost';

export const COMPARE_SIDES = 2;

export class Comparison {
  private running: AbortController | undefined;

  constructor(
    private readonly host: Pick<ChatSessionHost, 'runtime' | 'formats' | 'failureContext' | 'report'>,
    private readonly post: (message: HostMessage) => void,
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Streams both sides in parallel; resolves with both answers once both ended. */
  async run(prompt: string, sides: readonly CompareSide[]): Promise<CompareAnswer[]> {
    if (this.running) throw new Error('A comparison is still running: stop it first.');
    if (sides.length !== COMPARE_SIDES) throw new Error(`Compare takes ${COMPARE_SIDES} sides; it got ${sides.length}.`);
    const controller = new AbortController();
    this.running = controller;
    const answers: CompareAnswer[] = sides.map((side) => ({ endpoint: side.endpoint, text: '', state: 'streaming' }));
    this.post({ type: 'compareStart', prompt, sides: sides.map((side) => ({ ...side, parameters: normalizeParameters(side.parameters) })), busy: true });
    try {
      await Promise.all(sides.map((side, index) => this.runSide(index, prompt, side, answers[index], controller.signal)));
    } finally {
      this.running = undefined;
      this.post({ type: 'compareEnd', busy: false });
    }
    return answers;
  }

  private async runSide(side: number, prompt: string, { endpoint, parameters }: CompareSide, answer: CompareAnswer, signal: AbortSignal): Promise<void> {
    try {
      const runtime = await this.host.runtime();
      const spec = await this.host.formats.resolve(runtime, endpoint, signal);
      if (!spec) throw new Error(`${endpoint} answered none of the known formats: open its chat and pick one under Format.`);
      answer.format = spec.format;
      this.post({ type: 'compareSide', side, answer: { ...answer } });
      const request = encodeRequest(spec, [], prompt, normalizeParameters({ ...parameters, format: spec.format }));
      const streamed = await streamAnswer(runtime, endpoint, request.body, {
        signal,
        ...(request.customAttributes ? { customAttributes: request.customAttributes } : {}),
        readEvent: eventReader(spec),
        onText: (text) => {
          answer.text += text;
          this.post({ type: 'compareDelta', side, text });
        },
      });
      Object.assign(answer, { text: streamed.text, state: streamed.stopped ? 'stopped' : 'done', metrics: streamed.metrics });
      this.host.report();
    } catch (error) {
      if (signal.aborted) {
        answer.state = 'stopped';
      } else {
        this.host.report(error);
        answer.state = 'failed';
        answer.failure = describeChatFailure(error, { endpoint, format: answer.format ?? 'messages', failure: this.host.failureContext() });
      }
    }
    this.post({ type: 'compareSide', side, answer: { ...answer } });
  }

  stop(): void {
    this.running?.abort();
  }
}
