// UI steps for the Endpoints view and the chat panel, run in the UI test's code-server session (see
// workbench.test.ts): an endpoint deployed through the SDK goes InService in the view, its chat
// opens from the context menu, a prompt sent with Enter streams an answer in, and the endpoint is
// deleted after the modal confirmation.
import { screenshot } from '../../harness/browser';
import { deployTestEndpoint } from '../../harness/endpoints';
import { contextMenu, noHover } from './treeActions';
import type { WorkbenchSession } from './workbenchSession';

export async function chatWithEndpoint(ui: WorkbenchSession, emulatorUrl: string, endpoint: string): Promise<void> {
  const { page, step } = ui;
  const row = page.getByRole('treeitem', { name: new RegExp(`^${endpoint}`) });
  await step('endpoint-in-service', async () => {
    await deployTestEndpoint(emulatorUrl, endpoint, 'trained-gpt');
    // One webview on screen: the chat's.
    await ui.palette('View: Close All Editors');
    const header = page.locator('.pane-header', { hasText: 'Endpoints' });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    // The view polls while the endpoint is Creating.
    await row.filter({ hasText: 'InService' }).waitFor({ timeout: 30_000 });
    await row.click();
    await page.getByRole('treeitem', { name: /^AllTraffic/ }).waitFor({ timeout: 10_000 });
  });
  await screenshot(page, 'ui-endpoints');

  const chat = ui.webview();
  await step('open-chat', async () => {
    await contextMenu(page, row, 'Open Chat');
    await chat.locator('h1', { hasText: `Chat with ${endpoint}` }).waitFor({ timeout: 20_000 });
  });
  await step('send-prompt', async () => {
    await chat.locator('#maxNewTokens').fill('48');
    await chat.locator('#seed').fill('3');
    await chat.locator('#prompt').fill('The cat');
    await chat.locator('#prompt').press('Enter');
    await chat.locator('.turn.user .text', { hasText: 'The cat' }).waitFor({ timeout: 5_000 });
    const answer = chat.locator('.turn.assistant').last();
    // Streamed in and finished: text, then the answer's figures.
    await answer.locator('.metrics', { hasText: /tokens\/s/ }).waitFor({ timeout: 20_000 });
    if (((await answer.locator('.text').textContent()) ?? '').length === 0) throw new Error('the answer has no text');
    if ((await answer.getAttribute('data-state')) !== 'done') throw new Error(`the answer is ${await answer.getAttribute('data-state')}`);
    await noHover(page);
  });
  await screenshot(page, 'ui-chat');

  await step('delete-endpoint', async () => {
    await contextMenu(page, row, 'Delete Endpoint');
    const dialog = page.locator('.monaco-dialog-box', { hasText: `Delete endpoint ${endpoint}?` });
    await dialog.getByRole('button', { name: 'Delete' }).click({ timeout: 10_000 });
    await row.waitFor({ state: 'detached', timeout: 30_000 });
  });
}
