// The one protocol between the chat panel and the extension host, imported by both sides. The host
// owns the conversation (it outlives the webview, which is rebuilt when the panel is shown again);
// the panel renders it and sends what the user does. Plain data only; the chat's domain types live
// in src/pipeline/chat/types.ts and are re-exported here for the panel.

import { ACTION_LABELS, type ChatAction, type ChatParameters, type Turn } from '../../src/pipeline/chat/types';
import { isBannerMessage, isStepMessage, type BannerMessage, type StepMessage } from '../shared/bannerProtocol';

export * from '../../src/pipeline/chat/types';

/** Host → panel. */
export type HostMessage =
  /** Everything, after the panel is (re)built and after a turn is added or removed. */
  | { type: 'state'; endpoint: string; turns: Turn[]; parameters: ChatParameters; busy: boolean }
  /** Text streamed into the answer being written. */
  | { type: 'delta'; id: number; text: string }
  /** A turn that changed as a whole: an answer finished, stopped or failed. */
  | { type: 'turn'; turn: Turn; busy: boolean }
  /** The connection is down (why, and the next steps), or back. */
  | BannerMessage;

/** Panel → host. */
export type PanelMessage =
  | { type: 'ready' }
  | { type: 'send'; prompt: string }
  | { type: 'stop' }
  | { type: 'clear' }
  | { type: 'parameters'; parameters: ChatParameters }
  | { type: 'action'; action: ChatAction; turnId: number }
  /** A button of the connection banner. */
  | StepMessage;

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
    case 'step':
      return isStepMessage(value);
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
    case 'banner':
      return isBannerMessage(value);
    default:
      return false;
  }
}
