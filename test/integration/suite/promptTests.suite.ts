// Prompt-test files in the real extension host: problems on their lines, lenses, the Testing view's
// items, runs against the emulator's GPT (one endpoint, then two side by side), failures with the
// failed assertion and the answer, re-running only the failed, an endpoint that does not exist, and
// a file that names no format (run in the chat's remembered or probed format).
import { waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptTestRunOutcome } from '../../../src/testing/promptTests';
import type { Workbench } from '../../../src/workbench';
import { deployTestEndpoint } from '../../../harness/endpoints';
import { activateWorkbench, emulatorUrl, sageMaker, uniqueName } from '../../../harness/extensionHostFixtures';

const CHECKS = `# Written as a user would: one case the tiny GPT passes, one it fails.
format: tgi
parameters:
  maxNewTokens: 12
variables:
  subject: The cat
cases:
  - name: continues a sentence
    prompt: "{{subject}}"
    assert:
      - max-tokens: 12
      - not-contains: "<script>"
  - name: explains physics
    prompt: Explain quantum chromodynamics
    assert:
      - max-tokens: 12
      - contains: gluon
`;

async function writeFile(name: string, text: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'the tests run in a workspace folder');
  const uri = vscode.Uri.joinPath(folder, name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

function children(item: vscode.TestItem): vscode.TestItem[] {
  const items: vscode.TestItem[] = [];
  item.children.forEach((child) => items.push(child));
  return items;
}

/** The next run's outcome, for runs the test starts through VS Code's own commands. */
function nextOutcome(workbench: Workbench, timeoutMs: number): Promise<PromptTestRunOutcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no prompt-test run finished within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = workbench.promptTests.onDidFinishRun((outcome) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(outcome);
    });
  });
}

describe('Prompt tests', () => {
  const trained = uniqueName('prompts-trained');
  const random = uniqueName('prompts-random');
  let workbench: Workbench;
  let checks: vscode.Uri;

  before(async function () {
    this.timeout(120_000);
    workbench = await activateWorkbench();
    await deployTestEndpoint(emulatorUrl(), trained, 'trained-gpt');
    await deployTestEndpoint(emulatorUrl(), random, 'random-gpt');
    const client = sageMaker();
    try {
      for (const name of [trained, random]) {
        await waitUntilEndpointInService({ client, maxWaitTime: 90, minDelay: 1, maxDelay: 2 }, { EndpointName: name });
      }
    } finally {
      client.destroy();
    }
    checks = await writeFile('checks.prompts.yaml', CHECKS);
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('puts a file\'s problems on their lines as it is edited', async () => {
    const uri = await writeFile('broken.prompts.yaml', 'cases:\n  - name: a\n    prompt: hi\n    assert:\n      - containz: x\n');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    let diagnostics = vscode.languages.getDiagnostics(uri);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range.start.line, document.getText(diagnostic.range), diagnostic.message, diagnostic.source]),
      [[4, 'containz', 'Unknown key "containz" in assertion 1 of case 1.', 'SageMaker prompt tests']],
    );
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, diagnostics[0].range, 'contains');
    await vscode.workspace.applyEdit(edit);
    diagnostics = vscode.languages.getDiagnostics(uri);
    assert.deepEqual(diagnostics, [], 'fixed, the problem goes');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.fs.delete(uri);
  });

  it('lists the file and its cases in the Testing view, at their lines, with lenses to run them', async () => {
    await workbench.promptTests.discover();
    const fileItem = workbench.promptTests.controller.items.get(checks.toString());
    assert.ok(fileItem, 'the file is a test item');
    assert.deepEqual(children(fileItem).map((item) => [item.label, item.range?.start.line]), [
      ['continues a sentence', 7],
      ['explains physics', 12],
    ]);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(checks)); // lenses are asked of an open editor's model
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', checks);
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command, lens.command?.arguments?.[1]]),
      [
        [0, '$(run-all) Run Prompt Tests', 'sagemaker.promptTests.run', undefined],
        [7, '$(run) Run Case', 'sagemaker.promptTests.run', 'continues a sentence'],
        [12, '$(run) Run Case', 'sagemaker.promptTests.run', 'explains physics'],
      ],
    );
  });

  it('runs the file against an endpoint: the passing case passes, the failing one shows its assertion on its line and the answer', async function () {
    this.timeout(60_000);
    const outcome = await vscode.commands.executeCommand<PromptTestRunOutcome>('sagemaker.promptTests.run', checks, undefined, [trained]);
    assert.deepEqual(outcome.endpoints, [trained]);
    // Reported as each answer ends, in either order.
    assert.deepEqual(outcome.reported.map((result) => [result.itemId, result.state]).sort(), [
      ['continues a sentence', 'passed'],
      ['explains physics', 'failed'],
    ]);
    const [failed] = outcome.reported.find((result) => result.itemId === 'explains physics')!.messages;
    assert.match(failed, /^contains "gluon" — failed: the answer was "/);
    const physics = outcome.results.find((result) => result.call.caseName === 'explains physics')!;
    assert.ok(physics.answer && physics.answer.text.length > 0);
    assert.ok(failed.includes(physics.answer.text.slice(0, 20).replace(/\n/g, '\\n')), 'the answer is in the message');
    assert.equal(physics.answer.tokens, 12);
  });

  it('runs against two endpoints side by side: a test item per endpoint under each case, and the answers in one table', async function () {
    this.timeout(60_000);
    const outcome = await vscode.commands.executeCommand<PromptTestRunOutcome>('sagemaker.promptTests.run', checks, undefined, [trained, random]);
    assert.deepEqual(outcome.endpoints, [trained, random]);
    const fileItem = workbench.promptTests.controller.items.get(checks.toString())!;
    for (const caseItem of children(fileItem)) {
      assert.deepEqual(children(caseItem).map((item) => item.label), [trained, random], caseItem.label);
    }
    assert.deepEqual(
      outcome.reported.map((result) => result.itemId).sort(),
      [`continues a sentence/${random}`, `continues a sentence/${trained}`, `explains physics/${random}`, `explains physics/${trained}`].sort(),
    );
    assert.equal(outcome.reported.find((result) => result.itemId === `explains physics/${trained}`)?.state, 'failed');
    const comparison = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'sagemaker-prompt-results');
    assert.ok(comparison, 'the comparison is open');
    const text = comparison.getText();
    assert.match(text, new RegExp(`^\\| case \\| ${trained} \\| ${random} \\|$`, 'm'));
    assert.match(text, /^\| continues a sentence \| ✅ pass · \d+ ms · 12 tokens<br>“/m);
    assert.match(text, /^\| explains physics \| ❌ fail · \d+ ms · 12 tokens<br>contains "gluon" — failed/m);
  });

  it('re-runs only the failed cases with VS Code\'s own Rerun Failed Tests, against the same endpoints', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('sagemaker.promptTests.run', checks, undefined, [trained]);
    const rerun = nextOutcome(workbench, 50_000);
    await vscode.commands.executeCommand('testing.reRunFailTests');
    const outcome = await rerun;
    assert.deepEqual(outcome.endpoints, [trained]);
    assert.deepEqual(outcome.reported.map((result) => [result.itemId, result.state]), [['explains physics', 'failed']]);
  });

  it('runs a file that names no format in the format the chat knows for each endpoint: its pick, else what the probe finds (then remembered)', async function () {
    this.timeout(60_000);
    const noFormat = await writeFile('no-format.prompts.yaml', CHECKS.replace(/^format: tgi\n/m, ''));
    const formats = workbench.chatPanels.formats;
    await formats.forget(trained);
    await formats.set(random, { format: 'tgi', how: 'chosen' }); // picked in random's chat
    const outcome = await vscode.commands.executeCommand<PromptTestRunOutcome>('sagemaker.promptTests.run', noFormat, 'continues a sentence', [trained, random]);
    const formatOf = (endpoint: string) => outcome.results.find((result) => result.call.endpoint === endpoint)?.call.spec.format;
    // The built-in GPT answers the probe's first shape, the Messages API; random's pick holds.
    assert.equal(formatOf(trained), 'messages');
    assert.equal(formatOf(random), 'tgi');
    assert.deepEqual(outcome.results.map((result) => result.passed), [true, true], JSON.stringify(outcome.reported));
    assert.equal(formats.get(trained)?.format, 'messages', 'the probe\'s find is remembered for the chat too');
    assert.equal(formats.get(trained)?.how, 'detected');
  });

  it('fails the cases of an endpoint that does not exist, saying so in the failure language', async function () {
    this.timeout(30_000);
    const outcome = await vscode.commands.executeCommand<PromptTestRunOutcome>('sagemaker.promptTests.run', checks, 'continues a sentence', ['no-such-endpoint']);
    assert.deepEqual(outcome.reported.map((result) => [result.itemId, result.state]), [['continues a sentence', 'errored']]);
    assert.match(outcome.reported[0].messages[0], /^Endpoint no-such-endpoint is not available: /);
  });
});
