// Conversations kept per workspace: saved after every finished answer into a key-value store (VS
// Code's workspaceState, through its get/update), listed newest first, renamed, deleted, and
// exported to Markdown or JSON; a Compare is kept where it ran, both sides with their labels, answers
// and figures. Bounded: the newest MAX_CONVERSATIONS, each its newest MAX_TURNS
// turns. No `vscode` import: unit-tested with a Map.
import { FORMAT_LABELS } from './formats';
import { firstPlainLine } from './plainText';
import { metricsLine, type ChatParameters, type Turn } from './types';

export interface StoredConversation {
  id: string;
  endpoint: string;
  title: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  parameters: ChatParameters;
  turns: Turn[];
}

/** What the store needs of VS Code's Memento. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const CONVERSATIONS_KEY = 'sagemaker.chat.conversations';
export const MAX_CONVERSATIONS = 100;
export const MAX_TURNS = 400;

export const TITLE_MAX_LENGTH = 60;

/**
 * A conversation's default title: its first prompt's first line of text as a reader sees it (the
 * markdown's syntax left out: `## Adding numbers` is "Adding numbers"), shortened.
 */
export function defaultTitle(turns: readonly Turn[]): string {
  return shortTitle(firstPlainLine(firstPrompt(turns)));
}

/**
 * Whether a kept title is the default one rather than a name the user gave: the default of today,
 * or of before titles were plain text (the first line as typed), which is then replaced.
 */
export function isDefaultTitle(title: string, turns: readonly Turn[]): boolean {
  return title === defaultTitle(turns) || title === shortTitle(firstPrompt(turns).trim().split('\n')[0]);
}

/** The first prompt sent: to the conversation's endpoint, or to both sides of a Compare. */
function firstPrompt(turns: readonly Turn[]): string {
  for (const turn of turns) {
    if (turn.role === 'user') return turn.text;
    if (turn.role === 'compare') return turn.prompt;
  }
  return '';
}

function shortTitle(line: string): string {
  if (line === '') return 'New conversation';
  return line.length > TITLE_MAX_LENGTH ? `${line.slice(0, TITLE_MAX_LENGTH - 1)}…` : line;
}

export class ConversationStore {
  constructor(private readonly memento: KeyValueStore) {}

  /** Every kept conversation, the most recently updated first. */
  list(): StoredConversation[] {
    return [...this.all()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): StoredConversation | undefined {
    return this.all().find((conversation) => conversation.id === id);
  }

  /** The endpoint's most recently updated conversation. */
  latest(endpoint: string): StoredConversation | undefined {
    return this.list().find((conversation) => conversation.endpoint === endpoint);
  }

  /** Saves (or replaces) a conversation; an answer still streaming is saved as stopped there. */
  async save(conversation: StoredConversation): Promise<void> {
    const turns = conversation.turns.slice(-MAX_TURNS).map((turn): Turn => (turn.role === 'assistant' && turn.state === 'streaming' ? { ...turn, state: 'stopped' } : turn));
    const kept = [{ ...conversation, turns }, ...this.all().filter((other) => other.id !== conversation.id)]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, MAX_CONVERSATIONS);
    await this.memento.update(CONVERSATIONS_KEY, kept);
  }

  async rename(id: string, title: string): Promise<void> {
    const trimmed = title.trim();
    if (trimmed === '') throw new Error('A conversation needs a name.');
    await this.memento.update(
      CONVERSATIONS_KEY,
      this.all().map((conversation) => (conversation.id === id ? { ...conversation, title: trimmed } : conversation)),
    );
  }

  async delete(id: string): Promise<void> {
    await this.memento.update(
      CONVERSATIONS_KEY,
      this.all().filter((conversation) => conversation.id !== id),
    );
  }

  private all(): StoredConversation[] {
    const value = this.memento.get<unknown>(CONVERSATIONS_KEY);
    return Array.isArray(value) ? value.filter(isStoredConversation) : [];
  }
}

function isStoredConversation(value: unknown): value is StoredConversation {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === 'string' && typeof record.endpoint === 'string' && typeof record.title === 'string' && Array.isArray(record.turns);
}

/** The conversation as a Markdown document: the answers as the model wrote them (markdown already). */
export function conversationToMarkdown(conversation: StoredConversation): string {
  const lines = [`# ${conversation.title}`, '', `Endpoint: \`${conversation.endpoint}\` · ${new Date(conversation.updatedAt).toISOString()}`];
  if (conversation.parameters.systemPrompt) lines.push('', '**System prompt**', '', quote(conversation.parameters.systemPrompt));
  for (const turn of conversation.turns) {
    if (turn.role === 'user') {
      lines.push('', '## You', '', quote(turn.text));
    } else if (turn.role === 'compare') {
      lines.push('', '## You, to Compare', '', quote(turn.prompt));
      for (const side of turn.sides) {
        const { answer } = side;
        lines.push('', `### ${side.label}${answer.format ? ` · ${FORMAT_LABELS[answer.format]}` : ''}`, '', answer.text === '' ? '*(no text)*' : answer.text);
        if (answer.metrics) lines.push('', `*${metricsLine(answer.metrics, answer.state === 'stopped')}*`);
        else if (answer.state === 'stopped') lines.push('', '*(stopped)*');
        if (answer.failure) lines.push('', `*${answer.failure.title}: ${answer.failure.message}*`);
      }
    } else {
      lines.push('', `## ${conversation.endpoint}`, '', turn.text === '' ? '*(no text)*' : turn.text);
      if (turn.state === 'stopped') lines.push('', '*(stopped)*');
      if (turn.failure) lines.push('', `*${turn.failure.title}: ${turn.failure.message}*`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** The conversation as JSON: its endpoint, parameters and every turn with its figures. */
export function conversationToJson(conversation: StoredConversation): string {
  return `${JSON.stringify(conversation, null, 2)}\n`;
}
