// UI test: the packaged extension installed in a real VS Code (code-server), driven through
// Debian's Chromium as a user would, against an emulator process seeded through the AWS SDK.
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from '../../harness/browser';
import { chatWithEndpoint } from './chat';
import { putTestModel } from '../../harness/endpoints';
import { contextMenu } from './treeActions';
import { DEMO, seedDemo } from '../../harness/demo';
import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulatorProcess';
import { WorkbenchSession } from './workbenchSession';

const { bucket: BUCKET, trainingJob: JOB } = DEMO;

describe('SageMaker view in VS Code', () => {
  let emulator: EmulatorProcess;
  const ui = new WorkbenchSession('ui-failure');
  const step = ui.step;
  let page: Page;

  before(async () => {
    // Jobs stay queued (InProgress): the test checks what the views show of a known state.
    emulator = await startEmulatorProcess({ maxConcurrentJobs: 0 });
    await seedDemo(emulator.url);
    page = await ui.start({ emulatorUrl: emulator.url });
  });

  after(async () => {
    await ui.stop();
    await emulator?.stop();
  });

  it('shows the demo dataset and training job created through the SDK', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'sagemaker-ui-workspace-'));
    await step('open', async () => {
      await ui.open(workspace, { showSageMaker: true });
    });
    await step('datasets', async () => {
      // The first listing waits for the extension's activation in a code-server that has just
      // started, which on a loaded 2-core machine has taken over 20 s.
      await page.getByRole('treeitem', { name: BUCKET }).waitFor({ timeout: 60_000 });
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

  it('opens a training job in its panel, rendered from DescribeTrainingJob', async () => {
    await step('panel', async () => {
      await page.getByRole('treeitem', { name: new RegExp(JOB) }).click();
      const panel = ui.webview();
      await panel.locator('h1', { hasText: JOB }).waitFor({ timeout: 20_000 });
      await panel.locator('.status', { hasText: 'InProgress' }).waitFor({ timeout: 5_000 });
      await panel.locator('td', { hasText: `s3://${BUCKET}/${DEMO.trainPrefix}` }).waitFor({ timeout: 5_000 });
      await panel.locator('th', { hasText: 'width' }).waitFor({ timeout: 5_000 });
    });
    await screenshot(page, 'ui-training-job-panel');
  });

  it('runs a palette command: Open Training Job as JSON', async () => {
    await step('palette', async () => {
      await ui.palette('SageMaker: Open Training Job as JSON');
      await page.locator('.quick-input-widget input.input').fill(JOB);
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .view-lines', { hasText: '"TrainingJobName"' }).waitFor({ timeout: 15_000 });
      await page.locator('.tab', { hasText: `${JOB}.json` }).waitFor({ timeout: 5_000 });
    });
  });

  async function pick(label: string): Promise<void> {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click({ timeout: 10_000 });
  }

  it('switches to AWS and back through the quick pick, and says what is missing', async () => {
    await step('switch-to-aws', async () => {
      await ui.palette('SageMaker: Switch Connection');
      await pick('Default credential chain');
      await pick('eu-west-1');
      await page.locator('.statusbar-item', { hasText: 'AWS default · eu-west-1' }).waitFor({ timeout: 10_000 });
      await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'No valid AWS credentials for profile default' }).first().waitFor({ timeout: 20_000 });
    });
    await screenshot(page, 'ui-aws-without-credentials');
    await step('switch-back', async () => {
      await ui.palette('SageMaker: Switch Connection');
      await pick('Local emulator');
      await pick('us-east-1');
      await page.locator('.statusbar-item', { hasText: `Emulator ${new URL(emulator.url).host} · us-east-1` }).waitFor({ timeout: 10_000 });
      // The first listing waits for the extension's activation in a code-server that has just
      // started, which on a loaded 2-core machine has taken over 20 s.
      await page.getByRole('treeitem', { name: BUCKET }).waitFor({ timeout: 60_000 });
    });
  });

  it('chats with an InService endpoint from the Endpoints view, streaming the answer', () => chatWithEndpoint(ui, emulator.url, DEMO.endpoint));

  it('deploys a model.tar.gz from the Datasets view through the prompts, and the endpoint goes InService', async () => {
    const name = `ui-deployed-${Date.now().toString(36)}`;
    const modelDataUrl = await putTestModel(emulator.url, name, 'random-gpt');
    const [bucket] = modelDataUrl.replace('s3://', '').split('/');
    await step('deploy', async () => {
      await ui.palette('SageMaker: Refresh Datasets');
      // A bucket row's accessible name is its tooltip (s3://…), which contains the name.
      await page.getByRole('treeitem', { name: bucket }).click({ timeout: 20_000 });
      await page.getByRole('treeitem', { name: `${name}/` }).click({ timeout: 10_000 });
      await contextMenu(page, page.getByRole('treeitem', { name: `${name}/model.tar.gz` }), 'Deploy to Endpoint');
      const input = page.locator('.quick-input-widget input.input');
      // The endpoint's name, prefilled from the archive's folder.
      await page.locator('.quick-input-widget', { hasText: 'Endpoint name' }).waitFor({ timeout: 10_000 });
      if ((await input.inputValue()) !== name) throw new Error(`the endpoint name is prefilled with ${await input.inputValue()}`);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'ml.g5.xlarge' }).waitFor({ timeout: 10_000 });
      await input.fill('ml.m5.large');
      await page.keyboard.press('Enter');
      // The image and the role, prefilled for the emulator.
      await page.locator('.quick-input-widget', { hasText: 'The container that serves the model' }).waitFor({ timeout: 10_000 });
      if ((await input.inputValue()) !== 'sagemaker-emulator/builtin-gpt:latest') throw new Error(`the image is prefilled with ${await input.inputValue()}`);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'the IAM role SageMaker assumes' }).waitFor({ timeout: 10_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'SageMakerExecutionRole' }).first().click({ timeout: 10_000 });
      await page.getByRole('treeitem', { name: new RegExp(`^${name}`) }).filter({ hasText: 'InService' }).waitFor({ timeout: 30_000 });
    });
    await screenshot(page, 'ui-deployed');
  });

  it('follows a training job\'s logs in an editor opened from its context menu', async () => {
    const row = page.getByRole('treeitem', { name: new RegExp(JOB) });
    const stream = `${JOB}/algo-1-1764000000`;
    const client = new CloudWatchLogsClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'ui', secretAccessKey: 'ui' } });
    await client.send(new CreateLogGroupCommand({ logGroupName: '/aws/sagemaker/TrainingJobs' })).catch(() => {});
    await client.send(new CreateLogStreamCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamName: stream }));
    await client.send(
      new PutLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamName: stream, logEvents: [{ timestamp: Date.now(), message: 'step 1: loss 5.12' }] }),
    );
    client.destroy();
    await step('show-logs', async () => {
      await contextMenu(page, row, 'Show Training Job Logs');
      await page.locator('.tab', { hasText: `${JOB}.log` }).waitFor({ timeout: 10_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: /algo-1\s\|\sstep\s1:\sloss\s5\.12/ }).waitFor({ timeout: 10_000 });
    });
    await screenshot(page, 'ui-training-job-logs');
  });

  // Last: the demo job is in progress until here.
  it('stops a training job in progress from its context menu, after the confirmation', async () => {
    const row = page.getByRole('treeitem', { name: new RegExp(JOB) });
    await step('stop-training-job', async () => {
      await contextMenu(page, row.filter({ hasText: 'InProgress' }), 'Stop Training Job');
      const dialog = page.locator('.monaco-dialog-box', { hasText: `Stop training job ${JOB}?` });
      await dialog.getByRole('button', { name: 'Stop' }).click({ timeout: 10_000 });
      // Stopping, then Stopped: the view refreshes after the call and polls while the job is active.
      await row.filter({ hasText: 'Stopped' }).waitFor({ timeout: 20_000 });
      // The log opened before says the job has ended (Monaco renders spaces as no-break spaces: \s).
      await page.locator('.monaco-editor .view-lines', { hasText: /is\sStopped:\sits\slog\sends\shere/ }).waitFor({ timeout: 10_000 });
    });
    await screenshot(page, 'ui-training-job-stopped');
  });
});
