// The chat's payload formats in the real extension host, against the emulator's echo model servers
// (format-echo: one endpoint per format): the format probed on the first prompt and its steps shown,
// remembered per endpoint (a reopened chat does not probe again), the user's pick over the probe's
// (and Detect the Format Again when the pick is wrong), a JumpStart model that refuses until its EULA
// is accepted from the chat, a custom template for a shape no known format fits; and Compare: one
// prompt to two endpoints, and to one endpoint with two parameter sets, streamed in parallel, then
// kept with the conversation (reopened and exported with both sides). A format is remembered for the
// endpoint's configuration: an endpoint updated to another model is probed again.
import { CreateEndpointConfigCommand, CreateModelCommand, DescribeEndpointCommand, UpdateEndpointCommand } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AssistantTurn, HostMessage } from '../../../webview/chat/protocol';
import type { Workbench } from '../../../src/workbench';
import type { ChatSession } from '../../../src/panels/chatSession';
import { conversationToMarkdown } from '../../../src/pipeline/chat/conversations';
import { deployEchoEndpoint } from '../../../harness/endpoints';
import { activateWorkbench, emulatorUrl, sageMaker, uniqueName } from '../../../harness/extensionHostFixtures';

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
    const last = session.transcript[session.transcript.length - 1];
    assert.equal(last.role === 'assistant' && last.text, 'again');
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
    // The conversation goes with each prompt as the model's one dialog (the server refuses a dialog
    // whose roles do not alternate user/assistant ending with the user): it answers the last user turn,
    // whole, as a generation that says no token count.
    const second = await session.send('second turn of three words');
    assert.equal(second.state, 'done', JSON.stringify(second.failure));
    assert.equal(second.text, 'second turn of three words');
    assert.equal(second.metrics?.tokens, 0, 'answered whole, not a word an event');
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

  it('probes again once the endpoint was updated to another model, and keeps the format while it runs the same one', async function () {
    this.timeout(90_000);
    const formats = workbench.chatPanels.formats;
    assert.equal(formats.get(names.custom)?.format, 'custom', 'the custom template test ran first');
    assert.equal(formats.get(names.custom)?.endpointConfig, names.custom, 'remembered with the configuration the endpoint ran');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until(() => !workbench.chatPanels.isOpen(names.custom));
    const next = await updateToEcho(names.custom, 'tgi');
    const session = workbench.chatPanels.show(names.custom);
    session.handle({ type: 'parameters', parameters: { format: 'messages', ...GREEDY } });
    let answer;
    const shown = await formatMessages(session, async () => (answer = await session.send('after the update')));
    assert.equal(answer!.state, 'done', JSON.stringify(answer!.failure));
    assert.equal(answer!.format, 'tgi');
    assert.equal(answer!.text.trim(), 'after the update');
    assert.ok(shown.some((message) => message.detecting), 'the probe ran again');
    assert.deepEqual([formats.get(names.custom)?.format, formats.get(names.custom)?.how, formats.get(names.custom)?.endpointConfig], ['tgi', 'detected', next]);
    // Same configuration: the next prompt, and a new panel's, use what was found.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until(() => !workbench.chatPanels.isOpen(names.custom));
    const reopened = workbench.chatPanels.show(names.custom);
    const again = await formatMessages(reopened, () => reopened.send('once more'));
    assert.ok(!again.some((message) => message.detecting), 'no probe while the endpoint runs the same configuration');
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
    // As the panel's Compare runs it: kept in the conversation once both sides ended, and saved.
    const kept = await session.compare(prompt, [
      { endpoint: names.messages, parameters: { format: 'messages', ...GREEDY, maxNewTokens: 2 } },
      { endpoint: names.messages, preset: 'long', parameters: { format: 'messages', ...GREEDY, maxNewTokens: 8 } },
    ]);
    listening.dispose();
    const [short, long] = kept!.sides;
    assert.equal(short.answer.text, 'a b ');
    assert.equal(short.answer.metrics?.finishReason, 'length');
    assert.equal(long.answer.text, prompt);
    assert.deepEqual(kept!.sides.map((side) => side.label), [`A · ${names.messages} · temperature 0, max 2 tokens`, `B · ${names.messages} · preset long, temperature 0, max 8 tokens`]);
    // Compare's prompt is not a prompt of the conversation: no answer of the endpoint to it.
    assert.ok(!session.transcript.some((turn) => turn.role !== 'compare' && turn.text === prompt));
    assert.equal(session.transcript[session.transcript.length - 1], kept);
    await until(() => workbench.chatPanels.conversations.get(session.conversationId)?.turns.some((turn) => turn.role === 'compare' && turn.id === kept!.id) === true);
    const stored = workbench.chatPanels.conversations.get(session.conversationId)!;
    const storedCompare = stored.turns.find((turn) => turn.role === 'compare')!;
    assert.deepEqual(storedCompare, JSON.parse(JSON.stringify(kept)));
    // Reopened (a new panel reads the kept conversation), the Compare is there with both answers.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until(() => !workbench.chatPanels.isOpen(names.tgi));
    const reopened = workbench.chatPanels.show(names.tgi);
    assert.notEqual(reopened, session, 'a new panel and session');
    assert.deepEqual(
      reopened.transcript.filter((turn) => turn.role === 'compare').map((turn) => turn.sides.map((side) => side.answer.text)),
      [['a b ', prompt]],
    );
    assert.match(conversationToMarkdown(stored), new RegExp(`### B · ${names.messages} · preset long, temperature 0, max 8 tokens · Messages API\n\n${prompt}\n\n\\*first token`));
  });
});

/** Updates `endpoint` to a new configuration whose model is the echo server in `format`; resolves once it is InService on it. */
async function updateToEcho(endpoint: string, format: 'tgi' | 'messages'): Promise<string> {
  const client = sageMaker();
  const next = `${endpoint}-v2`;
  try {
    await client.send(new CreateModelCommand({ ModelName: next, ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerExecutionRole', PrimaryContainer: { Image: 'sagemaker-emulator/format-echo:latest', Environment: { SM_EMULATOR_FORMAT: format } } }));
    await client.send(new CreateEndpointConfigCommand({ EndpointConfigName: next, ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: next, InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }] }));
    await client.send(new UpdateEndpointCommand({ EndpointName: endpoint, EndpointConfigName: next }));
    // Awaited: InService on the new configuration (every 250 ms, at most 60 s).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const described = await client.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
      if (described.EndpointStatus === 'InService' && described.EndpointConfigName === next) return next;
      if (Date.now() > deadline) throw new Error(`${endpoint} is ${described.EndpointStatus} on ${described.EndpointConfigName} after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    client.destroy();
  }
}

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

/** Resolves once `condition` holds (checked every 20 ms, at most 5 s): a remembered format, a kept conversation are written asynchronously. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within 5 s: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
