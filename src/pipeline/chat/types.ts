// The chat's domain: payload formats and generation parameters with their limits, an answer's
// measured figures, turns of a conversation and why an answer failed. Pure, plain data: the host's
// chat session and pipeline use it, and the chat webview's protocol re-exports it.
import { NEXT_STEP_LABELS, type NextStep } from '../../failures/nextSteps';

/**
 * How the request body is written: the OpenAI-style Messages API, Hugging Face TGI, LMI/DJL, a
 * JumpStart chat model, or the user's own template (src/pipeline/chat/formats.ts).
 */
export type PayloadFormat = 'messages' | 'tgi' | 'lmi' | 'jumpstart' | 'custom';

export const PAYLOAD_FORMAT_NAMES: readonly PayloadFormat[] = ['messages', 'tgi', 'lmi', 'jumpstart', 'custom'];

export interface ChatParameters {
  format: PayloadFormat;
  maxNewTokens: number;
  /** 0 is greedy decoding. */
  temperature: number;
  /** Nucleus sampling: 1 keeps every token. */
  topP: number;
  /** The same seed and parameters give the same answer; none draws a new one each time. */
  seed?: number;
  /** Instructions sent before the conversation (Messages API: a system message; TGI: before the prompt). */
  systemPrompt?: string;
  /** Generation ends where the model writes one of these. */
  stop?: string[];
}

/** A named set of parameters, kept in the `sagemaker.chat.presets` setting. */
export interface ParameterPreset {
  name: string;
  parameters: Partial<Omit<ChatParameters, 'format'>>;
}

export const PARAMETER_LIMITS = {
  maxNewTokens: { min: 1, max: 4096 },
  temperature: { min: 0, max: 2 },
  topP: { min: 0.01, max: 1 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  /** TGI's default --max-stop-sequences and OpenAI's limit alike. */
  stopSequences: { max: 4 },
  systemPrompt: { maxLength: 32_000 },
} as const;

export const DEFAULT_PARAMETERS: ChatParameters = { format: 'messages', maxNewTokens: 256, temperature: 0.7, topP: 0.9 };

function clamp(value: number, limits: { min: number; max: number }): number {
  return Math.min(limits.max, Math.max(limits.min, value));
}

/**
 * Parameters as the user set them, brought within the limits every container accepts; a field left
 * empty (NaN) takes its default. The panel shows what it will send; the host applies it again to
 * what it receives.
 */
export function normalizeParameters(parameters: ChatParameters): ChatParameters {
  const finite = (value: number, fallback: number) => (Number.isFinite(value) ? value : fallback);
  const seed = parameters.seed === undefined || !Number.isFinite(parameters.seed) ? undefined : Math.round(clamp(parameters.seed, PARAMETER_LIMITS.seed));
  const stop = [...new Set((parameters.stop ?? []).filter((sequence) => typeof sequence === 'string' && sequence !== ''))].slice(0, PARAMETER_LIMITS.stopSequences.max);
  const systemPrompt = typeof parameters.systemPrompt === 'string' ? parameters.systemPrompt.slice(0, PARAMETER_LIMITS.systemPrompt.maxLength) : '';
  return {
    format: PAYLOAD_FORMAT_NAMES.includes(parameters.format) ? parameters.format : 'messages',
    maxNewTokens: Math.round(clamp(finite(parameters.maxNewTokens, DEFAULT_PARAMETERS.maxNewTokens), PARAMETER_LIMITS.maxNewTokens)),
    temperature: clamp(finite(parameters.temperature, DEFAULT_PARAMETERS.temperature), PARAMETER_LIMITS.temperature),
    topP: clamp(finite(parameters.topP, DEFAULT_PARAMETERS.topP), PARAMETER_LIMITS.topP),
    ...(seed === undefined ? {} : { seed }),
    ...(systemPrompt.trim() === '' ? {} : { systemPrompt }),
    ...(stop.length === 0 ? {} : { stop }),
  };
}

export interface AnswerMetrics {
  /** From sending the request to the first text. */
  firstTokenMs?: number;
  totalMs: number;
  /** Token events received (TGI) or content chunks (Messages API: one token each). */
  tokens: number;
  /** Over the generation, from the first token to the last, counting at least two tokens; absent when that cannot be measured. */
  tokensPerSecond?: number;
  /** Why generation ended, as the model server said: e.g. length, stop, eos_token. */
  finishReason?: string;
  /** The production variant that answered. */
  variant?: string;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const FINISH_REASONS: Record<string, string> = {
  length: 'max new tokens reached',
  eos_token: 'end of text',
  stop: 'end of text',
  stop_sequence: 'stop sequence',
};

/** An answer's figures in one line, as the panel shows them under it and exports write them. */
export function metricsLine(metrics: AnswerMetrics, stopped: boolean): string {
  const parts = [
    metrics.firstTokenMs !== undefined && `first token ${formatMs(metrics.firstTokenMs)}`,
    `${metrics.tokens} ${metrics.tokens === 1 ? 'token' : 'tokens'} in ${formatMs(metrics.totalMs)}`,
    // "—" when it cannot be measured honestly (one token, or all of them in one piece).
    metrics.tokensPerSecond !== undefined ? `${metrics.tokensPerSecond.toFixed(1)} tokens/s` : '— tokens/s',
    stopped ? 'stopped' : metrics.finishReason && (FINISH_REASONS[metrics.finishReason] ?? metrics.finishReason),
    metrics.variant && `variant ${metrics.variant}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** What the user can do about a failed answer: a next step every surface offers, or one of the chat's own. */
export type ChatAction = NextStep | 'useTgi' | 'useMessages' | 'acceptEula' | 'detectFormat';

export const ACTION_LABELS: Record<ChatAction, string> = {
  ...NEXT_STEP_LABELS,
  useTgi: 'Retry with TGI',
  useMessages: 'Retry with Messages API',
  acceptEula: 'Accept the Model\'s EULA and Retry',
  detectFormat: 'Detect the Format Again',
};

export interface ChatFailure {
  title: string;
  message: string;
  /** E.g. the model's log stream, the status the model server answered. */
  detail?: string;
  actions: ChatAction[];
}

export type Turn =
  | { id: number; role: 'user'; text: string }
  | ComparisonTurn
  | {
      id: number;
      role: 'assistant';
      text: string;
      format: PayloadFormat;
      state: 'streaming' | 'done' | 'stopped' | 'failed';
      metrics?: AnswerMetrics;
      failure?: ChatFailure;
      /** Exchanges left out of this answer's request, oldest first, to keep it within the context budget. */
      droppedExchanges?: number;
      /** What the user set that this answer's format could not carry (formats.ts notSentNote). */
      notSent?: string;
    };

export type AssistantTurn = Extract<Turn, { role: 'assistant' }>;

/** One side of Compare: an endpoint and the parameters its answer is asked with. */
export interface CompareSide {
  endpoint: string;
  parameters: ChatParameters;
  /** The preset the side's parameters were taken from, when one was picked. */
  preset?: string;
}

/** A side's label, on screen and in exports: which side, its endpoint, and what it was asked with. */
export function compareSideLabel(index: number, side: CompareSide): string {
  const preset = side.preset ? `preset ${side.preset}, ` : '';
  return `${'AB'[index] ?? String(index + 1)} · ${side.endpoint} · ${preset}temperature ${side.parameters.temperature}, max ${side.parameters.maxNewTokens} tokens`;
}

/** A Compare kept in the conversation, where it ran: the prompt and each side with its label and answer. */
export interface ComparisonTurn {
  id: number;
  role: 'compare';
  prompt: string;
  sides: (CompareSide & { label: string; answer: CompareAnswer })[];
}

/** One side's answer in Compare, as it stands. */
export interface CompareAnswer {
  endpoint: string;
  format?: PayloadFormat;
  text: string;
  state: 'streaming' | 'done' | 'stopped' | 'failed';
  metrics?: AnswerMetrics;
  failure?: ChatFailure;
}

/** A request of the user's own shape, for a container none of the known formats fits. */
export interface CustomTemplate {
  /**
   * The request body as JSON. A string that is exactly "{{prompt}}", "{{messages}}",
   * "{{max_new_tokens}}", "{{temperature}}", "{{top_p}}", "{{system_prompt}}", "{{stop}}" or
   * "{{seed}}" becomes that value (an array for messages and stop, numbers for the parameters, null
   * for no seed); inside a longer string, its text.
   */
  request: string;
  /** Where a whole answer's text is, e.g. `$.output.text` or `$[0].generated_text`. */
  answerPath: string;
  /** Where each stream chunk's text is, e.g. `$.delta.text`; none: the endpoint is not streamed. */
  chunkPath?: string;
}

/** How requests to one endpoint are written. */
export interface FormatSpec {
  format: PayloadFormat;
  /** JumpStart models with a licence: `accept_eula=true` in CustomAttributes, once the user accepted it. */
  acceptEula?: boolean;
  /** For `custom`. */
  template?: CustomTemplate;
}

/** One step of the probe: the format tried and what the endpoint said. */
export interface ProbeStep {
  format: PayloadFormat;
  outcome: 'answered' | 'refused' | 'needsEula';
  /** The status and the model server's words, or the answer's first characters. */
  detail: string;
}

/** An endpoint's format as remembered: found by the probe, or chosen by the user over it. */
export interface EndpointFormat extends FormatSpec {
  how: 'detected' | 'chosen';
  /** The probe's steps, when it ran. */
  probe?: ProbeStep[];
  /** The endpoint configuration the endpoint ran when this was remembered (DescribeEndpoint's EndpointConfigName). */
  endpointConfig?: string;
}
