// The one protocol between the chat panel and the extension host, imported by both sides. The host
// owns the conversation (it outlives the webview, which is rebuilt when the panel is shown again);
// the panel renders it and sends what the user does. Plain data only.

/** How the request body is written: the OpenAI-style Messages API or Hugging Face TGI. */
export type PayloadFormat = 'messages' | 'tgi';

export interface ChatParameters {
  format: PayloadFormat;
  maxNewTokens: number;
  /** 0 is greedy decoding. */
  temperature: number;
  /** Nucleus sampling: 1 keeps every token. */
  topP: number;
  /** The same seed and parameters give the same answer; none draws a new one each time. */
  seed?: number;
}

export const PARAMETER_LIMITS = {
  maxNewTokens: { min: 1, max: 4096 },
  temperature: { min: 0, max: 2 },
  topP: { min: 0.01, max: 1 },
  seed: { min: 0, max: 2 ** 31 - 1 },
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
  return {
    format: parameters.format === 'tgi' ? 'tgi' : 'messages',
    maxNewTokens: Math.round(clamp(finite(parameters.maxNewTokens, DEFAULT_PARAMETERS.maxNewTokens), PARAMETER_LIMITS.maxNewTokens)),
    temperature: clamp(finite(parameters.temperature, DEFAULT_PARAMETERS.temperature), PARAMETER_LIMITS.temperature),
    topP: clamp(finite(parameters.topP, DEFAULT_PARAMETERS.topP), PARAMETER_LIMITS.topP),
    ...(seed === undefined ? {} : { seed }),
  };
}

export interface AnswerMetrics {
  /** From sending the request to the first text. */
  firstTokenMs?: number;
  totalMs: number;
  /** Token events received (TGI) or content chunks (Messages API: one token each). */
  tokens: number;
  /** Over the generation, from the first token to the last. */
  tokensPerSecond?: number;
  /** Why generation ended, as the model server said: e.g. length, stop, eos_token. */
  finishReason?: string;
  /** The production variant that answered. */
  variant?: string;
}

/** What the user can do about a failed answer; the host carries it out. */
export type ChatAction = 'retry' | 'useTgi' | 'useMessages' | 'startEmulator' | 'switchConnection' | 'showEndpoints';

export const ACTION_LABELS: Record<ChatAction, string> = {
  retry: 'Retry',
  useTgi: 'Retry with TGI',
  useMessages: 'Retry with Messages API',
  startEmulator: 'Start Local Emulator',
  switchConnection: 'Switch Connection',
  showEndpoints: 'Show Endpoints',
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
  | {
      id: number;
      role: 'assistant';
      text: string;
      format: PayloadFormat;
      state: 'streaming' | 'done' | 'stopped' | 'failed';
      metrics?: AnswerMetrics;
      failure?: ChatFailure;
    };

export type AssistantTurn = Extract<Turn, { role: 'assistant' }>;

/** Host → panel. */
export type HostMessage =
  /** Everything, after the panel is (re)built and after a turn is added or removed. */
  | { type: 'state'; endpoint: string; turns: Turn[]; parameters: ChatParameters; busy: boolean }
  /** Text streamed into the answer being written. */
  | { type: 'delta'; id: number; text: string }
  /** A turn that changed as a whole: an answer finished, stopped or failed. */
  | { type: 'turn'; turn: Turn; busy: boolean };

/** Panel → host. */
export type PanelMessage =
  | { type: 'ready' }
  | { type: 'send'; prompt: string }
  | { type: 'stop' }
  | { type: 'clear' }
  | { type: 'parameters'; parameters: ChatParameters }
  | { type: 'action'; action: ChatAction; turnId: number };

const ACTIONS = new Set(Object.keys(ACTION_LABELS));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isParameters(value: unknown): value is ChatParameters {
  return (
    isRecord(value) &&
    (value.format === 'messages' || value.format === 'tgi') &&
    typeof value.maxNewTokens === 'number' &&
    typeof value.temperature === 'number' &&
    typeof value.topP === 'number' &&
    (value.seed === undefined || typeof value.seed === 'number')
  );
}

export function isPanelMessage(value: unknown): value is PanelMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'stop':
    case 'clear':
      return true;
    case 'send':
      return typeof value.prompt === 'string';
    case 'parameters':
      return isParameters(value.parameters);
    case 'action':
      return typeof value.action === 'string' && ACTIONS.has(value.action) && typeof value.turnId === 'number';
    default:
      return false;
  }
}

export function isHostMessage(value: unknown): value is HostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'state':
      return typeof value.endpoint === 'string' && Array.isArray(value.turns) && isParameters(value.parameters);
    case 'delta':
      return typeof value.id === 'number' && typeof value.text === 'string';
    case 'turn':
      return isRecord(value.turn) && typeof value.busy === 'boolean';
    default:
      return false;
  }
}
