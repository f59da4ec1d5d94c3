// The chat's payload formats in the real extension host, against the emulator's echo model servers
// (format-echo: one endpoint per format): the format probed on the first prompt and its steps shown,
// remembered per endpoint (a reopened chat does not probe again), the user's pick over the probe's
// (and Detect the Format Again when the pick is wrong), a JumpStart model that refuses until its EULA
// is accepted from the chat, a custom template for a shape no known format fits; and Compare: one
// prompt to two endpoints, and to one endpoint with two parameter sets, streamed in parallel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AssistantTurn, HostMessage } from '../../../webview/chat/protocol';
import type { Workbench } from '../../../src/workbench';
import type { ChatSession } from '../../../src/panels/chatSession';
import { deployEchoEndpoint } from '../../../harness/endpoints';
import { activateWorkbench, emulatorUrl, uniqueName } from '../../../harness/extensionHostFixtures';

const TEMPLATE = { request: '{"prompt": "{{prompt}}", "max_length": "{{max_new_tokens}}", "stream": true}', answerPath: '$.output.text', chunkPath: '$.delta.text' };
const GREEDY = { maxNewTokens: 50, temperature: 0, topP: 1 };

/** The format messages `session` posts while `body` runs. */
async function formatMessages(session: ChatSession, body: () => Promise<unknown>): Promise<Extract<HostMessage, { type: 'format' }>[]> {
  const seen: Extract<HostMessage, { type: 'format' }>[] = [];
  const listening = session.onMessage((message) => message.type === 'format' && seen.push(message));
  try {
    await body();
  } finally {
    listening.dispose();
  }
  return seen;
}

describe('Chat formats and Compare', () => {
  const names = {
    messages: uniqueName('fmt-messages'),
    tgi: uniqueName('fmt-tgi'),
    lmi: uniqueName('fmt-lmi'),
    jumpstart: uniqueName('fmt-jumpstart'),
    custom: uniqueName('fmt-custom'),
  };
  let workbench: Workbench;

  before(async function () {
    this.timeout(90_000);
    workbench = await activateWorkbench();
    await Promise.all(Object.entries(names).map(([format, name]) => deployEchoEndpoint(emulatorUrl(), name, format as keyof typeof names, { timeoutMs: 80_000 })));
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  for (const format of ['messages', 'tgi', 'lmi'] as const) {
    it(`detects ${format} on the first prompt, shows the probe's steps, and remembers it for the endpoint`, async () => {
      const session = workbench.chatPanels.show(names[format]);
      assert.equal(session.endpointFormat, undefined);
      session.handle({ type: 'parameters', parameters: { format: 'messages', ...GREEDY } });
      let answer;
      const shown = await formatMessages(session, async () => (answer = await session.send('one two three')));
      assert.equal(answer!.state, 'done', JSON.stringify(answer!.failure));
      assert.equal(answer!.text.trim(), 'one two three');
      assert.equal(answer!.format, format);
      assert.ok(answer!.metrics!.tokens >= 3, 'streamed token by token');
      assert.ok(shown.some((message) => message.detecting), 'the panel was told the probe ran');
      const last = shown[shown.length - 1];
      assert.equal(last.endpointFormat?.format, format);
      assert.equal(last.endpointFormat?.how, 'detected');
      const steps = last.endpointFormat!.probe!;
      assert.equal(steps[steps.length - 1].outcome, 'answered');
      assert.equal(steps[steps.length - 1].format, format);
      // Messages API first: the TGI and LMI servers refused it (422 and 400).
      if (format !== 'messages') assert.match(steps[0].detail, format === 'tgi' ? /^422/ : /^400/);
      assert.equal(workbench.chatPanels.formats.get(names[format])?.format, format);
    });
  }

  it('uses the remembered format when the chat is opened again: no probe', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const session = workbench.chatPanels.show(names.tgi);
    assert.equal(session.currentParameters.format, 'tgi');
    const shown = await formatMessages(session, () => session.send('again'));
    assert.ok(!shown.some((message) => message.detecting), 'the remembered format was used');
    assert.equal(session.transcript[session.transcript.length - 1].text, 'again');
  });

  it('sends in the format the user picks over the probe\'s; a wrong pick fails with Detect the Format Again, which finds it again', async () => {
    const session = workbench.chatPanels.show(names.messages);
    session.handle({ type: 'chooseFormat', format: 'lmi' });
    await until(() => workbench.chatPanels.formats.get(names.messages)?.how === 'chosen');
    assert.equal(workbench.chatPanels.formats.get(names.messages)?.format, 'lmi');
    const refused = await session.send('picked wrong');
    assert.equal(refused.state, 'failed');
    assert.equal(refused.format, 'lmi');
    assert.equal(refused.failure?.title, 'The model server answered 400');
    assert.ok(refused.failure?.actions.includes('detectFormat'));
    const retried = nextAnswer(session);
    session.handle({ type: 'action', action: 'detectFormat', turnId: refused.id });
    const answer = await retried;
    assert.equal(answer.state, 'done', JSON.stringify(answer));
    assert.equal(answer.text, 'picked wrong');
    assert.deepEqual(workbench.chatPanels.formats.get(names.messages)?.how, 'detected');
  });

  it('JumpStart: refused until the EULA is accepted from the chat; then accept_eula=true goes with every request', async () => {
    const session = workbench.chatPanels.show(names.jumpstart);
    const refused = await session.send('license first');
    assert.equal(refused.state, 'failed');
    assert.equal(refused.failure?.title, 'The model needs its licence (EULA) accepted');
    assert.match(refused.failure!.message, /accept_eula=true/);
    assert.deepEqual(refused.failure?.actions, ['acceptEula']);
    assert.equal(workbench.chatPanels.formats.get(names.jumpstart)?.acceptEula, undefined);
    const retried = nextAnswer(session);
    session.handle({ type: 'action', action: 'acceptEula', turnId: refused.id });
    const answer = await retried;
    assert.equal(answer.state, 'done', JSON.stringify(answer.failure));
    assert.equal(answer.text, 'license first');
    assert.equal(workbench.chatPanels.formats.get(names.jumpstart)?.acceptEula, true);
    // The conversation goes with each prompt (JumpStart's dialog): the server answers the last user turn.
    assert.equal((await session.send('second turn')).text, 'second turn');
  });

  it('custom template: no known format answers, the failure says so; a bad template is refused; a good one streams by its chunk path', async () => {
    const session = workbench.chatPanels.show(names.custom);
    const none = await session.send('shape of my own');
    assert.equal(none.state, 'failed');
    assert.match(none.failure!.title, /answered none of the known formats/);
    assert.match(none.failure!.message, /Messages API: 400/);
    assert.equal(workbench.chatPanels.formats.get(names.custom), undefined);

    const bad = await formatMessages(session, () => session.chooseFormat('custom', { ...TEMPLATE, request: '{"prompt": "hi"}' }));
    assert.match(bad[bad.length - 1].problem ?? '', /needs \{\{prompt\}\} or \{\{messages\}\}/);
    assert.equal(workbench.chatPanels.formats.get(names.custom), undefined);

    session.handle({ type: 'template', template: TEMPLATE });
    await until(() => workbench.chatPanels.formats.get(names.custom)?.format === 'custom');
    const answer = await session.send('shape of my own');
    assert.equal(answer.state, 'done', JSON.stringify(answer.failure));
    assert.equal(answer.text, 'shape of my own');
    assert.equal(answer.metrics?.tokens, 4, 'one chunk per word, read by $.delta.text');
  });

  it('Compare: one prompt to two endpoints and to one endpoint with two parameter sets, both streamed, each with its figures', async () => {
    const session = workbench.chatPanels.show(names.tgi);
    const deltas = [0, 0];
    const listening = session.onMessage((message) => message.type === 'compareDelta' && deltas[message.side]++);
    const prompt = 'a b c d e f g h';
    const [left, right] = await session.comparison.run(prompt, [
      { endpoint: names.tgi, parameters: { format: 'messages', ...GREEDY } },
      { endpoint: names.lmi, parameters: { format: 'messages', ...GREEDY } },
    ]);
    for (const side of [left, right]) {
      assert.equal(side.state, 'done', JSON.stringify(side.failure));
      assert.equal(side.text, prompt);
      assert.ok(side.metrics?.firstTokenMs !== undefined && side.metrics.tokensPerSecond !== undefined);
    }
    assert.deepEqual([left.format, right.format], ['tgi', 'lmi']);
    assert.ok(deltas[0] > 1 && deltas[1] > 1, `both sides streamed (${deltas})`);
    const [short, long] = await session.comparison.run(prompt, [
      { endpoint: names.messages, parameters: { format: 'messages', ...GREEDY, maxNewTokens: 2 } },
      { endpoint: names.messages, parameters: { format: 'messages', ...GREEDY, maxNewTokens: 8 } },
    ]);
    listening.dispose();
    assert.equal(short.text, 'a b ');
    assert.equal(short.metrics?.finishReason, 'length');
    assert.equal(long.text, prompt);
    // The conversation is untouched by Compare.
    assert.ok(!session.transcript.some((turn) => turn.text === prompt));
  });
});

/** The next finished answer the session posts. */
function nextAnswer(session: ChatSession): Promise<AssistantTurn> {
  return new Promise((resolve) => {
    const listening = session.onMessage((message) => {
      if (message.type === 'turn' && message.turn.role === 'assistant') {
        listening.dispose();
        resolve(message.turn);
      }
    });
  });
}

/** Resolves once `condition` holds (checked every 20 ms, at most 5 s): a remembered format is written asynchronously. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the format was not remembered within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
