// The one protocol between the chat panel and the extension host, imported by both sides. The host
// owns the conversation (it outlives the webview, which is rebuilt when the panel is shown again);
// the panel renders it and sends what the user does. Plain data only; the chat's domain types live
// in src/pipeline/chat/types.ts and are re-exported here for the panel.

import {
  ACTION_LABELS,
  PAYLOAD_FORMAT_NAMES,
  type ChatAction,
  type ChatParameters,
  type CompareAnswer,
  type CompareSide,
  type CustomTemplate,
  type EndpointFormat,
  type ParameterPreset,
  type PayloadFormat,
  type ProbeStep,
  type Turn,
} from '../../src/pipeline/chat/types';
import { isBannerMessage, isStepMessage, type BannerMessage, type StepMessage } from '../shared/bannerProtocol';

export * from '../../src/pipeline/chat/types';

/** Host → panel. */
export type HostMessage =
  /** Everything, after the panel is (re)built and after a turn is added or removed. */
  | { type: 'state'; endpoint: string; title: string; turns: Turn[]; parameters: ChatParameters; presets: ParameterPreset[]; busy: boolean }
  /** Text streamed into the answer being written. */
  | { type: 'delta'; id: number; text: string }
  /** A turn that changed as a whole: an answer finished, stopped or failed. */
  | { type: 'turn'; turn: Turn; busy: boolean }
  /** The endpoint's format: remembered (how, and the probe's steps), being probed, or a template's problem. */
  | { type: 'format'; detecting: boolean; endpointFormat?: EndpointFormat; probe?: ProbeStep[]; problem?: string }
  /** The InService endpoints, for Compare's pick list. */
  | { type: 'endpoints'; names: string[] }
  /** Compare started: the prompt and both sides. */
  | { type: 'compareStart'; prompt: string; sides: CompareSide[]; busy: boolean }
  /** One side of Compare as a whole (its format known, or it ended). */
  | { type: 'compareSide'; side: number; answer: CompareAnswer }
  /** Text streamed into one side of Compare. */
  | { type: 'compareDelta'; side: number; text: string }
  /** Both sides ended. */
  | { type: 'compareEnd'; busy: boolean }
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
  /** A new answer in place of this one, to the same prompt. */
  | { type: 'regenerate'; turnId: number }
  /** This user turn, with new text, sent again: what followed it is replaced. */
  | { type: 'edit'; turnId: number; prompt: string }
  /** Save the parameters as a named preset (the host asks the name). */
  | { type: 'savePreset'; parameters: ChatParameters }
  /** The conversations list (reopen, rename, delete), Export, in the host's pick lists. */
  | { type: 'conversations' | 'export' | 'rename' }
  /** A code block's Copy and Insert at Cursor: its text and the language its fence named. */
  | { type: 'copy' | 'insert'; text: string; language?: string }
  /** The user's pick of format over the probe's, remembered for the endpoint. */
  | { type: 'chooseFormat'; format: Exclude<PayloadFormat, 'custom'> }
  /** The custom format's template, as the user wrote it. */
  | { type: 'template'; template: CustomTemplate }
  /** Probe the endpoint's format now; accept a JumpStart model's EULA for this endpoint. */
  | { type: 'detectFormat' | 'acceptEula' | 'stopCompare' | 'listEndpoints' }
  /** One prompt to both sides of Compare. */
  | { type: 'compare'; prompt: string; sides: CompareSide[] }
  /** A button of the connection banner. */
  | StepMessage;

const ACTIONS = new Set(Object.keys(ACTION_LABELS));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isParameters(value: unknown): value is ChatParameters {
  return (
    isRecord(value) &&
    typeof value.format === 'string' &&
    (PAYLOAD_FORMAT_NAMES as readonly string[]).includes(value.format) &&
    typeof value.maxNewTokens === 'number' &&
    typeof value.temperature === 'number' &&
    typeof value.topP === 'number' &&
    (value.seed === undefined || typeof value.seed === 'number') &&
    (value.systemPrompt === undefined || typeof value.systemPrompt === 'string') &&
    (value.stop === undefined || (Array.isArray(value.stop) && value.stop.every((stop) => typeof stop === 'string')))
  );
}

export function isPanelMessage(value: unknown): value is PanelMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'stop':
    case 'clear':
    case 'conversations':
    case 'export':
    case 'rename':
    case 'detectFormat':
    case 'acceptEula':
    case 'stopCompare':
    case 'listEndpoints':
      return true;
    case 'chooseFormat':
      return typeof value.format === 'string' && value.format !== 'custom' && (PAYLOAD_FORMAT_NAMES as readonly string[]).includes(value.format);
    case 'template':
      return (
        isRecord(value.template) &&
        typeof value.template.request === 'string' &&
        typeof value.template.answerPath === 'string' &&
        (value.template.chunkPath === undefined || typeof value.template.chunkPath === 'string')
      );
    case 'compare':
      return (
        typeof value.prompt === 'string' &&
        Array.isArray(value.sides) &&
        value.sides.length === 2 &&
        value.sides.every(
          (side) => isRecord(side) && typeof side.endpoint === 'string' && side.endpoint !== '' && isParameters(side.parameters) && (side.preset === undefined || typeof side.preset === 'string'),
        )
      );
    case 'regenerate':
      return typeof value.turnId === 'number';
    case 'edit':
      return typeof value.turnId === 'number' && typeof value.prompt === 'string';
    case 'savePreset':
      return isParameters(value.parameters);
    case 'send':
      return typeof value.prompt === 'string';
    case 'parameters':
      return isParameters(value.parameters);
    case 'copy':
    case 'insert':
      return typeof value.text === 'string' && (value.language === undefined || typeof value.language === 'string');
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
      return typeof value.endpoint === 'string' && typeof value.title === 'string' && Array.isArray(value.turns) && isParameters(value.parameters) && Array.isArray(value.presets);
    case 'delta':
      return typeof value.id === 'number' && typeof value.text === 'string';
    case 'format':
      return typeof value.detecting === 'boolean';
    case 'endpoints':
      return Array.isArray(value.names);
    case 'compareStart':
      return typeof value.prompt === 'string' && Array.isArray(value.sides);
    case 'compareSide':
      return typeof value.side === 'number' && isRecord(value.answer);
    case 'compareDelta':
      return typeof value.side === 'number' && typeof value.text === 'string';
    case 'compareEnd':
      return typeof value.busy === 'boolean';
    case 'turn':
      return isRecord(value.turn) && typeof value.busy === 'boolean';
    case 'banner':
      return isBannerMessage(value);
    default:
      return false;
  }
}
