// The chat panel: renders the conversation the host keeps, streams answers in as they arrive, and
// sends what the user does. Model output is text, never markup: it is only ever written with
// textContent / Text nodes, so nothing a model says can run or restyle the page.
import {
  ACTION_LABELS,
  isHostMessage,
  normalizeParameters,
  PARAMETER_LIMITS,
  type AnswerMetrics,
  type AssistantTurn,
  type ChatParameters,
  type HostMessage,
  type PanelMessage,
  type Turn,
} from './protocol';
import { renderBanner } from '../shared/banner';

interface SavedState {
  /** The unsent prompt, kept while the panel is hidden. */
  draft: string;
}

declare function acquireVsCodeApi(): {
  postMessage(message: PanelMessage): void;
  setState(state: SavedState): void;
  getState(): SavedState | undefined;
};

const vscode = acquireVsCodeApi();

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const banner = byId<HTMLElement>('banner');
const title = byId<HTMLHeadingElement>('title');
const transcript = byId<HTMLElement>('transcript');
const prompt = byId<HTMLTextAreaElement>('prompt');
const send = byId<HTMLButtonElement>('send');
const stop = byId<HTMLButtonElement>('stop');
const clear = byId<HTMLButtonElement>('clear');
const inputs = {
  format: byId<HTMLSelectElement>('format'),
  maxNewTokens: byId<HTMLInputElement>('maxNewTokens'),
  temperature: byId<HTMLInputElement>('temperature'),
  topP: byId<HTMLInputElement>('topP'),
  seed: byId<HTMLInputElement>('seed'),
};

let endpoint = '';
let busy = false;
/** The text node each streaming answer grows in, by turn id. */
const streamingText = new Map<number, Text>();

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

for (const name of ['maxNewTokens', 'temperature', 'topP', 'seed'] as const) {
  inputs[name].min = String(PARAMETER_LIMITS[name].min);
  inputs[name].max = String(PARAMETER_LIMITS[name].max);
}
inputs.maxNewTokens.title = 'The most tokens the model may generate for one answer';
inputs.temperature.title = 'Randomness of sampling: 0 always takes the likeliest token; higher is more varied';
inputs.topP.title = 'Nucleus sampling: draw only from the likeliest tokens whose probabilities add up to this; 1 keeps them all';
inputs.seed.title = 'The same seed and parameters give the same answer; empty draws a new one each time';
inputs.format.title = 'Messages API: the OpenAI-style chat format, with the conversation so far. TGI: Hugging Face text generation, each prompt on its own';

function showParameters(parameters: ChatParameters): void {
  inputs.format.value = parameters.format;
  inputs.maxNewTokens.value = String(parameters.maxNewTokens);
  inputs.temperature.value = String(parameters.temperature);
  inputs.topP.value = String(parameters.topP);
  inputs.seed.value = parameters.seed === undefined ? '' : String(parameters.seed);
}

/** The parameters as they will be sent: out-of-range or empty fields are corrected on screen too. */
function readParameters(): ChatParameters {
  const seed = inputs.seed.value.trim();
  const parameters = normalizeParameters({
    format: inputs.format.value === 'tgi' ? 'tgi' : 'messages',
    maxNewTokens: inputs.maxNewTokens.valueAsNumber,
    temperature: inputs.temperature.valueAsNumber,
    topP: inputs.topP.valueAsNumber,
    ...(seed === '' ? {} : { seed: Number(seed) }),
  });
  showParameters(parameters);
  return parameters;
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

function metricsLine(metrics: AnswerMetrics, stopped: boolean): string {
  const parts = [
    metrics.firstTokenMs !== undefined && `first token ${formatMs(metrics.firstTokenMs)}`,
    `${metrics.tokens} ${metrics.tokens === 1 ? 'token' : 'tokens'} in ${formatMs(metrics.totalMs)}`,
    metrics.tokensPerSecond !== undefined && `${metrics.tokensPerSecond.toFixed(1)} tokens/s`,
    stopped ? 'stopped' : metrics.finishReason && (FINISH_REASONS[metrics.finishReason] ?? metrics.finishReason),
    metrics.variant && `variant ${metrics.variant}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

function renderTurn(turn: Turn): HTMLElement {
  const node = element('div', undefined, `turn ${turn.role}`);
  node.dataset.id = String(turn.id);
  if (turn.role === 'user') {
    node.append(element('div', 'You', 'role'), element('div', turn.text, 'text'));
    return node;
  }
  node.dataset.state = turn.state;
  node.append(element('div', `${endpoint} · ${turn.format === 'messages' ? 'Messages API' : 'TGI'}`, 'role'));
  const text = element('div', undefined, 'text');
  const content = document.createTextNode(turn.text);
  text.append(content);
  node.append(text);
  if (turn.state === 'streaming') {
    streamingText.set(turn.id, content);
  } else {
    streamingText.delete(turn.id);
  }
  if (turn.metrics) {
    node.append(element('div', metricsLine(turn.metrics, turn.state === 'stopped'), 'metrics'));
  }
  if (turn.failure) {
    node.append(renderFailure(turn));
  }
  return node;
}

function renderFailure(turn: AssistantTurn): HTMLElement {
  const failure = turn.failure!;
  const box = element('div', undefined, 'failure');
  box.setAttribute('role', 'alert');
  box.append(element('strong', failure.title), element('p', failure.message));
  if (failure.detail) box.append(element('p', failure.detail, 'detail'));
  const actions = element('div', undefined, 'actions');
  for (const action of failure.actions) {
    const button = element('button', ACTION_LABELS[action], action === failure.actions[0] ? '' : 'secondary');
    button.type = 'button';
    button.addEventListener('click', () => vscode.postMessage({ type: 'action', action, turnId: turn.id }));
    actions.append(button);
  }
  box.append(actions);
  return box;
}

function emptyHint(): HTMLElement {
  const hint = element('div', undefined, 'hint');
  hint.append(
    element('p', `Send a prompt to ${endpoint}; the answer streams in as the model writes it.`),
    element('p', 'Messages API keeps the conversation and sends it with each prompt; TGI sends each prompt on its own.'),
  );
  return hint;
}

function setBusy(value: boolean): void {
  busy = value;
  send.disabled = value;
  stop.disabled = !value;
}

/** Keeps the newest text in view, unless the user scrolled up to read. */
function withScroll(update: () => void): void {
  const atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
  update();
  if (atBottom) transcript.scrollTop = transcript.scrollHeight;
}

function receive(message: HostMessage): void {
  switch (message.type) {
    case 'state':
      endpoint = message.endpoint;
      title.textContent = `Chat with ${message.endpoint}`;
      showParameters(message.parameters);
      streamingText.clear();
      withScroll(() => transcript.replaceChildren(...(message.turns.length ? message.turns.map(renderTurn) : [emptyHint()])));
      setBusy(message.busy);
      break;
    case 'delta':
      withScroll(() => streamingText.get(message.id)?.appendData(message.text));
      break;
    case 'banner':
      renderBanner(banner, message.failure, (step) => vscode.postMessage({ type: 'step', step }));
      break;
    case 'turn': {
      const existing = transcript.querySelector(`[data-id="${message.turn.id}"]`);
      if (existing) withScroll(() => existing.replaceWith(renderTurn(message.turn)));
      setBusy(message.busy);
      break;
    }
  }
}

function submit(): void {
  const text = prompt.value;
  if (busy || text.trim() === '') return;
  vscode.postMessage({ type: 'parameters', parameters: readParameters() });
  vscode.postMessage({ type: 'send', prompt: text });
  prompt.value = '';
  vscode.setState({ draft: '' });
}

prompt.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter is a new line; Enter that confirms an IME composition does neither.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  } else if (event.key === 'Escape' && busy) {
    vscode.postMessage({ type: 'stop' });
  }
});
prompt.addEventListener('input', () => vscode.setState({ draft: prompt.value }));
send.addEventListener('click', submit);
stop.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
clear.addEventListener('click', () => vscode.postMessage({ type: 'clear' }));
byId<HTMLFormElement>('parameters').addEventListener('change', () => vscode.postMessage({ type: 'parameters', parameters: readParameters() }));
byId<HTMLFormElement>('parameters').addEventListener('submit', (event) => event.preventDefault());

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostMessage(event.data)) receive(event.data);
});

prompt.value = vscode.getState()?.draft ?? '';
setBusy(false);
prompt.focus();
vscode.postMessage({ type: 'ready' });
