// UI test: the packaged extension installed in a real VS Code (code-server), driven through
// Debian's Chromium as a user would, against an emulator process seeded through the AWS SDK.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../vscode/browser';
import { startCodeServer, type CodeServer } from '../vscode/codeServer';
import { DEMO, seedDemo } from '../vscode/demo';
import { startEmulatorProcess, type EmulatorProcess } from '../vscode/emulatorProcess';
import { VSIX_PATH } from '../vscode/paths';

const { bucket: BUCKET, trainingJob: JOB } = DEMO;

describe('SageMaker view in VS Code', () => {
  let emulator: EmulatorProcess;
  let codeServer: CodeServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    emulator = await startEmulatorProcess();
    await seedDemo(emulator.url);
    codeServer = await startCodeServer({
      vsix: VSIX_PATH,
      settings: { 'sagemaker.emulator.url': emulator.url, 'sagemaker.emulator.autoStart': false },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  after(async () => {
    await browser?.close();
    await codeServer?.stop();
    await emulator?.stop();
  });

  async function step(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      const file = await screenshot(page, `ui-failure-${name}`);
      throw new Error(`${(error as Error).message}\nscreenshot: ${file}`);
    }
  }

  it('shows the demo dataset and training job created through the SDK', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'sagemaker-ui-workspace-'));
    await step('open', async () => {
      await page.goto(codeServer.folderUrl(workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
      await page.locator('.part.activitybar a.action-label[aria-label^="SageMaker"]').click({ timeout: 30_000 });
    });
    await step('datasets', async () => {
      await page.getByRole('treeitem', { name: BUCKET }).waitFor({ timeout: 20_000 });
      await page.getByRole('treeitem', { name: BUCKET }).click();
      await page.getByRole('treeitem', { name: 'datasets/' }).waitFor({ timeout: 10_000 });
    });
    await step('training-jobs', async () => {
      await page.getByRole('treeitem', { name: new RegExp(JOB) }).waitFor({ timeout: 20_000 });
    });
    await step('status-bar', async () => {
      await page.locator('.statusbar-item', { hasText: `Emulator ${new URL(emulator.url).host}` }).waitFor({ timeout: 10_000 });
    });
    await screenshot(page, 'ui-workbench');
  });

  it('runs a palette command: Show Training Job Details opens the job as JSON', async () => {
    await step('details', async () => {
      await page.getByRole('treeitem', { name: new RegExp(JOB) }).click();
      await page.locator('.monaco-editor .view-lines', { hasText: '"TrainingJobName"' }).waitFor({ timeout: 15_000 });
      await page.locator('.tab', { hasText: `${JOB}.json` }).waitFor({ timeout: 5_000 });
    });
  });
});
