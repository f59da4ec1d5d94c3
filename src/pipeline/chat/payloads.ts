// What the chat sends to an LLM endpoint and how it reads the streamed answer. Pure, unit-tested.
// Requests: the OpenAI-style Messages API (the conversation so far), Hugging Face TGI and LMI/DJL
// (the prompt alone, `inputs`/`parameters`), JumpStart Llama 2 chat models (the conversation as a
// dialog of messages in `inputs`, answered whole); the custom template is formats.ts's.
// Answers: server-sent events (`data:` lines, a blank line after each event), which arrive in
// PayloadParts cut anywhere — in the middle of a line or of a UTF-8 character — so bytes are
// buffered until a line is whole. JSON lines without `data:` (as LMI containers stream) and plain
// text events are read too.
import { normalizeParameters, type ChatParameters, type PayloadFormat } from './types';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The streaming request body. Messages API: the history and the new prompt, `max_tokens`. TGI: the
 * prompt as `inputs`; TGI refuses a temperature of 0 and a top_p of 1, so greedy decoding sends no
 * sampling parameters and a top_p of 1 is left out.
 */
export function requestBody(format: PayloadFormat, history: readonly ChatMessage[], prompt: string, parameters: ChatParameters): object {
  const { maxNewTokens, temperature, topP, seed, systemPrompt, stop } = normalizeParameters(parameters);
  if (format === 'messages') {
    return {
      messages: [...(systemPrompt ? [{ role: 'system', content: systemPrompt }] : []), ...history, { role: 'user', content: prompt }],
      max_tokens: maxNewTokens,
      temperature,
      top_p: topP,
      ...(seed === undefined ? {} : { seed }),
      ...(stop ? { stop } : {}),
      stream: true,
    };
  }
  const sampling = temperature > 0 ? { do_sample: true, temperature, ...(topP < 1 ? { top_p: topP } : {}) } : {};
  if (format === 'jumpstart') {
    // A JumpStart Llama 2 chat model (meta-textgeneration-llama-2-*-f), as AWS documents calling it
    // (aws/amazon-sagemaker-examples, generative_ai/sm-jumpstart_llama_2_chat_completion.ipynb,
    // formerly introduction_to_amazon_algorithms/jumpstart-foundation-models/llama-2-chat-completion.ipynb):
    // a batch of one dialog of {role, content} (system first, then user and assistant alternating,
    // ending with the user's turn) as `inputs`, and max_new_tokens, temperature and top_p as
    // parameters — a temperature "must be a positive float" there, so greedy decoding sends none.
    // Stop sequences go as `parameters.stop`, a list of strings: JumpStart's Llama 2 service (its
    // DJL `model.py`) passes `parameters` through `add_stopping_criteria_to_model_kwargs`, and
    // JumpStart's text models document `stop` as "a list of strings. Text generation stops if any one
    // of the specified strings is generated". No seed: the model takes none (formats.ts notSentNote
    // says so on the answer). It answers whole, [{"generation": {"role": "assistant", "content": …}}]
    // (no `stream` flag), and needs accept_eula=true in CustomAttributes (formats.ts) once accepted.
    return {
      inputs: [[...(systemPrompt ? [{ role: 'system', content: systemPrompt }] : []), ...history, { role: 'user', content: prompt }]],
      parameters: { max_new_tokens: maxNewTokens, ...(temperature > 0 ? { temperature, ...(topP < 1 ? { top_p: topP } : {}) } : {}), ...(stop ? { stop } : {}) },
    };
  }
  if (format === 'custom') {
    throw new Error('The custom format is written by its template (formats.ts encodeRequest).');
  }
  return {
    // TGI and LMI have no roles: the system prompt goes before the prompt, a blank line between.
    inputs: systemPrompt ? `${systemPrompt}\n\n${prompt}` : prompt,
    parameters: {
      max_new_tokens: maxNewTokens,
      ...sampling,
      ...(seed === undefined ? {} : { seed }),
      ...(stop ? { stop } : {}),
      // TGI's `details` puts the finish reason on the last token; LMI takes no such flag.
      ...(format === 'tgi' ? { details: true } : {}),
    },
    stream: true,
  };
}

/** Characters sent as the conversation by default: about 3,000 tokens at ~4 characters a token. */
export const DEFAULT_CONTEXT_CHARACTERS = 12_000;

/**
 * The most recent exchanges (user + assistant pairs) whose text, with the new prompt and the system
 * prompt, fits in `budget` characters; how many older exchanges were left out. The new prompt is
 * always sent, even alone over the budget (the model server then says it is too long).
 */
export function fitHistory(history: readonly ChatMessage[], prompt: string, systemPrompt: string | undefined, budget: number): { messages: ChatMessage[]; droppedExchanges: number } {
  let used = prompt.length + (systemPrompt?.length ?? 0);
  let start = history.length;
  // Whole exchanges, newest first: a user message is never sent without its answer.
  while (start >= 2) {
    const size = history[start - 2].content.length + history[start - 1].content.length;
    if (used + size > budget) break;
    used += size;
    start -= 2;
  }
  return { messages: history.slice(start), droppedExchanges: start / 2 };
}

/** Bytes of PayloadParts in, the data of each whole server-sent event out. */
export class ServerSentEvents {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private data: string[] = [];

  /** The events completed by these bytes. */
  push(bytes: Uint8Array): string[] {
    this.buffer += this.decoder.decode(bytes, { stream: true });
    return this.drain();
  }

  /** The events left when the stream ends, e.g. a last line without its newline. */
  end(): string[] {
    this.buffer += this.decoder.decode();
    const events = this.drain();
    if (this.buffer !== '') {
      this.line(this.buffer, events);
      this.buffer = '';
    }
    this.dispatch(events);
    return events;
  }

  private drain(): string[] {
    const events: string[] = [];
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      this.line(line.endsWith('\r') ? line.slice(0, -1) : line, events);
    }
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === '') {
      this.dispatch(events);
    } else if (line.startsWith('{') || line.startsWith('[')) {
      // A JSON line without `data:` is an event by itself.
      this.dispatch(events);
      events.push(line);
    } else if (line.startsWith('data:')) {
      this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
    // `event:`, `id:`, `retry:` and `:` comments carry nothing the chat shows.
  }

  private dispatch(events: string[]): void {
    if (this.data.length > 0) {
      events.push(this.data.join('\n'));
      this.data = [];
    }
  }
}

/** What one event adds to the answer. */
export interface StreamEvent {
  text: string;
  /** Tokens this event stands for. */
  tokens: number;
  finishReason?: string;
  /** `[DONE]`: nothing follows. */
  done?: boolean;
  /** The model server reported an error in the stream. */
  error?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One event of any of the formats, told apart by its shape. */
export function parseStreamEvent(data: string): StreamEvent {
  if (data.trim() === '[DONE]') {
    return { text: '', tokens: 0, done: true };
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { text: data, tokens: 1 }; // a server that streams plain text
  }
  const error = errorText(value);
  if (error !== undefined) {
    return { text: '', tokens: 0, error };
  }
  if (Array.isArray(value)) {
    // A whole TGI answer, from a server that does not stream: [{"generated_text": …}]; a JumpStart
    // Llama 2 chat model's (it never streams): [{"generation": {"role", "content"}}]
    const first: unknown = value[0];
    if (isObject(first) && isObject(first.generation) && typeof first.generation.content === 'string') return { text: first.generation.content, tokens: 0 };
    return { text: isObject(first) && typeof first.generated_text === 'string' ? first.generated_text : '', tokens: 0 };
  }
  if (!isObject(value)) {
    return { text: '', tokens: 0 };
  }
  if (Array.isArray(value.choices)) {
    // Messages API: chat.completion.chunk (or a whole chat.completion)
    const choice: unknown = value.choices[0];
    if (!isObject(choice)) return { text: '', tokens: 0 };
    const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : {};
    const text = typeof delta.content === 'string' ? delta.content : '';
    const finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined;
    return { text, tokens: text === '' ? 0 : 1, ...(finishReason ? { finishReason } : {}) };
  }
  if (isObject(value.token)) {
    // TGI / LMI: one token per event; special tokens (end of text) are not shown.
    const text = value.token.special === true || typeof value.token.text !== 'string' ? '' : value.token.text;
    const finishReason = isObject(value.details) && typeof value.details.finish_reason === 'string' ? value.details.finish_reason : undefined;
    return { text, tokens: 1, ...(finishReason ? { finishReason } : {}) };
  }
  if (typeof value.generated_text === 'string') {
    return { text: value.generated_text, tokens: 0 };
  }
  return { text: '', tokens: 0 };
}

/** The message of an error body: TGI `{error, error_type}`, OpenAI `{error: {message}}`, `{message}`. */
function errorText(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.error === 'string') return value.error;
  if (isObject(value.error) && typeof value.error.message === 'string') return value.error.message;
  if (value.object === 'error' && typeof value.message === 'string') return value.message;
  return undefined;
}

/** The useful part of a model server's error body (ModelError's OriginalMessage), for display. */
export function modelErrorMessage(body: string | undefined): string | undefined {
  if (body === undefined || body.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(body);
    const error = errorText(value);
    if (error !== undefined) return error;
    if (isObject(value)) {
      for (const key of ['message', 'Message', 'detail', 'errorMessage']) {
        if (typeof value[key] === 'string') return value[key] as string;
      }
    }
  } catch {
    // not JSON: the text itself
  }
  return body.length > 500 ? `${body.slice(0, 500)}…` : body;
}
