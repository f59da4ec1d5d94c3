// The payload formats the chat and the prompt tests speak, as one codec each: what a request looks
// like (its body and CustomAttributes header) and how an answer's events are read. Besides the shapes
// told apart by payloads.ts (Messages API, TGI, LMI/DJL, JumpStart), a custom JSON template: a
// request written by the user with {{prompt}}, {{messages}} and the parameters as placeholders, and a
// JSONPath-like path to the whole answer's text and to each stream chunk's. Also the probe that finds
// an endpoint's format on first use: one tiny InvokeEndpoint per format until one is answered, each
// step kept so the user sees why a format was chosen. Pure but for the probe's calls; no `vscode`.
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { loadRuntimeSdk } from '../../aws/clients';
import { modelErrorMessage, parseStreamEvent, requestBody, type ChatMessage, type StreamEvent } from './payloads';
import { normalizeParameters, type ChatParameters, type CustomTemplate, type FormatSpec, type PayloadFormat, type ProbeStep } from './types';

export type { CustomTemplate, EndpointFormat, FormatSpec, ProbeStep } from './types';

export { PAYLOAD_FORMAT_NAMES as PAYLOAD_FORMATS } from './types';

export const FORMAT_LABELS: Record<PayloadFormat, string> = {
  messages: 'Messages API',
  tgi: 'TGI',
  lmi: 'LMI/DJL',
  jumpstart: 'JumpStart chat',
  custom: 'Custom template',
};

// --- JSONPath-like paths --------------------------------------------------------------------------

type Segment = string | number;

/**
 * A path's segments: `$` (optional) then `.name`, `['name']` / `["name"]` or `[index]`, e.g.
 * `$.choices[0].delta.content`. A leading name may omit the dot (`output.text`). Throws on anything else.
 */
export function parsePath(path: string): Segment[] {
  const source = path.trim();
  const segments: Segment[] = [];
  let at = source.startsWith('$') ? 1 : 0;
  const fail = (why: string): never => {
    throw new Error(`The path ${JSON.stringify(path)} is not valid at character ${at + 1}: ${why}. Write it as $.output.text or $[0].generated_text.`);
  };
  if (at === 0 && /^[A-Za-z_]/.test(source)) {
    const name = /^[A-Za-z_][\w-]*/.exec(source)![0];
    segments.push(name);
    at = name.length;
  }
  while (at < source.length) {
    const rest = source.slice(at);
    let match: RegExpExecArray | null;
    if ((match = /^\.([A-Za-z_][\w-]*)/.exec(rest))) segments.push(match[1]);
    else if ((match = /^\[(\d+)\]/.exec(rest))) segments.push(Number(match[1]));
    else if ((match = /^\[\s*'([^']*)'\s*\]/.exec(rest)) || (match = /^\[\s*"([^"]*)"\s*\]/.exec(rest))) segments.push(match[1]);
    else fail('expected .name, [index] or [\'name\']');
    at += match![0].length;
  }
  return segments;
}

/** The value at `segments` in `value`, or undefined where the path leads nowhere. */
export function valueAt(value: unknown, segments: readonly Segment[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

// --- the custom template --------------------------------------------------------------------------

/** What is wrong with a template, in words the user can act on; undefined when it can be used. */
export function templateProblem(template: CustomTemplate | undefined): string | undefined {
  if (!template) return 'The custom format needs a request template and a path to the answer.';
  let body: unknown;
  try {
    body = JSON.parse(template.request);
  } catch (error) {
    return `The request template is not JSON: ${(error as Error).message}.`;
  }
  if (!JSON.stringify(body).match(/\{\{(?:prompt|messages)\}\}/)) return 'The request template needs {{prompt}} or {{messages}} where the prompt goes.';
  for (const [name, path] of [['answer path', template.answerPath], ['stream chunk path', template.chunkPath]] as const) {
    if (path === undefined || (name === 'stream chunk path' && path.trim() === '')) continue;
    if (path.trim() === '') return 'The custom format needs the path to the answer\'s text, e.g. $.output.text.';
    try {
      parsePath(path);
    } catch (error) {
      return `The ${name}: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** The template's body with the placeholders filled: whole-string placeholders take typed values. */
export function templateBody(template: CustomTemplate, history: readonly ChatMessage[], prompt: string, parameters: ChatParameters): unknown {
  const problem = templateProblem(template);
  if (problem) throw new Error(problem);
  const { systemPrompt, maxNewTokens, temperature, topP } = parameters;
  const { seed, stop } = normalizeParameters(parameters);
  const values: Record<string, unknown> = {
    prompt: systemPrompt ? `${systemPrompt}\n\n${prompt}` : prompt,
    messages: [...(systemPrompt ? [{ role: 'system', content: systemPrompt }] : []), ...history, { role: 'user', content: prompt }],
    max_new_tokens: maxNewTokens,
    temperature,
    top_p: topP,
    system_prompt: systemPrompt ?? '',
    // The settings a template may leave out (notSentNote says so when it does): a list, a number or null.
    stop: stop ?? [],
    seed: seed ?? null,
  };
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = /^\{\{(\w+)\}\}$/.exec(node);
      if (whole && whole[1] in values) return values[whole[1]];
      return node.replace(/\{\{(\w+)\}\}/g, (text, name: string) => (name in values ? (typeof values[name] === 'string' ? (values[name] as string) : JSON.stringify(values[name])) : text));
    }
    if (Array.isArray(node)) return node.map(fill);
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, fill(child)]));
    return node;
  };
  return fill(JSON.parse(template.request));
}

// --- the codec ------------------------------------------------------------------------------------

export interface EncodedRequest {
  body: unknown;
  /** The InvokeEndpoint CustomAttributes header, when the format needs one. */
  customAttributes?: string;
}

/**
 * The request for `spec`; history goes only where the format carries a conversation. Streamed by
 * default; `stream: false` (a whole answer through InvokeEndpoint) turns off the body's own `stream`
 * flag wherever it has one — a custom template's too — and adds none where it has not.
 */
export function encodeRequest(spec: FormatSpec, history: readonly ChatMessage[], prompt: string, parameters: ChatParameters, options: { stream?: boolean } = {}): EncodedRequest {
  const streamed = spec.format === 'custom' ? templateBody(spec.template!, history, prompt, parameters) : requestBody(spec.format, history, prompt, parameters);
  const body = options.stream === false && typeof streamed === 'object' && streamed !== null && !Array.isArray(streamed) && 'stream' in streamed ? { ...streamed, stream: false } : streamed;
  return { body, ...(spec.format === 'jumpstart' && spec.acceptEula ? { customAttributes: 'accept_eula=true' } : {}) };
}

/**
 * What the user set that a request in `spec` cannot carry, as a note for the answer (undefined when
 * everything is sent): a JumpStart Llama 2 chat model takes no seed (its payload has max_new_tokens,
 * temperature, top_p and stop), and a custom template carries stop sequences and a seed only where it
 * has {{stop}} and {{seed}}. Never dropped silently: the chat shows this under the answer.
 */
export function notSentNote(spec: FormatSpec, parameters: ChatParameters): string | undefined {
  const { seed, stop } = normalizeParameters(parameters);
  const left: string[] = [];
  if (spec.format === 'jumpstart' && seed !== undefined) left.push('the seed');
  if (spec.format === 'custom') {
    const request = spec.template?.request ?? '';
    if (stop && !request.includes('{{stop}}')) left.push('the stop sequences');
    if (seed !== undefined && !request.includes('{{seed}}')) left.push('the seed');
  }
  if (left.length === 0) return undefined;
  const why = spec.format === 'jumpstart' ? 'the JumpStart chat format takes none (its parameters are max_new_tokens, temperature, top_p and stop)' : 'the custom template has no {{stop}} or {{seed}} for them';
  return `Not sent: ${left.join(' and ')} — ${why}.`;
}

/** Whether the format sends the conversation so far with each prompt (else each prompt is alone). */
export function carriesHistory(spec: FormatSpec): boolean {
  return spec.format === 'messages' || spec.format === 'jumpstart' || (spec.format === 'custom' && (spec.template?.request.includes('{{messages}}') ?? false));
}

/** How each event of the answer is read: the known shapes by payloads.ts, a custom one by its paths. */
export function eventReader(spec: FormatSpec): (data: string) => StreamEvent {
  if (spec.format !== 'custom' || !spec.template) return parseStreamEvent;
  const chunk = spec.template.chunkPath?.trim() ? parsePath(spec.template.chunkPath) : undefined;
  const answer = parsePath(spec.template.answerPath);
  return (data) => {
    const known = parseStreamEvent(data);
    if (known.done || known.error !== undefined) return known;
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      return known; // plain text
    }
    const chunkText = chunk && valueAt(value, chunk);
    if (typeof chunkText === 'string') return { text: chunkText, tokens: 1 };
    const whole = valueAt(value, answer);
    return { text: typeof whole === 'string' ? whole : '', tokens: 0 };
  };
}

// --- the probe ------------------------------------------------------------------------------------

const PROBE_PROMPT = 'Hello';
const PROBE_PARAMETERS: ChatParameters = { format: 'messages', maxNewTokens: 1, temperature: 0, topP: 1 };

/** A ModelError's status and message, as the probe reads a refusal. */
interface ModelRefusal {
  name?: string;
  OriginalStatusCode?: number;
  OriginalMessage?: string;
  message?: string;
}

/** The request body each probe step sends: the format's own, one token, not streamed (JumpStart's has no stream flag). */
function probeBody(format: Exclude<PayloadFormat, 'custom'>): unknown {
  const body = requestBody(format, [], PROBE_PROMPT, { ...PROBE_PARAMETERS, format }) as Record<string, unknown>;
  return 'stream' in body ? { ...body, stream: false } : body;
}

/**
 * Finds how `endpoint` wants to be spoken to: a one-token request in the Messages API, then in the
 * `{inputs, parameters}` shape (its answer tells TGI — a list — from LMI — an object), then as a
 * JumpStart Llama 2 chat model (a dialog in `inputs`). A refusal that asks for `accept_eula` means a
 * JumpStart model whose licence is not accepted yet: the probe stops there (accepting is the user's
 * decision). A failure that is not the model server's (endpoint missing, no connection) is thrown:
 * it is not about the format. Resolves with the format found (none when every one was refused) and every step.
 */
export async function probeFormat(
  runtime: SageMakerRuntimeClient,
  endpoint: string,
  signal?: AbortSignal,
  stepMs = PROBE_STEP_MS,
): Promise<{ format?: PayloadFormat; needsEula?: boolean; steps: ProbeStep[] }> {
  const { InvokeEndpointCommand } = await loadRuntimeSdk();
  const steps: ProbeStep[] = [];
  for (const format of ['messages', 'tgi', 'jumpstart'] as const) {
    // A server that never answers this shape (one that streams until stopped, one stuck) must not
    // hold the probe: each step has its own bound, and the user's Stop still ends all of it.
    const step = new AbortController();
    const stopStep = () => step.abort();
    if (signal?.aborted) step.abort(); // stopped before this step began: no event will come
    signal?.addEventListener('abort', stopStep, { once: true });
    const timer = setTimeout(stopStep, stepMs);
    try {
      const response = await runtime.send(
        new InvokeEndpointCommand({
          EndpointName: endpoint,
          Body: new TextEncoder().encode(JSON.stringify(probeBody(format))),
          ContentType: 'application/json',
          Accept: 'application/json',
        }),
        { abortSignal: step.signal },
      );
      const text = new TextDecoder().decode(response.Body);
      const answered = answeredFormat(format, text);
      if (answered) {
        steps.push({ format: answered, outcome: 'answered', detail: clip(text) });
        return { format: answered, steps };
      }
      steps.push({ format, outcome: 'refused', detail: `answered in another shape: ${clip(text)}` });
    } catch (error) {
      if (step.signal.aborted && !signal?.aborted) {
        steps.push({ format, outcome: 'refused', detail: `no answer within ${stepMs / 1000} s` });
        continue;
      }
      const refusal = error as ModelRefusal;
      if (refusal.name !== 'ModelError') throw error;
      const said = modelErrorMessage(refusal.OriginalMessage) ?? refusal.message ?? '';
      if (/accept_eula/i.test(said)) {
        steps.push({ format: 'jumpstart', outcome: 'needsEula', detail: `${refusal.OriginalStatusCode ?? ''} ${clip(said)}`.trim() });
        return { format: 'jumpstart', needsEula: true, steps };
      }
      steps.push({ format, outcome: 'refused', detail: `${refusal.OriginalStatusCode ?? 'error'}: ${clip(said)}` });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stopStep);
    }
  }
  return { steps };
}

/** How long one probe step waits for a one-token answer (a cold large model takes seconds). */
export const PROBE_STEP_MS = 20_000;

/** The format a probe's answer shows, or undefined when the answer is not one of that request's shapes. */
function answeredFormat(sent: 'messages' | 'tgi' | 'jumpstart', text: string): PayloadFormat | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  const record = (node: unknown): node is Record<string, unknown> => typeof node === 'object' && node !== null && !Array.isArray(node);
  if (sent === 'messages') return record(value) && Array.isArray(value.choices) ? 'messages' : undefined;
  if (sent === 'tgi') {
    if (record(first) && typeof first.generated_text === 'string') return 'tgi';
    if (record(value) && typeof value.generated_text === 'string') return 'lmi';
    return undefined;
  }
  // A JumpStart Llama 2 chat model answers [{"generation": {"role": "assistant", "content": …}}] (payloads.ts).
  return record(first) && record(first.generation) ? 'jumpstart' : undefined;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
