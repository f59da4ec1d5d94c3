// Integration suite (in the real extension host) of Endpoints view and chat.
import { DescribeModelCommand, ListEndpointConfigsCommand, ListModelsCommand } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostMessage } from '../../../webview/chat/protocol';
import type { Workbench } from '../../../src/workbench';
import { deployTestEndpoint, putTestModel } from '../../../harness/endpoints';
import { activateWorkbench, emulatorUrl, labelOf, objectItem, sageMaker, uniqueName } from '../../../harness/extensionHostFixtures';

/** The endpoint's tree item once `accept` holds for it, read each time the view changes. */
async function endpointItem(workbench: Workbench, name: string, accept: (item: vscode.TreeItem) => boolean): Promise<vscode.TreeItem> {
  const deadline = Date.now() + 25_000;
  let last: vscode.TreeItem | undefined;
  while (Date.now() < deadline) {
    const changed = new Promise<void>((resolve) => {
      const subscription = workbench.endpoints.onDidChangeTreeData(() => {
        subscription.dispose();
        resolve();
      });
      setTimeout(() => {
        subscription.dispose();
        resolve();
      }, 3000);
    });
    last = (await workbench.endpoints.getChildren()).find((item) => labelOf(item) === name);
    if (last && accept(last)) return last;
    await changed; // the view polls while an endpoint is Creating
  }
  throw new Error(`endpoint ${name}: last seen as ${last?.contextValue} ${String(last?.description)}`);
}

describe('Endpoints view and chat', () => {
  const gpt = uniqueName('chat-gpt');
  const echo = uniqueName('chat-echo');
  const broken = uniqueName('chat-broken');
  let workbench: Workbench;

  before(async function () {
    this.timeout(60_000);
    workbench = await activateWorkbench();
    await deployTestEndpoint(emulatorUrl(), gpt, 'random-gpt');
    await deployTestEndpoint(emulatorUrl(), broken, 'missing-data');
    // Its instance answers /ping after 5 s: the endpoint is still Creating when the view first lists it.
    await deployTestEndpoint(emulatorUrl(), echo, 'streaming-echo', { startupDelayMs: 5000 });
    // Visible, the view polls while endpoints are being created.
    await vscode.commands.executeCommand('sagemaker.endpoints.focus');
    workbench.endpoints.refresh();
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('shows an endpoint Creating, then InService once its instance is healthy, re-reading it by itself', async () => {
    const creating = (await workbench.endpoints.getChildren()).find((item) => labelOf(item) === echo)!;
    assert.equal(creating.contextValue, 'endpoint.creating');
    assert.equal((creating.iconPath as vscode.ThemeIcon).id, 'sync~spin');
    // No refresh from here on: only the view's polling can show the change.
    const item = await endpointItem(workbench, echo, (candidate) => candidate.contextValue === 'endpoint.inService');
    assert.match(String(item.description), /^InService · /);
  });

  it('lists an endpoint\'s production variant with its model, instances and weight', async () => {
    const item = await endpointItem(workbench, gpt, (candidate) => candidate.contextValue === 'endpoint.inService');
    assert.match(String(item.description), /^InService · /);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    const variants = await workbench.endpoints.getChildren(item);
    assert.deepEqual(variants.map(labelOf), ['AllTraffic']);
    assert.equal(variants[0].contextValue, 'endpointVariant.fixed');
    assert.equal(variants[0].description, `${gpt} · 1/1 × ml.m5.large · weight 1`);
  });

  it('shows a failed endpoint with its failure reason', async () => {
    const item = await endpointItem(workbench, broken, (candidate) => candidate.contextValue === 'endpoint.failed');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /Failure reason: Failed to download model data/, tooltip);
  });

  it('streams an answer into the chat, in the Messages API and TGI formats, and focuses the open chat again', async () => {
    await endpointItem(workbench, gpt, (candidate) => candidate.contextValue === 'endpoint.inService');
    const session = workbench.chatPanels.show(gpt);
    assert.equal(workbench.chatPanels.show(gpt), session, 'one panel per endpoint');
    const deltas: string[] = [];
    session.onMessage((message: HostMessage) => {
      if (message.type === 'delta') deltas.push(message.text);
    });

    const first = await session.send('the cat');
    assert.equal(first.state, 'done', JSON.stringify(first.failure));
    assert.ok(first.text.length > 0);
    assert.equal(deltas.join(''), first.text, 'the answer is the streamed text');
    assert.ok(first.metrics!.tokens > 0);
    assert.ok(first.metrics!.firstTokenMs !== undefined);
    assert.equal(first.metrics!.variant, 'AllTraffic');
    assert.ok(['length', 'stop'].includes(first.metrics!.finishReason!), first.metrics!.finishReason);

    // The conversation goes on; then the same prompt as TGI text generation.
    const second = await session.send('the dog');
    assert.equal(second.state, 'done', JSON.stringify(second.failure));
    await session.chooseFormat('tgi'); // the user's pick in the panel's Format list
    session.handle({ type: 'parameters', parameters: { ...session.currentParameters, temperature: 0, maxNewTokens: 8 } });
    deltas.length = 0;
    const third = await session.send('the cat');
    assert.equal(third.state, 'done', JSON.stringify(third.failure));
    assert.equal(third.format, 'tgi');
    assert.equal(deltas.join(''), third.text);
    assert.ok(['length', 'eos_token'].includes(third.metrics!.finishReason!), third.metrics!.finishReason);
    assert.deepEqual(
      session.transcript.map((turn) => turn.role),
      ['user', 'assistant', 'user', 'assistant', 'user', 'assistant'],
    );
  });

  it('stops an answer that would go on, keeping what arrived', async () => {
    await endpointItem(workbench, echo, (candidate) => candidate.contextValue === 'endpoint.inService');
    const session = workbench.chatPanels.show(echo);
    // This server streams to any request until stopped, so no probe could finish: the user picks the format.
    await session.chooseFormat('messages');
    let parts = 0;
    const threeParts = new Promise<void>((resolve) =>
      session.onMessage((message) => {
        if (message.type === 'delta' && ++parts === 3) resolve();
      }),
    );
    const answer = session.send('hello'); // this model server streams `echo part N` until the client stops
    await threeParts;
    session.stop();
    const turn = await answer;
    assert.equal(turn.state, 'stopped');
    assert.match(turn.text, /^echo part 0echo part 1echo part 2/);
    assert.equal(session.busy, false);
    // The model server is free again: a new prompt streams too.
    let more = 0;
    const again = new Promise<void>((resolve) =>
      session.onMessage((message) => {
        if (message.type === 'delta' && ++more === 2) resolve();
      }),
    );
    const next = session.send('again');
    await again;
    session.stop();
    assert.equal((await next).state, 'stopped');
  });

  it('shows a failed invocation inline, with the next step', async () => {
    const missing = uniqueName('no-such-endpoint');
    const session = workbench.chatPanels.show(missing);
    const turn = await session.send('hello');
    assert.equal(turn.state, 'failed');
    assert.equal(turn.failure!.title, `Endpoint ${missing} is not available`);
    assert.match(turn.failure!.message, /not found/);
    assert.deepEqual(turn.failure!.actions, ['showEndpoints', 'retry']);
  });
});

describe('Deploy to Endpoint', () => {
  const role = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';

  it('deploys a model archive from the Datasets view as an endpoint that goes InService', async function () {
    this.timeout(60_000);
    const workbench = await activateWorkbench();
    const name = uniqueName('deployed');
    const modelDataUrl = await putTestModel(emulatorUrl(), name, 'random-gpt');
    const archive = await objectItem(workbench, modelDataUrl);
    assert.equal(archive.contextValue, 'object.modelArchive');

    const plan = { endpointName: name, instanceType: 'ml.g5.xlarge', image: 'sagemaker-emulator/builtin-gpt:latest', executionRoleArn: role };
    assert.equal(await vscode.commands.executeCommand('sagemaker.deployModel', archive, plan), name);
    const item = await endpointItem(workbench, name, (candidate) => candidate.contextValue === 'endpoint.inService');
    const [variant] = await workbench.endpoints.getChildren(item);
    assert.equal(variant.description, `${name} · 1/1 × ml.g5.xlarge · weight 1`);
    const model = await sageMaker().send(new DescribeModelCommand({ ModelName: name }));
    assert.equal(model.PrimaryContainer?.ModelDataUrl, modelDataUrl);
    assert.equal(model.ExecutionRoleArn, role);
  });

  it('deletes the model and configuration it made when a later step fails', async () => {
    const workbench = await activateWorkbench();
    const name = uniqueName('undeployed');
    const modelDataUrl = await putTestModel(emulatorUrl(), name, 'random-gpt');
    const archive = await objectItem(workbench, modelDataUrl);
    // The model is created, then the configuration is refused: the instance type is not one SageMaker has.
    const plan = { endpointName: name, instanceType: 'ml.nonexistent.large', image: 'sagemaker-emulator/builtin-gpt:latest', executionRoleArn: role };
    assert.equal(await vscode.commands.executeCommand('sagemaker.deployModel', archive, plan), undefined);
    const models = await sageMaker().send(new ListModelsCommand({ NameContains: name }));
    assert.deepEqual(models.Models ?? [], [], 'no model left behind');
    const configs = await sageMaker().send(new ListEndpointConfigsCommand({ NameContains: name }));
    assert.deepEqual(configs.EndpointConfigs ?? [], [], 'no endpoint configuration left behind');
  });
});
