// UI test of prompt-test files: the packaged extension in code-server, driven through Chromium as a
// user would. A `*.prompts.yaml` file opens with a schema problem on its line; fixed, its lenses
// appear; *Run Prompt Tests* from the lens runs it against an echo endpoint (the emulator's
// format-echo image, Messages API: it answers the prompt back), one case fails and its peek shows
// the failed assertion and the answer; the assertion fixed, *Rerun Failed Tests* runs only that case;
// the file runs again from the Testing view's own button; then against two endpoints — the echo
// "v1" and a random-weights GPT "v2" — each case gets one item per endpoint and the answers open
// side by side. Its screenshots are the README's.
import { SageMakerClient, waitUntilEndpointInService } from '@aws-sdk/client-sagemaker';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from '../../harness/browser';
import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulatorProcess';
import { deployEchoEndpoint, deployTestEndpoint } from '../../harness/endpoints';
import { until } from '../../harness/waiting';
import { WorkbenchSession } from './workbenchSession';

const V1 = 'support-bot-v1';
const V2 = 'support-bot-v2';
const FILE = 'support.prompts.yaml';
/** Written as a user would; line 13 (`max-tokens: many`) breaks the schema, line 18 expects what the echo never says. */
const BROKEN = `# The support bot's answers, checked on every new model version.
description: Support bot
parameters:
  maxNewTokens: 32
variables:
  product: Workbench
cases:
  - name: greets by product
    prompt: Say hello to {{product}} users
    assert:
      - contains: hello
        ignore-case: true
      - max-tokens: many
  - name: repeats the question
    prompt: Which product is this?
    assert:
      - not-contains: error
      - contains: "{{product}}"
      - similar: Which product is this
        measure: cosine
        threshold: 0.8
`;
const SCHEMA_LINE = 13;
const FAILING_LINE = 18;

describe('Prompt tests in VS Code', () => {
  let emulator: EmulatorProcess;
  const ui = new WorkbenchSession('ui-failure-prompts');
  const step = ui.step;
  let page: Page;
  const workspace = mkdtempSync(path.join(tmpdir(), 'sagemaker-ui-prompts-'));
  const file = path.join(workspace, FILE);
  writeFileSync(file, BROKEN);

  before(async () => {
    emulator = await startEmulatorProcess({});
    // The endpoints come up while code-server starts.
    const endpoints = (async () => {
      await deployEchoEndpoint(emulator.url, V1, 'messages', { timeoutMs: 60_000 });
      await deployTestEndpoint(emulator.url, V2, 'random-gpt');
      const client = new SageMakerClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      try {
        await waitUntilEndpointInService({ client, maxWaitTime: 90, minDelay: 1, maxDelay: 2 }, { EndpointName: V2 });
      } finally {
        client.destroy();
      }
    })();
    [page] = await Promise.all([ui.start({ emulatorUrl: emulator.url, settings: { 'testing.automaticallyOpenPeekView': 'failureInVisibleDocument' } }), endpoints]);
  });

  after(async () => {
    await ui.stop();
    await emulator?.stop();
  });

  /** Replaces line `line` of the active editor (from its first non-blank character) with `text`. */
  async function replaceLine(line: number, text: string): Promise<void> {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input.input').fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type(text);
    await page.keyboard.press('Control+S');
  }

  /** Ticks exactly `names` in the endpoint pick list, then accepts it. */
  async function pickEndpoints(names: string[]): Promise<void> {
    const widget = page.locator('.quick-input-widget', { hasText: 'Run Prompt Tests' });
    // Listed once ListEndpoints answered (the InService ones).
    for (const name of [V1, V2]) await widget.locator('.monaco-list-row', { hasText: name }).waitFor({ timeout: 20_000 });
    for (const name of [V1, V2]) {
      const box = widget.locator('.monaco-list-row', { hasText: name }).locator('[role="checkbox"], input[type=checkbox]').first();
      if ((await box.isChecked()) !== names.includes(name)) await box.click();
    }
    // Accepted from the filter box (Enter on a list row would only move the focus).
    await widget.locator('input.input').focus();
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The pointer on an empty stretch of the title bar, so no hover covers what a screenshot shows. */
  async function awayFromHovers(): Promise<void> {
    await page.mouse.move(1030, 10);
  }

  const editorLines = () => page.locator('.editor-group-container .monaco-editor .view-lines');
  const explorerRow = (label: string | RegExp): Locator => page.locator('.test-explorer .monaco-list-row', { hasText: label }).first();
  /** Waits until the Testing view shows the item in `state` (passed, failed, errored…), by its state icon. */
  async function waitForState(label: string | RegExp, state: string, timeoutMs: number): Promise<void> {
    await explorerRow(label).locator(`.computed-state.codicon-testing-${state}-icon`).waitFor({ timeout: timeoutMs });
  }

  it('shows a schema problem on its line, and the lenses once it is fixed', async () => {
    await step('open', async () => {
      await ui.open(workspace, { showSageMaker: false });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).dblclick({ timeout: 30_000 });
      await editorLines().filter({ hasText: /Support\sbot/ }).first().waitFor({ timeout: 10_000 });
    });
    await step('problem', async () => {
      await page.keyboard.press('Control+Shift+M');
      // The schema's word for it, on the line of `max-tokens: many`.
      const problem = page.locator('.markers-panel .monaco-list-row', { hasText: '"max-tokens" must be integer' }).first();
      await problem.waitFor({ timeout: 30_000 });
      const text = (await problem.textContent()) ?? '';
      if (!text.includes(`[Ln ${SCHEMA_LINE}, Col 21]`)) throw new Error(`the problem is not at line ${SCHEMA_LINE}, column 21: ${text}`);
      // No lens on a file with problems: nothing to run yet.
      if ((await page.locator('.codelens-decoration a', { hasText: 'Run Prompt Tests' }).count()) !== 0) throw new Error('a broken file has a Run lens');
      await awayFromHovers();
    });
    await screenshot(page, 'ui-prompt-tests-problem');
    await step('fix', async () => {
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await replaceLine(SCHEMA_LINE, '- max-tokens: 32');
      await page.locator('.markers-panel', { hasText: 'No problems have been detected' }).waitFor({ timeout: 10_000 });
      await page.locator('.codelens-decoration a', { hasText: 'Run Prompt Tests' }).waitFor({ timeout: 20_000 });
      if ((await page.locator('.codelens-decoration a', { hasText: 'Run Case' }).count()) !== 2) throw new Error('not one Run Case lens per case');
    });
  });

  it('runs from the lens: a failing case shows the assertion that failed and the answer', async () => {
    await step('run-from-lens', async () => {
      // The file's lens is above its first line: the editor scrolled to its top first.
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Home');
      await page.locator('.codelens-decoration a', { hasText: 'Run Prompt Tests' }).click();
      await pickEndpoints([V1]);
    });
    await step('failure-peek', async () => {
      // VS Code opens the failure in a peek at the assertion's line of the visible file.
      const peek = page.locator('.peekview-widget', { hasText: 'failed: the answer was' });
      await peek.waitFor({ timeout: 60_000 });
      const text = (await peek.textContent()) ?? '';
      if (!text.includes('contains "Workbench" — failed: the answer was "Which product is this?"')) throw new Error(`the peek says: ${text.slice(0, 400)}`);
      if (!text.includes('Answer')) throw new Error('the peek does not show the answer');
      await awayFromHovers();
    });
    await screenshot(page, 'ui-prompt-tests-failure');
    await step('testing-view', async () => {
      await page.keyboard.press('Escape'); // the peek
      await ui.palette('Testing: Focus on Test Explorer View');
      await explorerRow(FILE).waitFor({ timeout: 10_000 });
      // The file's cases under it (expanded by a click on its twistie when the view shows it collapsed).
      if ((await explorerRow('greets by product').count()) === 0) await explorerRow(FILE).locator('.monaco-tl-twistie').click();
      await waitForState('greets by product', 'passed', 10_000);
      await waitForState('repeats the question', 'failed', 10_000);
    });
  });

  it('re-runs only the failed case once its assertion is fixed, then the file from the Testing view', async () => {
    await step('fix-assertion', async () => {
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await replaceLine(FAILING_LINE, '- contains: product');
      await until('the fixed assertion saved to the file', () => (readFileSync(file, 'utf8').includes('      - contains: product\n') ? true : undefined), 10_000);
    });
    await step('rerun-failed', async () => {
      await ui.palette('Test: Rerun Failed Tests');
      await waitForState('repeats the question', 'passed', 60_000);
      // Only the failed case ran: the Testing view's summary of the last run counts one test, passed.
      await page.locator('.test-explorer .result-summary > *', { hasText: /^1\/1$/ }).waitFor({ timeout: 10_000 });
    });
    await step('run-from-testing-view', async () => {
      const row = explorerRow(FILE);
      await row.hover();
      await row.locator('.action-label[aria-label^="Run Test"]').click({ timeout: 10_000 });
      await page.locator('.test-explorer .result-summary > *', { hasText: /^2\/2$/ }).waitFor({ timeout: 60_000 });
      await waitForState('greets by product', 'passed', 5_000);
      await waitForState('repeats the question', 'passed', 5_000);
      await awayFromHovers();
    });
  });

  it('runs against two model versions side by side: an item per endpoint and the answers in one table', async () => {
    await step('run-two', async () => {
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await ui.palette('SageMaker: Run Prompt Tests');
      await pickEndpoints([V1, V2]);
    });
    await step('comparison', async () => {
      // The table opens beside the file once the run has ended: a column per endpoint (in the pick
      // list's order), a row per case. Read without whitespace: Monaco wraps the long rows.
      const table = editorLines().filter({ hasText: /Prompt\stests:\ssupport\.prompts\.yaml/ }).first();
      await table.waitFor({ timeout: 60_000 });
      const text = ((await table.textContent()) ?? '').replace(/[\s\u00a0]+/g, '');
      const header = /\|case\|([\w-]+)\|([\w-]+)\|/.exec(text);
      if (!header || [header[1], header[2]].sort().join() !== [V1, V2].join()) throw new Error(`the table's header is not the two endpoints: ${text.slice(0, 300)}`);
      const row = /\|greetsbyproduct\|(.*?)(?<!\\)\|(.*?)(?<!\\)\|/.exec(text);
      if (!row) throw new Error(`the table has no row for "greets by product": ${text.slice(0, 600)}`);
      const cellOf = (endpoint: string) => (header[1] === endpoint ? row[1] : row[2]);
      // v1, the echo, says hello; v2, a GPT with random weights, does not.
      if (!/^✅pass·\d+ms·5tokens<br>“SayhellotoWorkbenchusers”$/.test(cellOf(V1))) throw new Error(`${V1}'s cell reads: ${cellOf(V1)}`);
      if (!/^❌fail·\d+ms·\d+tokens<br>contains"hello"\(ignoringcase\)—failed/.test(cellOf(V2))) throw new Error(`${V2}'s cell reads: ${cellOf(V2)}`);
      // Each case has one item per endpoint; v1 (the echo) passes both cases.
      await explorerRow(V1).or(explorerRow('greets by product')).first().waitFor({ timeout: 10_000 });
      if ((await explorerRow(V1).count()) === 0) await explorerRow('greets by product').locator('.monaco-tl-twistie').click();
      await waitForState(V1, 'passed', 10_000);
      await awayFromHovers();
    });
    await screenshot(page, 'ui-prompt-tests-compare');
  });
});
