// UI test: the emulator killed under open views and a chat, as a user would meet it in code-server
// driven through Chromium: the chat's banner and the views say so with the next step, *Restart Local
// Emulator* clicked in the banner brings the same emulator back (same port and data folder, as
// `npm start` sets the window up), and the views and the chat work again by themselves.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from '../../harness/browser';
import { deployTestEndpoint } from '../../harness/endpoints';
import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulatorProcess';
import { contextMenu, noHover } from './treeActions';
import { WorkbenchSession } from './workbenchSession';

const BUCKET = 'health-ui-data';
const ENDPOINT = 'health-ui-chat';

describe('Emulator health in VS Code', () => {
  let emulator: EmulatorProcess;
  const ui = new WorkbenchSession('ui-failure-health');
  const step = ui.step;
  let page: Page;
  let host: string;

  before(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sagemaker-ui-health-'));
    emulator = await startEmulatorProcess({ dataDir, maxConcurrentJobs: 0 });
    host = new URL(emulator.url).host;
    const s3 = new S3Client({ endpoint: emulator.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'ui', secretAccessKey: 'ui' } });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    await deployTestEndpoint(emulator.url, ENDPOINT, 'random-gpt');
    // As npm start sets the window up: its emulator's URL and data folder.
    page = await ui.start({ emulatorUrl: emulator.url, settings: { 'sagemaker.emulator.dataDir': dataDir } });
  });

  after(async () => {
    await ui.stop(); // the emulator restarted from the window goes with its extension host
    await emulator?.stop();
  });

  const chat = () => ui.webview();

  async function answer(prompt: string): Promise<void> {
    const answers = chat().locator('.turn.assistant');
    const before = await answers.count();
    await chat().locator('#maxNewTokens').fill('8');
    await chat().locator('#prompt').fill(prompt);
    await chat().locator('#prompt').press('Enter');
    // A restarted endpoint's model server may still be loading: its answer then fails as "not ready",
    // and the failure's own Retry is what a user clicks.
    await answers.nth(before).waitFor({ timeout: 10_000 }); // the answer to this prompt, not an earlier one
    for (let attempt = 0; attempt < 5; attempt++) {
      const turn = answers.last();
      await turn.locator('.metrics, .failure').first().waitFor({ timeout: 30_000 });
      if ((await turn.getAttribute('data-state')) === 'done') return;
      const failed = await turn.getAttribute('data-id');
      await turn.locator('.failure button', { hasText: /^Retry$/ }).click({ timeout: 5_000 });
      // The failed exchange makes way for the retried one.
      await chat().locator(`.turn.assistant[data-id="${failed}"]`).waitFor({ state: 'detached', timeout: 10_000 });
    }
    throw new Error('the chat did not answer after 5 tries');
  }

  it('kill the emulator under open views and a chat: the banner says so, Restart brings everything back', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'sagemaker-ui-health-workspace-'));
    const endpointRow = page.getByRole('treeitem', { name: new RegExp(`^${ENDPOINT}`) });
    await step('open', async () => {
      await ui.open(workspace, { showSageMaker: true });
      // The first listing waits for the extension's activation in a code-server that has just
      // started, which on a loaded 2-core machine has taken over 20 s (as in workbench.test.ts).
      await page.getByRole('treeitem', { name: BUCKET }).waitFor({ timeout: 60_000 });
      const header = page.locator('.pane-header', { hasText: 'Endpoints' });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      await endpointRow.filter({ hasText: 'InService' }).waitFor({ timeout: 60_000 });
      await contextMenu(page, endpointRow, 'Open Chat');
      await chat().locator('h1', { hasText: `Chat with ${ENDPOINT}` }).waitFor({ timeout: 20_000 });
      await answer('The cat');
      await noHover(page);
    });
    await screenshot(page, 'ui-health-before');

    await emulator.kill();
    const banner = chat().locator('.banner');
    await step('down', async () => {
      // Noticed by the health probe within a poll interval; no refresh, no click.
      await banner.locator('strong', { hasText: `Cannot reach the local emulator at ${host}` }).waitFor({ timeout: 20_000 });
      // Every view: its one row is the error node.
      await page.locator('.monaco-list-row[role="treeitem"]', { hasText: `Cannot reach the local emulator at ${host}` }).nth(2).waitFor({ timeout: 10_000 });
      await page.locator('.statusbar-item', { hasText: '(unreachable)' }).waitFor({ timeout: 10_000 });
      // The views and the chat offer the same next step.
      await banner.locator('button', { hasText: 'Restart Local Emulator' }).waitFor({ timeout: 5_000 });
      await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Restart Local Emulator' }).first().waitFor({ timeout: 5_000 });
    });
    await screenshot(page, 'ui-health-down');

    await step('restart', async () => {
      await banner.locator('button', { hasText: 'Restart Local Emulator' }).click();
      await banner.waitFor({ state: 'hidden', timeout: 30_000 });
      await page.getByRole('treeitem', { name: BUCKET }).waitFor({ timeout: 20_000 });
      await endpointRow.filter({ hasText: 'InService' }).waitFor({ timeout: 60_000 });
      await page.locator('.statusbar-item', { hasText: '(unreachable)' }).waitFor({ state: 'detached', timeout: 10_000 });
      await answer('The dog');
      await noHover(page);
    });
    await screenshot(page, 'ui-health-back');
  });
});
