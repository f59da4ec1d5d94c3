// The tiny "echo" model servers' formats: each answers the last user message back, word by word, in
// the request and response shapes of one family of SageMaker LLM containers, so the chat and the
// prompt tests meet every format for real. Word-by-word tokens make max-new-tokens and stop
// sequences observable. Pure: the HTTP side is in server.ts.
//   messages  — OpenAI-style Messages API (vLLM / TGI / LMI's /v1/chat/completions), SSE when `stream`
//   tgi       — Hugging Face TGI: {inputs, parameters, stream}, SSE token events or [{generated_text}]
//   lmi       — DJL/LMI: {inputs, parameters, stream}, {generated_text} or JSON lines of {token}
//   jumpstart — a JumpStart Llama 2 chat model (meta-textgeneration-llama-2-*-f) as AWS documents it
//               (aws/amazon-sagemaker-examples, generative_ai/sm-jumpstart_llama_2_chat_completion.ipynb):
//               needs accept_eula=true in CustomAttributes (refused as JumpStart's DJL service
//               refuses: 424, DJL's error body); {inputs: [[{role, content}, …]], parameters:
//               {max_new_tokens, temperature, top_p, stop}} — a batch of one dialog, system first,
//               then user and assistant alternating (the last user turn is answered), `stop` a list
//               of strings; answers whole, [{generation: {role: "assistant", content}}], even when
//               asked for a stream
//   custom    — a made-up shape for the custom template: {prompt, max_length}, {output: {text}},
//               stream lines {delta: {text}}

export const ECHO_FORMATS = ['messages', 'tgi', 'lmi', 'jumpstart', 'custom'] as const;
export type EchoFormat = (typeof ECHO_FORMATS)[number];

export class EchoRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The error body as the container writes it, when it is not the echo servers' `{error, error_type}`. */
    readonly body?: string,
  ) {
    super(message);
  }
}

/**
 * JumpStart's Llama 2 service (its DJL Python `model.py`) refuses a request without accept_eula=true
 * in CustomAttributes with `Output().error(ACCEPT_EULA_ERROR_MESSAGE_STR)`: DJL's `Output.error`
 * answers 424 with `{"code", "message": "prediction failure", "error"}`, written by its JSON encoder
 * with an indent of 2 and separators (",", ":"). The message is the service's, word for word.
 */
export const JUMPSTART_EULA_MESSAGE =
  "Need to pass custom_attributes='accept_eula=true' as part of header. This means you have read and accept the " +
  'end-user license agreement (EULA) of the model. EULA can be found in model card description or from ' +
  'https://ai.meta.com/resources/models-and-libraries/llama-downloads/.';
export const JUMPSTART_EULA_BODY = JSON.stringify({ code: 424, message: 'prediction failure', error: JUMPSTART_EULA_MESSAGE }, null, 2).replace(/": /g, '":');

export interface EchoRequest {
  /** The text answered back. */
  prompt: string;
  maxNewTokens: number;
  stop: string[];
  stream: boolean;
}

export interface EchoAnswer {
  tokens: string[];
  finishReason: 'length' | 'stop' | 'stop_sequence';
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function lastUserMessage(messages: unknown, where: string): string {
  if (!Array.isArray(messages) || messages.length === 0) throw new EchoRequestError(400, `${where} must be a non-empty array of {role, content}`);
  const users = messages.filter((message): message is Json => isObject(message) && message.role === 'user' && typeof message.content === 'string');
  if (users.length === 0) throw new EchoRequestError(400, `${where} has no user message`);
  return users[users.length - 1].content as string;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function stops(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((stop): stop is string => typeof stop === 'string' && stop !== '') : [];
}

/**
 * The dialog of a JumpStart Llama 2 chat request, checked as that model documents its input: one
 * dialog (a batch of one), roles system (first only), then user and assistant alternating, ending
 * with the user. Its last turn is what is answered back.
 */
function jumpStartDialog(inputs: unknown): string {
  if (!Array.isArray(inputs) || !inputs.every(Array.isArray)) throw new EchoRequestError(400, 'inputs must be a list of dialogs, each a list of {role, content}');
  if (inputs.length !== 1) throw new EchoRequestError(400, `this model takes a batch of one dialog; inputs has ${inputs.length}`);
  const dialog = inputs[0] as unknown[];
  const turns = dialog[0] && isObject(dialog[0]) && dialog[0].role === 'system' ? dialog.slice(1) : dialog;
  if (turns.length === 0) throw new EchoRequestError(400, 'the dialog has no user turn');
  turns.forEach((turn, index) => {
    const role = index % 2 === 0 ? 'user' : 'assistant';
    if (!isObject(turn) || turn.role !== role || typeof turn.content !== 'string') {
      throw new EchoRequestError(400, "the dialog's roles must be 'system' (first, optional), then 'user' and 'assistant' alternating (u/a/u/a/u...)");
    }
  });
  if (turns.length % 2 === 0) throw new EchoRequestError(400, "the dialog must end with the user's turn");
  return (turns[turns.length - 1] as Json).content as string;
}

/** A JumpStart Llama 2 chat parameter that is given must be what its notebook says it must be. */
function jumpStartParameters(parameters: Json): void {
  const { max_new_tokens: max, temperature, top_p: topP, stop } = parameters;
  if (max !== undefined && !(Number.isInteger(max) && (max as number) > 0)) throw new EchoRequestError(400, 'max_new_tokens must be a positive integer');
  if (temperature !== undefined && !(typeof temperature === 'number' && temperature > 0)) throw new EchoRequestError(400, 'temperature must be a positive float');
  if (topP !== undefined && !(typeof topP === 'number' && topP > 0 && topP <= 1)) throw new EchoRequestError(400, 'top_p must be a float between 0 and 1');
  // JumpStart's text models: "stop: If specified, it must a list of strings".
  if (stop !== undefined && !(Array.isArray(stop) && stop.every((sequence) => typeof sequence === 'string'))) throw new EchoRequestError(400, 'stop must be a list of strings');
}

/** The request as the format's container reads it; a body in another shape is refused as it would be. */
export function parseEchoRequest(format: EchoFormat, body: string, customAttributes: string | undefined): EchoRequest {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new EchoRequestError(400, 'the request body is not JSON');
  }
  if (!isObject(value)) throw new EchoRequestError(400, 'the request body must be a JSON object');
  const parameters = isObject(value.parameters) ? value.parameters : {};
  switch (format) {
    case 'messages':
      return {
        prompt: lastUserMessage(value.messages, 'messages'),
        maxNewTokens: numberOr(value.max_tokens, 16),
        stop: stops(value.stop),
        stream: value.stream === true,
      };
    case 'tgi':
    case 'lmi':
      if (typeof value.inputs !== 'string') throw new EchoRequestError(format === 'tgi' ? 422 : 400, 'inputs must be a string');
      return {
        prompt: value.inputs,
        maxNewTokens: numberOr(parameters.max_new_tokens, 20),
        stop: stops(parameters.stop),
        stream: value.stream === true,
      };
    case 'jumpstart': {
      if (!/(?:^|;)\s*accept_eula=true\s*(?:;|$)/.test(customAttributes ?? '')) {
        throw new EchoRequestError(424, JUMPSTART_EULA_MESSAGE, JUMPSTART_EULA_BODY);
      }
      jumpStartParameters(parameters);
      // No streaming in this model's payload: it answers whole.
      return { prompt: jumpStartDialog(value.inputs), maxNewTokens: numberOr(parameters.max_new_tokens, 20), stop: stops(parameters.stop), stream: false };
    }
    case 'custom':
      if (typeof value.prompt !== 'string') throw new EchoRequestError(400, 'prompt must be a string');
      return { prompt: value.prompt, maxNewTokens: numberOr(value.max_length, 32), stop: stops(value.stop), stream: value.stream === true };
  }
}

/** The prompt back, in word tokens (each with the space after it), cut at max tokens or a stop sequence. */
export function echoAnswer(request: EchoRequest): EchoAnswer {
  let text = request.prompt;
  let stopped = false;
  for (const stop of request.stop) {
    const at = text.indexOf(stop);
    if (at >= 0) {
      text = text.slice(0, at);
      stopped = true;
    }
  }
  const words = text.match(/\s*\S+\s*|\s+/g) ?? [];
  if (words.length > request.maxNewTokens) return { tokens: words.slice(0, Math.max(0, request.maxNewTokens)), finishReason: 'length' };
  return { tokens: words, finishReason: stopped ? 'stop_sequence' : 'stop' };
}

/** The whole answer's body, as the format's container returns it without streaming. */
export function completeBody(format: EchoFormat, answer: EchoAnswer): string {
  const text = answer.tokens.join('');
  switch (format) {
    case 'messages':
      return JSON.stringify({
        id: 'chatcmpl-echo',
        object: 'chat.completion',
        model: 'echo',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: answer.finishReason === 'length' ? 'length' : 'stop' }],
        usage: { completion_tokens: answer.tokens.length },
      });
    case 'tgi':
      return JSON.stringify([{ generated_text: text, details: { finish_reason: tgiFinish(answer), generated_tokens: answer.tokens.length } }]);
    case 'jumpstart':
      return JSON.stringify([{ generation: { role: 'assistant', content: text } }]);
    case 'lmi':
      return JSON.stringify({ generated_text: text });
    case 'custom':
      return JSON.stringify({ output: { text } });
  }
}

function tgiFinish(answer: EchoAnswer): string {
  return answer.finishReason === 'length' ? 'length' : answer.finishReason === 'stop_sequence' ? 'stop_sequence' : 'eos_token';
}

/** The streamed answer's pieces, each written as the model produces one token. */
export function streamChunks(format: EchoFormat, answer: EchoAnswer): { contentType: string; chunks: string[] } {
  const last = answer.tokens.length - 1;
  switch (format) {
    case 'messages': {
      const chunk = (delta: Json, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'chatcmpl-echo', object: 'chat.completion.chunk', model: 'echo', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      return {
        contentType: 'text/event-stream',
        chunks: [
          chunk({ role: 'assistant', content: '' }, null),
          ...answer.tokens.map((token) => chunk({ content: token }, null)),
          chunk({}, answer.finishReason === 'length' ? 'length' : 'stop'),
          'data: [DONE]\n\n',
        ],
      };
    }
    case 'jumpstart':
      // The model never streams: its whole answer is the one piece (parseEchoRequest asks for no stream).
      return { contentType: 'application/json', chunks: [completeBody(format, answer)] };
    case 'tgi':
      return {
        contentType: 'text/event-stream',
        chunks: answer.tokens.map(
          (token, index) =>
            `data:${JSON.stringify({
              index,
              token: { id: index, text: token, logprob: -0.5, special: false },
              generated_text: index === last ? answer.tokens.join('') : null,
              details: index === last ? { finish_reason: tgiFinish(answer), generated_tokens: answer.tokens.length } : null,
            })}\n\n`,
        ),
      };
    case 'lmi':
      // LMI's jsonlines output formatter: one JSON object per line, the last with the whole text.
      return {
        contentType: 'application/jsonlines',
        chunks: answer.tokens.map(
          (token, index) =>
            `${JSON.stringify({ token: { id: [index], text: token, log_prob: -0.5 }, ...(index === last ? { generated_text: answer.tokens.join('') } : {}) })}\n`,
        ),
      };
    case 'custom':
      return { contentType: 'application/jsonlines', chunks: answer.tokens.map((token) => `${JSON.stringify({ delta: { text: token } })}\n`) };
  }
}

/**
 * An error event in the middle of a stream, in the format's own shape, as a server writes one when
 * generation fails after it began answering (TGI: `data:{"error", "error_type": "generation"}`; the
 * Messages API: an OpenAI-style `{"error": {"message", "type"}}` event; JSON lines: an `{"error"}`
 * line). Written by the echo server when its model's ECHO_STREAM_ERROR_AFTER asks for one (serveCli.ts).
 */
export function streamErrorChunk(format: EchoFormat, message: string): string {
  switch (format) {
    case 'messages':
      return `data: ${JSON.stringify({ error: { message, type: 'internal_error' } })}\n\n`;
    case 'tgi':
      return `data:${JSON.stringify({ error: message, error_type: 'generation' })}\n\n`;
    default:
      return `${JSON.stringify({ error: message })}\n`;
  }
}
