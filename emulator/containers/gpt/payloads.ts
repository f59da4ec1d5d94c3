// The request and response bodies of the LLM containers SageMaker users call: Hugging Face TGI
// (`{inputs, parameters, stream}` → `[{generated_text}]`, streamed as `data:{"token":…}` lines) and the
// OpenAI-style Messages API (`{messages, max_tokens, …}` → chat.completion, streamed as
// chat.completion.chunk events ending with `data: [DONE]`). Pure functions, so that each format is
// pinned by unit tests; the server only moves bytes.
import { DEFAULT_GENERATION, type FinishReason, type GeneratedToken, type GenerationParameters, type GenerationResult } from './generation';

export type PayloadFormat = 'tgi' | 'messages';

export interface ParsedRequest {
  format: PayloadFormat;
  prompt: string;
  parameters: GenerationParameters;
  stream: boolean;
  /** TGI's return_full_text: the prompt is prepended to the generated text. */
  returnFullText: boolean;
  /** TGI's details: the finish reason, token count and seed are included. */
  details: boolean;
  /** The Messages API's `model`, echoed back. */
  model: string;
}

/** A request the server refuses, with TGI's error body `{error, error_type}` and status. */
export class PayloadError extends Error {
  constructor(readonly status: number, message: string, readonly errorType = 'validation') {
    super(message);
  }

  body(): string {
    return JSON.stringify({ error: this.message, error_type: this.errorType });
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNumber(body: Json, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new PayloadError(422, `${name} must be a number`);
  }
  return value;
}

function stopSequences(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw new PayloadError(422, 'stop must be a string or a list of strings');
  }
  return list;
}

export function parseRequest(bodyText: string): ParsedRequest {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch (error) {
    throw new PayloadError(422, `Failed to parse the request body as JSON: ${(error as Error).message}`);
  }
  if (!isObject(body)) {
    throw new PayloadError(422, 'the request body must be a JSON object');
  }
  if ('messages' in body) {
    return parseMessagesRequest(body);
  }
  if ('inputs' in body) {
    return parseTgiRequest(body);
  }
  throw new PayloadError(422, 'expected a TGI request ({"inputs": …}) or a Messages API request ({"messages": […]})');
}

function parseTgiRequest(body: Json): ParsedRequest {
  if (typeof body.inputs !== 'string') {
    throw new PayloadError(422, 'inputs must be a string');
  }
  const parameters = body.parameters ?? {};
  if (!isObject(parameters)) {
    throw new PayloadError(422, 'parameters must be an object');
  }
  const temperature = optionalNumber(parameters, 'temperature');
  const topK = optionalNumber(parameters, 'top_k');
  const topP = optionalNumber(parameters, 'top_p');
  // As in TGI: greedy unless do_sample is set or a sampling control is given.
  const sample = parameters.do_sample === true || temperature !== undefined || topK !== undefined || topP !== undefined;
  if (temperature !== undefined && temperature <= 0) {
    throw new PayloadError(422, '`temperature` must be strictly positive');
  }
  return {
    format: 'tgi',
    prompt: body.inputs,
    parameters: {
      maxNewTokens: optionalNumber(parameters, 'max_new_tokens') ?? DEFAULT_GENERATION.maxNewTokens,
      temperature: sample ? temperature ?? 1 : 0,
      topK: topK ?? 0,
      topP: topP ?? 1,
      repetitionPenalty: optionalNumber(parameters, 'repetition_penalty') ?? 1,
      stop: stopSequences(parameters.stop),
      seed: optionalNumber(parameters, 'seed'),
    },
    stream: body.stream === true,
    returnFullText: parameters.return_full_text === true,
    details: parameters.details === true,
    model: 'gpt',
  };
}

/** A plain chat template: one `role: content` line per message, then `assistant:` for the answer. */
function chatPrompt(messages: unknown): string {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new PayloadError(422, 'messages must be a non-empty list');
  }
  const lines = messages.map((message: unknown) => {
    if (!isObject(message) || typeof message.role !== 'string') {
      throw new PayloadError(422, 'each message needs a role and a content');
    }
    const content = typeof message.content === 'string'
      ? message.content
      : Array.isArray(message.content)
        ? message.content.map((part: unknown) => (isObject(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('')
        : undefined;
    if (content === undefined) {
      throw new PayloadError(422, 'each message needs a role and a content');
    }
    return `${message.role}: ${content}\n`;
  });
  return `${lines.join('')}assistant:`;
}

function parseMessagesRequest(body: Json): ParsedRequest {
  return {
    format: 'messages',
    prompt: chatPrompt(body.messages),
    parameters: {
      maxNewTokens: optionalNumber(body, 'max_tokens') ?? DEFAULT_GENERATION.maxNewTokens,
      temperature: optionalNumber(body, 'temperature') ?? 1,
      topK: optionalNumber(body, 'top_k') ?? 0,
      topP: optionalNumber(body, 'top_p') ?? 1,
      repetitionPenalty: optionalNumber(body, 'repetition_penalty') ?? 1,
      stop: stopSequences(body.stop),
      seed: optionalNumber(body, 'seed'),
    },
    stream: body.stream === true,
    returnFullText: false,
    details: false,
    model: typeof body.model === 'string' ? body.model : 'gpt',
  };
}

/** The non-streaming response body. */
export function completeResponse(request: ParsedRequest, result: GenerationResult, id: string, created: number): Json | Json[] {
  if (request.format === 'tgi') {
    const generatedText = request.returnFullText ? request.prompt + result.text : result.text;
    return [request.details ? { generated_text: generatedText, details: tgiDetails(result) } : { generated_text: generatedText }];
  }
  return {
    id,
    object: 'chat.completion',
    created,
    model: request.model,
    choices: [{ index: 0, message: { role: 'assistant', content: beforeStop(result.text, result.stopSequence) }, finish_reason: messagesFinishReason(result.finishReason) }],
    usage: { prompt_tokens: result.promptTokens, completion_tokens: result.tokens.length, total_tokens: result.promptTokens + result.tokens.length },
  };
}

/** `text` up to the stop sequence that ended generation: OpenAI's APIs leave it out, TGI keeps it. */
function beforeStop(text: string, stopSequence: string | undefined): string {
  const at = stopSequence === undefined ? -1 : text.indexOf(stopSequence);
  return at < 0 ? text : text.slice(0, at);
}

function tgiDetails(result: GenerationResult): Json {
  return { finish_reason: result.finishReason, generated_tokens: result.tokens.length, seed: result.seed };
}

/** OpenAI's reasons: `stop` for a stop sequence and for the model's own end of text. */
function messagesFinishReason(reason: FinishReason): string {
  return reason === 'length' ? 'length' : 'stop';
}

/** Turns generated tokens into the server-sent events of a streaming response. */
export interface StreamEncoder {
  /** The event of a token that is not the last. */
  token(token: GeneratedToken): string;
  /** The events of the last token, through the end of the stream. */
  last(token: GeneratedToken, result: GenerationResult): string;
}

export function createStreamEncoder(request: ParsedRequest, id: string, created: number): StreamEncoder {
  return request.format === 'tgi' ? tgiStreamEncoder(request) : messagesStreamEncoder(request, id, created);
}

/** TGI: one `data:` line per token; the last also carries the whole text and the details. */
function tgiStreamEncoder(request: ParsedRequest): StreamEncoder {
  let index = 0;
  const event = (token: GeneratedToken, result: GenerationResult | undefined): string => `data:${JSON.stringify({
    index: index++,
    token: { id: token.id, text: token.text, logprob: token.logprob, special: token.special === true },
    generated_text: result ? (request.returnFullText ? request.prompt + result.text : result.text) : null,
    details: result ? tgiDetails(result) : null,
  })}\n\n`;
  return { token: (token) => event(token, undefined), last: event };
}

/**
 * Messages API: content deltas, then a chunk with the finish reason and `data: [DONE]`. Text that may
 * be the beginning of a stop sequence is held back until it is known not to be one, so that, as with
 * OpenAI, a stop sequence is never sent.
 */
function messagesStreamEncoder(request: ParsedRequest, id: string, created: number): StreamEncoder {
  const stops = request.parameters.stop.filter((stop) => stop.length > 0);
  let heldBack = '';
  let roleSent = false;
  const chunk = (delta: Json, finishReason: string | null): string => `data: ${JSON.stringify({
    id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, finish_reason: finishReason }],
  })}\n\n`;
  const content = (text: string): string => {
    if (roleSent && text === '') {
      return '';
    }
    const delta = roleSent ? { content: text } : { role: 'assistant', content: text };
    roleSent = true;
    return chunk(delta, null);
  };
  return {
    token(token) {
      heldBack += token.text;
      const keep = longestStopPrefixSuffix(heldBack, stops);
      const ready = heldBack.slice(0, heldBack.length - keep);
      heldBack = heldBack.slice(heldBack.length - keep);
      return content(ready);
    },
    last(token, result) {
      heldBack += token.special ? '' : token.text;
      return `${content(beforeStop(heldBack, result.stopSequence))}${chunk({}, messagesFinishReason(result.finishReason))}data: [DONE]\n\n`;
    },
  };
}

/** The length of the longest end of `text` that is the beginning of one of `stops` (and not all of it). */
function longestStopPrefixSuffix(text: string, stops: readonly string[]): number {
  let longest = 0;
  for (const stop of stops) {
    for (let length = Math.min(stop.length - 1, text.length); length > longest; length--) {
      if (text.endsWith(stop.slice(0, length))) {
        longest = length;
        break;
      }
    }
  }
  return longest;
}
