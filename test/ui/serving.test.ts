// UI test of serving, clicked through in a real VS Code (code-server) with Chromium: the run's
// trained GPT registered from its training job, approved, deployed, autoscaled by target tracking,
// loaded with Send Test Load until the emulator's own target tracking (1 s periods) scales it out
// and back in — seen in the Endpoints view — then moved to a second version, and deleted after a
// confirmation that says what it costs. Screenshots of the key states go to test-results/ (the
// README's come from here).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from '../../harness/browser';
import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulatorProcess';
import { trainedFixture, type TrainedFixture } from '../../harness/trainedFixture';
import { contextMenu, noHover } from './treeActions';
import { WorkbenchSession } from './workbenchSession';

describe('Serving in VS Code: register → approve → deploy → autoscale → test load → update → delete', () => {
  let fixture: TrainedFixture;
  let emulator: EmulatorProcess;
  const ui = new WorkbenchSession('serving-failure');
  const step = ui.step;
  let page: Page;
  const group = fixtureGroup();
  const endpoint = `${group}-chat`;

  before(async () => {
    fixture = await trainedFixture();
    // Target tracking evaluates every second here (AWS: every minute), so scaling shows in seconds.
    emulator = await startEmulatorProcess({ dataDir: fixture.dataDir, autoscalingPeriodSeconds: 1 });
    page = await ui.start({ emulatorUrl: emulator.url });
  });

  after(async () => {
    await ui.stop();
    await emulator?.stop();
  });

  const input = () => page.locator('.quick-input-widget input.input');
  const quickInput = (text: string | RegExp) => page.locator('.quick-input-widget', { hasText: text });
  const row = (name: string | RegExp) => page.getByRole('treeitem', { name: typeof name === 'string' ? new RegExp(`^${name}`) : name });

  /** Answers the open input box: waits for its prompt, checks the prefilled value if given, types `value` if given, Enter. */
  async function answer(prompt: string | RegExp, options: { prefilled?: string; value?: string } = {}): Promise<void> {
    await quickInput(prompt).waitFor({ timeout: 10_000 });
    if (options.prefilled !== undefined && (await input().inputValue()) !== options.prefilled) {
      throw new Error(`"${prompt}" is prefilled with "${await input().inputValue()}", not "${options.prefilled}"`);
    }
    if (options.value !== undefined) await input().fill(options.value);
    await page.keyboard.press('Enter');
  }

  /** Picks the row of the open quick pick with `label`. */
  async function pick(label: string | RegExp): Promise<void> {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click({ timeout: 10_000 });
  }

  /** Shows only the named views of the SageMaker container expanded (the rest collapsed), for room. */
  async function expandOnly(...views: string[]): Promise<void> {
    await noHover(page);
    for (const view of ['Datasets', 'Training Jobs', 'Checkpoints', 'Endpoints', 'Models', 'Batch Transform Jobs']) {
      const title = { has: page.locator('h3.title', { hasText: new RegExp(`^${view}$`, 'i') }) };
      const wanted = views.includes(view) ? 'true' : 'false';
      const settled = page.locator(`.pane-header[aria-expanded="${wanted}"]`, title);
      // A click while the panes above re-lay out can miss; it is tried again, three times at most.
      for (let attempt = 0; (await settled.count()) === 0; attempt++) {
        if (attempt === 3) throw new Error(`the ${view} view would not ${wanted === 'true' ? 'expand' : 'collapse'}`);
        await page.locator('.pane-header', title).click();
        await settled.waitFor({ timeout: 2_000 }).catch(() => undefined);
      }
    }
  }

  /** Drags the side bar's edge so that the views' descriptions (status, cost, counts) are read whole. */
  async function widenSideBar(width: number): Promise<void> {
    const box = (await page.locator('.part.sidebar').boundingBox())!;
    await page.mouse.move(box.x + box.width, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await noHover(page);
  }

  /** Only what a screenshot is about: earlier notifications cleared. */
  async function clearNotifications(): Promise<void> {
    await ui.palette('Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
  }

  /** Waits for a toast with `text`, faded in whole (a screenshot mid-fade shows it greyed). */
  async function notification(text: string | RegExp, timeout = 20_000): Promise<Locator> {
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout });
    await toast.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((animation: { finished: Promise<unknown> }) => animation.finished))).catch(() => undefined);
    return toast;
  }

  /**
   * Rests the pointer on `target` until a hover with `text` opens. A view re-read (it polls while a
   * variant autoscales) re-renders the row and cancels a hover still waiting to open, so the pointer
   * leaves and comes back, five times at most.
   */
  async function hoverShows(target: Locator, text: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await noHover(page);
      await target.hover({ position: { x: 80, y: 10 } });
      try {
        await page.locator('.monaco-hover', { hasText: text }).waitFor({ timeout: 4_000 });
        return;
      } catch (error) {
        if (attempt === 5) throw error;
      }
    }
  }

  it('registers the trained job as version 1 of a new model group from its context menu', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'sagemaker-serving-workspace-'));
    await step('open', async () => {
      await ui.open(workspace, { showSageMaker: true });
      await row(fixture.trainingJob).waitFor({ timeout: 20_000 });
      await widenSideBar(640);
    });
    await step('register', async () => {
      await contextMenu(page, row(fixture.trainingJob), 'Register Model');
      // A new group: its name typed into the pick of the region's groups.
      await quickInput('model group').waitFor({ timeout: 10_000 });
      await input().fill(group);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: group }).filter({ hasText: 'not listed' }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await answer('The container that serves the model', { prefilled: 'sagemaker-emulator/builtin-gpt:latest' });
      await quickInput('content types').waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter'); // application/json, checked already
      await pick('Pending manual approval');
      await notification(`Registered ${fixture.trainingJob} as ${group} v1 (PendingManualApproval)`);
    });
    await step('models-view', async () => {
      await expandOnly('Training Jobs', 'Models');
      await row(group).click({ timeout: 20_000 });
      await row('v1').filter({ hasText: 'Pending approval' }).filter({ hasText: `from ${fixture.trainingJob}` }).waitFor({ timeout: 10_000 });
      await row('v1').click(); // its metrics
      await row('train:loss').waitFor({ timeout: 10_000 });
      await noHover(page);
    });
    await screenshot(page, 'serving-registered');
    await clearNotifications();
  });

  it('approves version 1 with a note', async () => {
    await step('approve', async () => {
      await contextMenu(page, row('v1'), 'Approve Model Version');
      await answer('Why it is approved', { value: 'Answers the smoke prompts' });
      await row('v1').filter({ hasText: 'Approved' }).waitFor({ timeout: 10_000 });
    });
  });

  it('deploys the approved version, the instance types priced, and the endpoint goes InService with its cost', async () => {
    await step('deploy', async () => {
      await contextMenu(page, row('v1'), 'Deploy Model Version');
      await answer('Endpoint name', { prefilled: group, value: endpoint });
      await quickInput('Instance type').waitFor({ timeout: 10_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'ml.g5.xlarge' }).filter({ hasText: '$1.41/h' }).waitFor({ timeout: 10_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'ml.m5.large' }).filter({ hasText: 'price unknown' }).waitFor({ timeout: 10_000 });
      await pick('ml.m5.xlarge');
      // The role: picked from those the region's models and jobs run as (the emulator's own first).
      await quickInput('the IAM role SageMaker assumes').waitFor({ timeout: 10_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'SageMakerExecutionRole' }).filter({ hasText: 'used by' }).first().waitFor({ timeout: 10_000 });
      await pick('SageMakerExecutionRole');
      await expandOnly('Endpoints');
      await notification(`Endpoint ${endpoint} is InService with ${group} v1.`, 60_000);
      await row(endpoint).filter({ hasText: 'InService · $0.23/h' }).waitFor({ timeout: 10_000 });
      await page.locator('.pane-header', { hasText: 'Endpoints' }).filter({ hasText: '$0.23/h in us-east-1' }).waitFor({ timeout: 10_000 });
      await row(endpoint).click();
      await row('AllTraffic').filter({ hasText: `${group} v1 · 1/1 × ml.m5.xlarge` }).waitFor({ timeout: 10_000 });
      await noHover(page);
    });
    await screenshot(page, 'serving-deployed');
    await clearNotifications();
  });

  it('configures target tracking on the variant from its context menu', async () => {
    await step('configure-autoscaling', async () => {
      await contextMenu(page, row('AllTraffic'), 'Configure Autoscaling');
      await answer('Minimum instances. It has a fixed instance count now.', { prefilled: '1' });
      await answer('Maximum instances', { value: '2' });
      await pick('Invocations per instance');
      await answer('Target invocations per instance per minute', { value: '60' });
      await answer('Scale-in cooldown', { value: '3' });
      await answer('Scale-out cooldown', { value: '1' });
      await notification(`${endpoint} / AllTraffic now autoscales: 1–2 instances, target 60 invocations per instance per minute`);
      // An autoscaled variant's icon.
      await row('AllTraffic').locator('.codicon-dashboard').waitFor({ timeout: 10_000 });
    });
    await clearNotifications();
  });

  it('sends test load: progress, then p50/p95 — and target tracking scales the variant out, shown in the view', async () => {
    await step('send-test-load', async () => {
      await contextMenu(page, row(endpoint), 'Send Test Load');
      await answer('Invocations to send', { prefilled: '100', value: '80' });
      await answer('Invocations started per second', { prefilled: '5', value: '10' });
      await answer('The prompt each invocation sends', { prefilled: 'The cat' });
      await notification(/Sending 80 invocations to .* at 10\/s/, 10_000);
      await screenshot(page, 'serving-test-load');
      await notification(/80 invocations in \d+\.\d s \(\d+\.\d\/s\): p50 \d+ ms, p95 \d+ ms/, 60_000);
    });
    await step('scaled-out', async () => {
      // 10 a second is 600 a minute on one instance, ten times the target: a second instance starts.
      await row('AllTraffic').filter({ hasText: '2/2 × ml.m5.xlarge' }).waitFor({ timeout: 60_000 });
      await row(endpoint).filter({ hasText: '$0.46/h' }).waitFor({ timeout: 20_000 });
      await row('AllTraffic').click(); // its scaling activity
      await row(/^Setting desired instance count to 2/).waitFor({ timeout: 10_000 });
      // Its tooltip says how it scales.
      await hoverShows(row('AllTraffic'), 'Autoscaling: 1–2 instances, target 60 invocations per instance per minute');
    });
    await screenshot(page, 'serving-scaled-out');
    await noHover(page);
    await clearNotifications();
  });

  it('scales back in once the load has stopped', async () => {
    await step('scaled-in', async () => {
      // 15 quiet periods below 90% of the target (15 s here), after the 3 s cooldown.
      await row('AllTraffic').filter({ hasText: '1/1 × ml.m5.xlarge' }).waitFor({ timeout: 90_000 });
      await row(endpoint).filter({ hasText: '$0.23/h' }).waitFor({ timeout: 20_000 });
    });
  });

  it('registers version 2 from the palette and updates the endpoint to it, blue/green', async () => {
    await step('register-v2', async () => {
      await ui.palette('SageMaker: Register Model');
      await pick(fixture.trainingJob);
      await pick(group);
      await answer('The container that serves the model');
      await quickInput('content types').waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await pick('Approved');
      await notification(`Registered ${fixture.trainingJob} as ${group} v2 (Approved)`);
    });
    await step('update-to-v2', async () => {
      await contextMenu(page, row(endpoint), 'Update Endpoint to Version');
      await pick(group);
      await pick(`${group} v2`);
      await notification(`Endpoint ${endpoint} is InService with ${group} v2.`, 60_000);
      await row('AllTraffic').filter({ hasText: `${group} v2 · 1/1 × ml.m5.xlarge` }).waitFor({ timeout: 20_000 });
      await noHover(page);
    });
    await screenshot(page, 'serving-updated');
    await clearNotifications();
  });

  it('deletes the endpoint after a confirmation that says what it costs', async () => {
    await step('delete', async () => {
      await contextMenu(page, row(endpoint), 'Delete Endpoint');
      const dialog = page.locator('.monaco-dialog-box', { hasText: `Delete endpoint ${endpoint}?` });
      await dialog.filter({ hasText: 'It costs $0.23/h on demand while it runs.' }).waitFor({ timeout: 10_000 });
      await screenshot(page, 'serving-delete');
      await dialog.getByRole('button', { name: 'Delete' }).click({ timeout: 10_000 });
      await row(endpoint).waitFor({ state: 'detached', timeout: 30_000 });
    });
  });
});

function fixtureGroup(): string {
  return `chat-gpt-${Date.now().toString(36).slice(-4)}`;
}
