// UI test of the training half, through the real UI of code-server in Chromium, against an emulator
// that really runs jobs: a folder uploaded with Upload Folder… → New Training Job Spec through its
// quick picks → Launch from the spec's lens → the built-in GPT trains on 2 instances and its curve
// grows in the job's panel → Stop → the Checkpoints view shows its checkpoints → Resume From This
// Checkpoint on an older one (training to a few steps past it) → the new job completes.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from '../../harness/browser';
import { tinyTalesJsonl } from '../../harness/demo';
import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulatorProcess';
import { contextMenu, noHover } from './treeActions';
import { until } from '../../harness/waiting';
import { WorkbenchSession } from './workbenchSession';

const BUCKET = 'ui-training-data';
const JOB = 'ui-tiny-gpt';
/** The built-in GPT, tiny: it trains until stopped (far more steps than it gets), a checkpoint every 100 steps. */
const HYPERPARAMETERS = 'vocab_size=280, layers=1, heads=2, width=16, context=16, batch_size=4, steps=1000000, checkpoint_interval=100, log_interval=50';

describe('Training from the editor, through the UI', () => {
  let emulator: EmulatorProcess;
  const ui = new WorkbenchSession('ui-training-failure', () => `emulator:\n${emulator.output().slice(-2000)}`);
  const step = ui.step;
  let page: Page;
  let workspace: string;

  before(async () => {
    // This emulator runs jobs (the workbench UI test's keeps them queued).
    emulator = await startEmulatorProcess();
    const s3 = new S3Client({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'ui', secretAccessKey: 'ui' }, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    workspace = mkdtempSync(path.join(tmpdir(), 'sagemaker-ui-training-'));
    mkdirSync(path.join(workspace, 'tiny-tales'));
    writeFileSync(path.join(workspace, 'tiny-tales', 'train.jsonl'), tinyTalesJsonl(2000, 1));
    page = await ui.start({ emulatorUrl: emulator.url, settings: { 'workbench.colorTheme': 'Default Dark Modern' }, viewport: { width: 1440, height: 900 } });
  });

  after(async () => {
    await ui.stop();
    await emulator?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const input = () => page.locator('.quick-input-widget input.input');
  const row = (text: string | RegExp) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  /** Waits for the quick input titled (or described) `title`, types `value` (if any) and presses Enter. */
  async function answer(title: string | RegExp, value?: string): Promise<void> {
    await page.locator('.quick-input-widget', { hasText: title }).waitFor({ timeout: 15_000 });
    if (value !== undefined) await input().fill(value);
    await page.keyboard.press('Enter');
  }
  async function choose(title: string | RegExp, item: string | RegExp): Promise<void> {
    await page.locator('.quick-input-widget', { hasText: title }).waitFor({ timeout: 15_000 });
    await row(item).click({ timeout: 15_000 });
  }
  async function paneOpen(title: string): Promise<void> {
    const header = page.locator('.pane-header', { hasText: title }).first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  }
  const jobPanel = () => ui.webview();

  it('uploads a folder, writes a spec through quick picks, launches a 2-host GPT, watches its curve, stops, resumes from an older checkpoint to completion', async () => {
    await step('open', async () => {
      await ui.open(workspace, { showSageMaker: true });
      // The first listing waits for activation in a fresh code-server: up to a minute under load.
      await page.getByRole('treeitem', { name: BUCKET }).waitFor({ timeout: 60_000 });
    });

    await step('upload-folder', async () => {
      await contextMenu(page, page.getByRole('treeitem', { name: BUCKET }), 'Upload Folder…');
      // code-server's own folder dialog: the path typed, then its Upload button.
      await page.locator('.quick-input-widget', { hasText: 'Upload Folder to s3://' }).waitFor({ timeout: 15_000 });
      // It opens in the workspace folder: into tiny-tales/, then Upload.
      await row(/^tiny-tales$/).click({ timeout: 10_000 });
      await page.locator('.quick-input-widget input.input[title$="/tiny-tales/"], .quick-input-widget .monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: 10_000 });
      await until('the folder dialog in tiny-tales/', async () => ((await input().inputValue()).endsWith('/tiny-tales/') ? true : undefined), 10_000);
      await page.locator('.quick-input-widget .monaco-button', { hasText: 'Upload' }).click({ timeout: 10_000 });
      await page.locator('.notification-toast', { hasText: `Uploaded 1 file` }).waitFor({ timeout: 30_000 });
      await page.getByRole('treeitem', { name: BUCKET }).click();
      await page.getByRole('treeitem', { name: 'tiny-tales/' }).waitFor({ timeout: 15_000 });
    });
    await screenshot(page, 'ui-training-uploaded');

    await step('new-spec', async () => {
      await noHover(page);
      await ui.palette('SageMaker: New Training Job Spec');
      await choose('image', 'sagemaker-emulator/builtin-gpt:latest');
      await answer('job name', JOB);
      await answer('instance type', 'ml.m5.xlarge');
      await answer('instance count', '2');
      await choose('capacity', 'On-demand');
      await choose('the train channel', BUCKET);
      await choose('the train channel', 'tiny-tales/');
      await choose('the train channel', `Use s3://${BUCKET}/tiny-tales/`);
      await choose('validation channel', 'No validation channel');
      await answer('output path');
      await answer('checkpoint location');
      await answer('hyperparameters', HYPERPARAMETERS);
      await choose('file format', 'YAML');
      await page.locator('.tab', { hasText: `${JOB}.training.yaml` }).waitFor({ timeout: 15_000 });
      await page.locator('.codelens-decoration', { hasText: 'Launch training job' }).waitFor({ timeout: 15_000 });
    });
    await screenshot(page, 'ui-training-spec');

    await step('launch', async () => {
      await page.locator('.codelens-decoration a', { hasText: 'Launch training job' }).click();
      // Revealed and selected in Training Jobs, its log opened and filling.
      await page.locator('.monaco-list-row.selected[role="treeitem"]', { hasText: JOB }).waitFor({ timeout: 20_000 });
      await page.locator('.tab', { hasText: `${JOB}.log` }).waitFor({ timeout: 15_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: /algo-2\s\|\sstep=\d+\sloss=/ }).waitFor({ timeout: 60_000 });
    });

    await step('curve-grows', async () => {
      await noHover(page);
      await page.getByRole('treeitem', { name: new RegExp(JOB) }).first().click();
      const curves = jobPanel().locator('section.curves');
      const points = async () => Number((await curves.getAttribute('data-points', { timeout: 15_000 })) ?? 0);
      // One point per host and metric per minute (CloudWatch's resolution for SageMaker's metrics).
      await curves.locator('figure.chart[data-chart="loss"] canvas').first().waitFor({ timeout: 90_000 });
      const first = await points();
      // The panel re-reads every 5 s; the page is polled each second, not the job.
      await until(`the curve to grow past ${first} points`, async () => ((await points()) > first ? true : undefined), { timeoutMs: 100_000, intervalMs: 1000 });
      await curves.locator('.u-legend', { hasText: 'train:loss · algo-2' }).first().waitFor({ timeout: 5_000 });
    });
    await screenshot(page, 'ui-training-curves');

    let older = 0;
    await step('stop', async () => {
      const jobRow = page.getByRole('treeitem', { name: new RegExp(`^${JOB}`) }).first();
      await contextMenu(page, jobRow.filter({ hasText: 'InProgress' }), 'Stop Training Job');
      await page.locator('.monaco-dialog-box', { hasText: `Stop training job ${JOB}?` }).getByRole('button', { name: 'Stop' }).click({ timeout: 10_000 });
      await jobRow.filter({ hasText: 'Stopped' }).waitFor({ timeout: 60_000 });
    });

    await step('checkpoints', async () => {
      await paneOpen('Checkpoints');
      await page.locator('.pane-header', { hasText: 'Checkpoints' }).filter({ hasText: JOB }).waitFor({ timeout: 10_000 });
      const stepRows = page.locator('.monaco-list-row[role="treeitem"]', { hasText: /^step \d+/ });
      await stepRows.nth(1).waitFor({ timeout: 30_000 });
      await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'latest' }).first().waitFor({ timeout: 5_000 });
      // The second row: older than the latest.
      // The label alone: the row's text runs on into its description ("step 600117 KB").
      older = Number(/^step (\d+)$/.exec((await stepRows.nth(1).locator('.label-name').textContent()) ?? '')?.[1]);
      if (!(older > 0)) throw new Error('no older checkpoint to resume from');
    });
    await screenshot(page, 'ui-training-checkpoints');

    const resumed = `${JOB}-resume-1`;
    await step('resume-older', async () => {
      const olderRow = page.locator('.monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^step ${older}$`) }) }).first();
      await contextMenu(page, olderRow, 'Resume From This Checkpoint');
      await answer('Name of the new training job');
      // The old job's hyperparameters, offered to change: a few steps past the checkpoint, so that it completes.
      await page.locator('.quick-input-widget', { hasText: 'hyperparameters' }).waitFor({ timeout: 15_000 });
      await until('the old hyperparameters in the prompt', async () => ((await input().inputValue()).includes('steps=1000000') ? true : undefined));
      await input().fill(HYPERPARAMETERS.replace('steps=1000000', `steps=${older + 200}`));
      await page.keyboard.press('Enter');
      await page.locator('.monaco-list-row[role="treeitem"]', { hasText: resumed }).first().waitFor({ timeout: 30_000 });
      const sageMaker = new SageMakerClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'ui', secretAccessKey: 'ui' } });
      const { HyperParameters } = await sageMaker.send(new DescribeTrainingJobCommand({ TrainingJobName: resumed }));
      sageMaker.destroy();
      if (HyperParameters?.steps !== String(older + 200)) throw new Error(`the resumed job trains to step ${HyperParameters?.steps}, not ${older + 200}`);
      await page.locator('.monaco-list-row[role="treeitem"]', { hasText: new RegExp(`^${resumed}.*Completed`) }).first().waitFor({ timeout: 120_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: new RegExp(`resumed\\sfrom\\sthe\\scheckpoint\\sof\\sstep\\s${older}`) }).first().waitFor({ timeout: 20_000 });
    });
    await screenshot(page, 'ui-training-resumed');
  });
});
