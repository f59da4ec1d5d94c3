// The chat panel: renders the conversation the host keeps, streams answers in as they arrive, and
// sends what the user does. An answer is shown as markdown only through renderAnswer (markdown-it,
// then DOMPurify's allow-list), or as plain text (the Raw toggle) through textContent; a growing
// answer is brought up to date at most once per animation frame however fast its text arrives, and
// only its open tail is rendered again (streamRender.ts). Also the format line (what the probe found,
// the user's pick, a custom template) and Compare (two answers side by side, streamed at once, then
// kept in the transcript where they ran).
import {
  ACTION_LABELS,
  type CompareAnswer,
  type CompareSide,
  type EndpointFormat,
  type PayloadFormat,
  type ProbeStep,
  isHostMessage,
  normalizeParameters,
  PARAMETER_LIMITS,
  type AssistantTurn,
  compareSideLabel,
  type ComparisonTurn,
  metricsLine,
  type ChatParameters,
  type HostMessage,
  type PanelMessage,
  type ParameterPreset,
  type Turn,
} from './protocol';
import { renderBanner } from '../shared/banner';
import { fenceLanguage } from './markdown';
import { renderAnswer } from './sanitize';
import { IncrementalAnswer } from './streamRender';

const FORMAT_NAMES: Record<PayloadFormat, string> = { messages: 'Messages API', tgi: 'TGI', lmi: 'LMI/DJL', jumpstart: 'JumpStart chat', custom: 'Custom template' };
/** The bench's baseline (bench/chatStream.ts): the whole answer rendered again every frame. */
const WHOLE_RENDER = document.body.dataset.renderMode === 'whole';

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
  systemPrompt: byId<HTMLTextAreaElement>('systemPrompt'),
  stop: byId<HTMLTextAreaElement>('stopSequences'),
};
const presetSelect = byId<HTMLSelectElement>('preset');
const conversationTitle = byId<HTMLElement>('conversationTitle');
let presets: ParameterPreset[] = [];

let endpoint = '';
let busy = false;
/** Each streaming answer, by turn id: its text so far and its incrementally rendered body. */
const streaming = new Map<number, IncrementalAnswer>();
/** Answers whose new text waits for the next animation frame to be rendered. */
const pendingRender = new Set<number>();
/** Answers the user switched to their raw text. */
const showRaw = new Set<number>();

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
inputs.format.title =
  'How requests are written. Found by Detect Format on the first prompt and remembered for this endpoint; a pick here is remembered instead. Messages API and JumpStart chat send the conversation so far; TGI and LMI/DJL each prompt on its own; Custom template writes your own JSON';

function showParameters(parameters: ChatParameters): void {
  inputs.format.value = parameters.format;
  inputs.maxNewTokens.value = String(parameters.maxNewTokens);
  inputs.temperature.value = String(parameters.temperature);
  inputs.topP.value = String(parameters.topP);
  inputs.seed.value = parameters.seed === undefined ? '' : String(parameters.seed);
  inputs.systemPrompt.value = parameters.systemPrompt ?? '';
  inputs.stop.value = (parameters.stop ?? []).map((sequence) => sequence.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')).join('\n');
  if (parameters.systemPrompt || parameters.stop) byId<HTMLDetailsElement>('instructions').open = true;
}

/** Stop sequences as typed: one a line, `\n` a line break and `\\` a backslash. */
function readStopSequences(): string[] {
  return inputs.stop.value
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/\\(n|\\)/g, (_match, escaped: string) => (escaped === 'n' ? '\n' : '\\')));
}

function showPresets(list: ParameterPreset[]): void {
  presets = list;
  const chosen = presetSelect.value;
  const none = element('option', '—');
  none.value = '';
  presetSelect.replaceChildren(none, ...list.map((preset) => Object.assign(element('option', preset.name), { value: preset.name })));
  presetSelect.value = list.some((preset) => preset.name === chosen) ? chosen : '';
}

/** The parameters as they will be sent: out-of-range or empty fields are corrected on screen too. */
function readParameters(): ChatParameters {
  const seed = inputs.seed.value.trim();
  const parameters = normalizeParameters({
    format: inputs.format.value as PayloadFormat,
    maxNewTokens: inputs.maxNewTokens.valueAsNumber,
    temperature: inputs.temperature.valueAsNumber,
    topP: inputs.topP.valueAsNumber,
    ...(seed === '' ? {} : { seed: Number(seed) }),
    systemPrompt: inputs.systemPrompt.value,
    stop: readStopSequences(),
  });
  showParameters(parameters);
  return parameters;
}

function renderTurn(turn: Turn): HTMLElement {
  const node = element('div', undefined, `turn ${turn.role}`);
  node.dataset.id = String(turn.id);
  if (turn.role === 'compare') {
    renderComparison(node, turn);
    return node;
  }
  if (turn.role === 'user') {
    const heading = element('div', undefined, 'role');
    const edit = element('button', 'Edit', 'toggle secondary');
    edit.type = 'button';
    edit.title = 'Change this prompt and send it again: what followed it is replaced';
    edit.setAttribute('aria-label', 'Edit and resend this prompt');
    edit.disabled = busy;
    const text = element('div', turn.text, 'text');
    edit.addEventListener('click', () => startEditing(turn.id, turn.text, text));
    heading.append(element('span', 'You'), edit);
    node.append(heading, text);
    return node;
  }
  node.dataset.state = turn.state;
  if (turn.droppedExchanges) {
    node.append(
      element(
        'div',
        `${turn.droppedExchanges} earlier ${turn.droppedExchanges === 1 ? 'exchange was' : 'exchanges were'} not sent with this prompt, to stay within the context budget (setting sagemaker.chat.contextCharacters).`,
        'note',
      ),
    );
  }
  if (turn.notSent) node.append(element('div', turn.notSent, 'note'));
  const heading = element('div', undefined, 'role');
  const raw = element('button', 'Raw', 'toggle secondary');
  raw.type = 'button';
  raw.title = 'Show the answer as the model wrote it, without markdown formatting';
  raw.setAttribute('aria-pressed', String(showRaw.has(turn.id)));
  raw.addEventListener('click', () => {
    if (showRaw.has(turn.id)) showRaw.delete(turn.id);
    else showRaw.add(turn.id);
    raw.setAttribute('aria-pressed', String(showRaw.has(turn.id)));
    const live = streaming.get(turn.id);
    if (live) renderStreaming(turn.id, live);
    else renderBody(turn.id, body, turn.text);
  });
  heading.append(element('span', `${endpoint} · ${FORMAT_NAMES[turn.format] ?? turn.format}`), raw);
  const body = element('div', undefined, 'text answer');
  node.append(heading, body);
  if (turn.state === 'streaming') {
    const answer = new IncrementalAnswer(body, renderMarkdown, turn.text);
    streaming.set(turn.id, answer);
    renderStreaming(turn.id, answer);
  } else {
    streaming.delete(turn.id);
    renderBody(turn.id, body, turn.text);
  }
  if (turn.metrics) {
    node.append(element('div', metricsLine(turn.metrics, turn.state === 'stopped'), 'metrics'));
  }
  if (turn.failure) {
    node.append(renderFailure(turn));
  }
  if (turn.state !== 'streaming' && !turn.failure) {
    const regenerate = element('button', 'Regenerate', 'secondary regenerate');
    regenerate.type = 'button';
    regenerate.title = 'Ask again for an answer to the same prompt, in place of this one';
    regenerate.disabled = busy;
    regenerate.addEventListener('click', () => vscode.postMessage({ type: 'regenerate', turnId: turn.id }));
    const actions = element('div', undefined, 'actions');
    actions.append(regenerate);
    node.append(actions);
  }
  return node;
}

/** A user turn's text as an editable box: Enter (or Send) resends it, Escape (or Cancel) leaves it. */
function startEditing(id: number, original: string, text: HTMLElement): void {
  if (busy) return;
  const box = element('textarea', undefined, 'edit-box');
  box.value = original;
  box.rows = Math.min(10, original.split('\n').length + 1);
  box.setAttribute('aria-label', 'Edited prompt');
  const resend = element('button', 'Send');
  resend.type = 'button';
  const cancel = element('button', 'Cancel', 'secondary');
  cancel.type = 'button';
  const editor = element('div', undefined, 'editing');
  const actions = element('div', undefined, 'actions');
  actions.append(resend, cancel);
  editor.append(box, actions);
  const submitEdit = () => {
    if (box.value.trim() === '' || busy) return;
    vscode.postMessage({ type: 'parameters', parameters: readParameters() });
    vscode.postMessage({ type: 'edit', turnId: id, prompt: box.value });
  };
  const leave = () => {
    editor.replaceWith(text);
  };
  resend.addEventListener('click', submitEdit);
  cancel.addEventListener('click', leave);
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitEdit();
    } else if (event.key === 'Escape') {
      leave();
    }
  });
  text.replaceWith(editor);
  box.focus();
}

/** An answer's text into `body`: sanitised markdown with tools on each code block, or raw text. */
function renderBody(id: number, body: HTMLElement, text: string): void {
  if (showRaw.has(id)) {
    body.classList.add('raw');
    body.replaceChildren(document.createTextNode(text));
    return;
  }
  body.classList.remove('raw');
  body.replaceChildren(renderMarkdown(text));
}

/** Sanitised markdown with the tools on each code block. */
function renderMarkdown(text: string, options: { highlight?: boolean } = {}): DocumentFragment {
  const rendered = renderAnswer(text, options);
  for (const code of Array.from(rendered.querySelectorAll('pre > code'))) addCodeTools(code as HTMLElement);
  return rendered;
}

/** A streaming answer brought up to its text: its tail only (the whole text when raw, or in the bench's baseline). */
function renderStreaming(id: number, answer: IncrementalAnswer): void {
  if (showRaw.has(id) || WHOLE_RENDER) {
    renderBody(id, answer.body, answer.value);
    return;
  }
  if (answer.body.classList.contains('raw') || answer.body.childElementCount !== 2) {
    // Back from raw: the kept blocks were replaced; start the incremental view again.
    const fresh = new IncrementalAnswer(answer.body, renderMarkdown, answer.value);
    streaming.set(id, fresh);
    answer.body.classList.remove('raw');
    fresh.update();
    return;
  }
  answer.update();
}

/** Copy and Insert at Cursor above a code block; the host does both (the clipboard, the editor). */
function addCodeTools(code: HTMLElement): void {
  const pre = code.parentElement!;
  const language = fenceLanguage(code.className);
  const block = element('div', undefined, 'code-block');
  const tools = element('div', undefined, 'code-tools');
  tools.append(element('span', language ?? 'text', 'code-language'));
  for (const [label, type] of [['Copy', 'copy'], ['Insert at Cursor', 'insert']] as const) {
    const button = element('button', label, 'secondary');
    button.type = 'button';
    button.setAttribute('aria-label', `${label}: ${language ?? 'text'} code`);
    // The code as written: the highlighter's spans only wrap its text.
    button.addEventListener('click', () => vscode.postMessage({ type, text: code.textContent ?? '', ...(language ? { language } : {}) }));
    tools.append(button);
  }
  pre.replaceWith(block);
  block.append(tools, pre);
}

/** Renders the answers whose text grew since the last frame. */
function renderPending(): void {
  withScroll(() => {
    for (const id of pendingRender) {
      const answer = streaming.get(id);
      if (answer) renderStreaming(id, answer);
    }
    for (const side of pendingCompare) renderCompareSide(side);
  });
  pendingRender.clear();
  pendingCompare.clear();
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
  send.disabled = value || comparing;
  stop.disabled = !(value || comparing);
  inputs.format.disabled = value;
  detectFormat.disabled = value;
  // Regenerate and Edit start a new answer: not while one is being written.
  for (const button of Array.from(transcript.querySelectorAll<HTMLButtonElement>('.regenerate, .turn.user .toggle'))) button.disabled = value;
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
      conversationTitle.textContent = message.title;
      showPresets(message.presets);
      showParameters(message.parameters);
      streaming.clear();
      pendingRender.clear();
      withScroll(() => transcript.replaceChildren(...(message.turns.length ? message.turns.map(renderTurn) : [emptyHint()])));
      setBusy(message.busy);
      break;
    case 'delta': {
      const answer = streaming.get(message.id);
      if (!answer) break;
      answer.append(message.text);
      scheduleRender();
      pendingRender.add(message.id);
      break;
    }
    case 'format':
      showFormat(message);
      break;
    case 'endpoints':
      endpointList.replaceChildren(...message.names.map((name) => Object.assign(element('option'), { value: name })));
      break;
    case 'compareStart':
      startCompare(message.prompt, message.sides);
      setBusy(busy);
      break;
    case 'compareDelta': {
      const side = compareStreams[message.side];
      if (!side) break;
      side.append(message.text);
      scheduleRender();
      pendingCompare.add(message.side);
      break;
    }
    case 'compareSide':
      showCompareSide(message.side, message.answer);
      break;
    case 'compareEnd':
      comparing = message.busy;
      setBusy(busy);
      break;
    case 'banner':
      renderBanner(banner, message.failure, (step) => vscode.postMessage({ type: 'step', step }));
      break;
    case 'turn': {
      const existing = transcript.querySelector(`[data-id="${message.turn.id}"]`);
      pendingRender.delete(message.turn.id);
      if (existing) withScroll(() => existing.replaceWith(renderTurn(message.turn)));
      else if (message.turn.role === 'compare') {
        // A Compare that ended, kept in the conversation below what came before it.
        transcript.querySelector('.hint')?.remove();
        withScroll(() => transcript.append(renderTurn(message.turn)));
      }
      setBusy(message.busy);
      break;
    }
  }
}

function submit(): void {
  const text = prompt.value;
  if (busy || comparing || text.trim() === '') return;
  if (compareOpen()) {
    vscode.postMessage({ type: 'compare', prompt: text, sides: compareSides() });
  } else {
    vscode.postMessage({ type: 'parameters', parameters: readParameters() });
    vscode.postMessage({ type: 'send', prompt: text });
  }
  prompt.value = '';
  vscode.setState({ draft: '' });
}

prompt.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter is a new line; Enter that confirms an IME composition does neither.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  } else if (event.key === 'Escape' && (busy || comparing)) {
    vscode.postMessage({ type: comparing ? 'stopCompare' : 'stop' });
  }
});
prompt.addEventListener('input', () => vscode.setState({ draft: prompt.value }));
send.addEventListener('click', submit);
stop.addEventListener('click', () => vscode.postMessage({ type: comparing ? 'stopCompare' : 'stop' }));
clear.addEventListener('click', () => vscode.postMessage({ type: 'clear' }));
byId<HTMLFormElement>('parameters').addEventListener('change', (event) => {
  if (event.target === presetSelect) applyPreset(presetSelect.value);
  if (event.target === inputs.format && inputs.format.value !== 'custom') vscode.postMessage({ type: 'chooseFormat', format: inputs.format.value as Exclude<PayloadFormat, 'custom'> });
  vscode.postMessage({ type: 'parameters', parameters: readParameters() });
});
byId<HTMLButtonElement>('savePreset').addEventListener('click', () => vscode.postMessage({ type: 'savePreset', parameters: readParameters() }));
byId<HTMLButtonElement>('conversations').addEventListener('click', () => vscode.postMessage({ type: 'conversations' }));
byId<HTMLButtonElement>('rename').addEventListener('click', () => vscode.postMessage({ type: 'rename' }));
byId<HTMLButtonElement>('export').addEventListener('click', () => vscode.postMessage({ type: 'export' }));

/** A preset's values over the current ones (what it leaves out stays as it is). */
function applyPreset(name: string): void {
  const preset = presets.find((candidate) => candidate.name === name);
  if (!preset) return;
  const current = readParameters();
  showParameters(normalizeParameters({ ...current, ...preset.parameters, format: current.format }));
}
byId<HTMLFormElement>('parameters').addEventListener('submit', (event) => event.preventDefault());

// --- the format line ------------------------------------------------------------------------------

const detectFormat = byId<HTMLButtonElement>('detectFormat');
const formatStatus = byId<HTMLElement>('formatStatus');
const templateBox = byId<HTMLDetailsElement>('templateBox');
const template = {
  request: byId<HTMLTextAreaElement>('templateRequest'),
  answerPath: byId<HTMLInputElement>('answerPath'),
  chunkPath: byId<HTMLInputElement>('chunkPath'),
};

function probeLine(steps: readonly ProbeStep[]): string {
  const outcome = { answered: 'answered', refused: 'refused', needsEula: 'asks for its EULA to be accepted' } as const;
  return steps.map((step) => `${FORMAT_NAMES[step.format]} ${outcome[step.outcome]} (${step.detail})`).join(' · ');
}

function showFormat(message: Extract<HostMessage, { type: 'format' }>): void {
  const remembered: EndpointFormat | undefined = message.endpointFormat;
  const lines: string[] = [];
  if (message.detecting) lines.push('Detecting the format: one tiny request in each format…');
  else if (remembered) {
    lines.push(
      `Format: ${FORMAT_NAMES[remembered.format]} — ${remembered.how === 'detected' ? 'detected on first use' : 'chosen by you'}, remembered for this endpoint${remembered.acceptEula ? ' · EULA accepted' : ''}.`,
    );
    inputs.format.value = remembered.format;
  } else lines.push('Format: not known yet — detected when you send the first prompt (or press Detect Format).');
  const steps = remembered?.probe ?? message.probe;
  if (steps && !message.detecting) lines.push(`Probe: ${probeLine(steps)}`);
  formatStatus.replaceChildren(document.createTextNode(lines.join('\n')));
  if (message.problem) formatStatus.append(element('span', `\n${message.problem}`, 'problem'));
  if (remembered?.template) {
    template.request.value = remembered.template.request;
    template.answerPath.value = remembered.template.answerPath;
    template.chunkPath.value = remembered.template.chunkPath ?? '';
  }
  showTemplateBox();
}

function showTemplateBox(): void {
  templateBox.hidden = inputs.format.value !== 'custom';
  if (!templateBox.hidden) templateBox.open = true;
}

inputs.format.addEventListener('change', showTemplateBox);
detectFormat.addEventListener('click', () => vscode.postMessage({ type: 'detectFormat' }));
byId<HTMLButtonElement>('useTemplate').addEventListener('click', () =>
  vscode.postMessage({
    type: 'template',
    template: {
      request: template.request.value,
      answerPath: template.answerPath.value,
      ...(template.chunkPath.value.trim() === '' ? {} : { chunkPath: template.chunkPath.value }),
    },
  }),
);

// --- Compare --------------------------------------------------------------------------------------

const compareToggle = byId<HTMLButtonElement>('compareToggle');
const compareSection = byId<HTMLElement>('compare');
const endpointList = byId<HTMLDataListElement>('endpointList');
const comparePrompt = byId<HTMLElement>('comparePrompt');
const sideFields = Array.from(compareSection.querySelectorAll<HTMLFieldSetElement>('.compare-side')).map((fieldset) => ({
  endpoint: fieldset.querySelector<HTMLInputElement>('.side-endpoint')!,
  preset: fieldset.querySelector<HTMLSelectElement>('.side-preset')!,
  temperature: fieldset.querySelector<HTMLInputElement>('.side-temperature')!,
  maxNewTokens: fieldset.querySelector<HTMLInputElement>('.side-maxNewTokens')!,
}));
const compareColumns = Array.from(compareSection.querySelectorAll<HTMLElement>('.compare-answer'));
/** Each side's streaming answer while Compare runs. */
let compareStreams: IncrementalAnswer[] = [];
const pendingCompare = new Set<number>();
let comparing = false;

function compareOpen(): boolean {
  return !compareSection.hidden;
}

function scheduleRender(): void {
  if (pendingRender.size === 0 && pendingCompare.size === 0) requestAnimationFrame(renderPending);
}

compareToggle.addEventListener('click', () => {
  const open = !compareOpen();
  compareSection.hidden = !open;
  compareToggle.setAttribute('aria-pressed', String(open));
  send.textContent = open ? 'Compare' : 'Send';
  prompt.placeholder = open ? 'A prompt for both sides… (Enter to compare, Shift+Enter for a new line)' : 'Ask the model… (Enter to send, Shift+Enter for a new line)';
  if (open) {
    vscode.postMessage({ type: 'listEndpoints' });
    const current = readParameters();
    for (const side of sideFields) {
      if (side.endpoint.value === '') side.endpoint.value = endpoint;
      if (side.temperature.value === '') side.temperature.value = String(current.temperature);
      if (side.maxNewTokens.value === '') side.maxNewTokens.value = String(current.maxNewTokens);
      side.preset.replaceChildren(element('option', '—'), ...presets.map((preset) => Object.assign(element('option', preset.name), { value: preset.name })));
      (side.preset.firstChild as HTMLOptionElement).value = '';
    }
    sideFields[0].endpoint.focus();
  } else {
    prompt.focus();
  }
});

for (const side of sideFields) {
  side.preset.addEventListener('change', () => {
    const preset = presets.find((candidate) => candidate.name === side.preset.value);
    if (preset?.parameters.temperature !== undefined) side.temperature.value = String(preset.parameters.temperature);
    if (preset?.parameters.maxNewTokens !== undefined) side.maxNewTokens.value = String(preset.parameters.maxNewTokens);
  });
}

/** Both sides: the panel's parameters, a side's preset over them, then its own fields. */
function compareSides(): CompareSide[] {
  const current = readParameters();
  return sideFields.map((side) => {
    const preset = presets.find((candidate) => candidate.name === side.preset.value);
    return {
      endpoint: side.endpoint.value.trim() || endpoint,
      ...(preset ? { preset: preset.name } : {}),
      parameters: normalizeParameters({
        ...current,
        ...(preset?.parameters ?? {}),
        temperature: side.temperature.valueAsNumber,
        maxNewTokens: side.maxNewTokens.valueAsNumber,
      }),
    };
  });
}

function startCompare(text: string, sides: CompareSide[]): void {
  comparing = true;
  comparePrompt.textContent = `Prompt: ${text}`;
  compareStreams = compareColumns.map((column, index) => {
    column.dataset.state = 'streaming';
    const side = sides[index];
    column.querySelector('h2')!.textContent = compareSideLabel(index, side);
    column.querySelector('.metrics')!.replaceChildren();
    column.querySelector('.failure')?.remove();
    column.setAttribute('aria-busy', 'true');
    return new IncrementalAnswer(column.querySelector<HTMLElement>('.answer')!, renderMarkdown);
  });
}

function renderCompareSide(side: number): void {
  compareStreams[side]?.update();
}

/** A Compare kept in the conversation: its prompt, then both sides as they ended, side by side. */
function renderComparison(node: HTMLElement, turn: ComparisonTurn): void {
  node.setAttribute('role', 'group');
  node.setAttribute('aria-label', `Compared: ${turn.prompt}`);
  node.append(element('div', 'Compared', 'role'), element('div', turn.prompt, 'text'));
  const columns = element('div', undefined, 'compare-columns');
  turn.sides.forEach((side, index) => {
    // A group, not a region: the live Compare columns above are the regions named by their sides.
    const column = element('div', undefined, 'compare-answer');
    const heading = element('h3', `${side.label}${side.answer.format ? ` · ${FORMAT_NAMES[side.answer.format]}` : ''}`);
    heading.id = `compared-${turn.id}-${index}`;
    column.setAttribute('role', 'group');
    column.setAttribute('aria-labelledby', heading.id);
    column.dataset.state = side.answer.state;
    const body = element('div', undefined, 'text answer');
    body.replaceChildren(renderMarkdown(side.answer.text));
    column.append(heading, body);
    if (side.answer.metrics) column.append(element('div', metricsLine(side.answer.metrics, side.answer.state === 'stopped'), 'metrics'));
    if (side.answer.failure) column.append(compareFailure(side.answer.failure));
    columns.append(column);
  });
  node.append(columns);
}

function compareFailure(failure: NonNullable<CompareAnswer['failure']>): HTMLElement {
  const box = element('div', undefined, 'failure');
  box.setAttribute('role', 'alert');
  box.append(element('strong', failure.title), element('p', failure.message));
  if (failure.detail) box.append(element('p', failure.detail, 'detail'));
  return box;
}

function showCompareSide(side: number, answer: CompareAnswer): void {
  const column = compareColumns[side];
  if (!column) return;
  const heading = column.querySelector('h2')!;
  if (answer.format && !heading.textContent!.includes(FORMAT_NAMES[answer.format])) heading.textContent += ` · ${FORMAT_NAMES[answer.format]}`;
  if (answer.state === 'streaming') return;
  pendingCompare.delete(side);
  column.dataset.state = answer.state;
  column.setAttribute('aria-busy', 'false');
  const body = column.querySelector<HTMLElement>('.answer')!;
  body.replaceChildren(renderMarkdown(answer.text));
  if (answer.metrics) column.querySelector('.metrics')!.textContent = metricsLine(answer.metrics, answer.state === 'stopped');
  if (answer.failure) column.append(compareFailure(answer.failure));
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostMessage(event.data)) receive(event.data);
});

prompt.value = vscode.getState()?.draft ?? '';
setBusy(false);
prompt.focus();
vscode.postMessage({ type: 'ready' });
