// UI test of the chat's answers: the packaged extension in code-server, driven through Chromium. An
// echo endpoint (the emulator's format-echo image, Messages API) streams back a markdown answer with
// a Python code block and an injection attempt: the code is highlighted, Copy and Insert at Cursor
// reach the editor, the Raw toggle shows the text as written, and nothing in the answer runs, loads
// or covers the page. Then Compare, by keyboard: one prompt to that endpoint and a TGI one side by
// side, both streamed with their figures and their detected formats, then kept in the conversation
// (there again after a reload); last, the dark and high-contrast themes (Preferences: Color Theme):
// every text of the panel legible against its background, screenshotted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from '../../harness/browser';
import { startEmulatorProcess, type EmulatorProcess } from '../../harness/emulatorProcess';
import { deployEchoEndpoint } from '../../harness/endpoints';
import { noHover } from './treeActions';
import { WorkbenchSession } from './workbenchSession';

const ENDPOINT = 'ui-echo-markdown';
const TGI_ENDPOINT = 'ui-echo-tgi';
const CODE = 'def add(a, b):\n    return a + b  # the sum';
/** What the user sends; the echo model answers it back as its answer. */
const ANSWER = [
  '## Adding numbers',
  '',
  'Use **this** function:',
  '',
  '```python',
  CODE,
  '```',
  '',
  'Attempts: <img src=x onerror="document.body.dataset.pwned=1"> <script>document.body.dataset.pwned=2</script>',
  '[click me](javascript:document.body.dataset.pwned=3) and [docs](https://example.com/docs)',
  '',
  '<style>body { display: none !important }</style>',
  '<div style="position:fixed;inset:0;z-index:99999;background:red">covered</div>',
  '',
  '![tracker](https://example.com/pixel.png)',
].join('\n');

describe('Chat answers in markdown', () => {
  let emulator: EmulatorProcess;
  const ui = new WorkbenchSession('ui-failure');
  const step = ui.step;
  let page: Page;
  const workspace = mkdtempSync(path.join(tmpdir(), 'sagemaker-ui-chat-'));
  writeFileSync(path.join(workspace, 'notes.py'), '# notes\n');

  before(async () => {
    emulator = await startEmulatorProcess({});
    page = await ui.start({ emulatorUrl: emulator.url, clipboard: true });
    await Promise.all([
      deployEchoEndpoint(emulator.url, ENDPOINT, 'messages', { timeoutMs: 60_000 }),
      deployEchoEndpoint(emulator.url, TGI_ENDPOINT, 'tgi', { timeoutMs: 60_000, tokenIntervalMs: 20 }),
    ]);
  });

  after(async () => {
    await ui.stop();
    await emulator?.stop();
  });

  /** SageMaker: Open Chat, then the endpoint from its pick list. */
  async function openChat(): Promise<void> {
    await ui.palette('SageMaker: Open Chat');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: ENDPOINT }).first().click({ timeout: 60_000 });
    await chat().locator('h1', { hasText: `Chat with ${ENDPOINT}` }).waitFor({ timeout: 20_000 });
  }

  const chat = () => ui.webview();
  /** The text editors' lines (filtered, then the first match: other Monaco inputs come earlier in the page). */
  const editorText = () => page.locator('.editor-group-container .monaco-editor .view-lines');

  it('streams a markdown answer with highlighted code, and nothing in it runs, loads or covers the page', async () => {
    await step('open-editor', async () => {
      // The extension's contributions are loaded (its commands in the palette) once its view is there.
      await ui.open(workspace, { showSageMaker: false });
      // From the Explorer (Go to File waits for the file search's index on a fresh code-server).
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notes.py' }).dblclick({ timeout: 30_000 });
      await editorText().filter({ hasText: /#\snotes/ }).first().waitFor({ timeout: 10_000 }); // Monaco writes spaces as no-break spaces
      // The cursor at the end of the file, on a new line: where Insert at Cursor will write.
      await page.keyboard.press('Control+End');
      await page.keyboard.type('\n');
    });
    await step('open-chat', async () => {
      await openChat();
    });
    await step('send', async () => {
      await chat().locator('#prompt').fill(ANSWER);
      await chat().locator('#prompt').press('Enter');
      const answer = chat().locator('.turn.assistant').last();
      await answer.locator('.metrics', { hasText: /tokens/ }).waitFor({ timeout: 30_000 });
      if ((await answer.getAttribute('data-state')) !== 'done') throw new Error(`the answer is ${await answer.getAttribute('data-state')}`);
      await answer.locator('h2', { hasText: 'Adding numbers' }).waitFor({ timeout: 5_000 });
      await answer.locator('strong', { hasText: 'this' }).waitFor({ timeout: 5_000 });
      await answer.locator('pre code.language-python .hljs-keyword', { hasText: 'def' }).waitFor({ timeout: 5_000 });
      await answer.locator('.code-tools .code-language', { hasText: 'python' }).waitFor({ timeout: 5_000 });
      await noHover(page);
    });
    await screenshot(page, 'ui-chat-markdown');
    await step('inert', async () => {
      const answer = chat().locator('.turn.assistant').last().locator('.answer');
      // The attempts are on screen as text…
      await answer.getByText('<img src=x onerror="document.body.dataset.pwned=1">').waitFor({ timeout: 5_000 });
      await answer.getByText('<script>document.body.dataset.pwned=2</script>').waitFor({ timeout: 5_000 });
      // …and not as elements: no image, script, style, positioned box, or javascript: link.
      for (const selector of ['img', 'script', 'style', 'div[style]', '[style]', 'iframe', 'form', 'a[href^="javascript"]', '[onerror]']) {
        const count = await answer.locator(selector).count();
        if (count !== 0) throw new Error(`the answer has ${count} ${selector}`);
      }
      const safe = answer.locator('a', { hasText: 'docs' });
      if ((await safe.getAttribute('href')) !== 'https://example.com/docs') throw new Error(`the docs link is ${await safe.getAttribute('href')}`);
      await answer.locator('a', { hasText: 'image: tracker' }).waitFor({ timeout: 5_000 });
      // Nothing ran: the page's body carries no mark, in the webview or in the workbench.
      const marked = await chat().locator('body[data-pwned]').count();
      if (marked !== 0) throw new Error('a script in the answer ran in the webview');
      if ((await page.locator('body[data-pwned]').count()) !== 0) throw new Error('a script in the answer ran in the workbench');
      // The layout held: the prompt box is visible and takes a click (a covering box would take it).
      await chat().locator('#prompt').click({ timeout: 5_000 });
      await chat().locator('#send').waitFor({ state: 'visible', timeout: 5_000 });
    });
    await screenshot(page, 'ui-chat-injection-inert');
  });

  it('shows the answer\'s raw text with the Raw toggle, and back', async () => {
    await step('raw', async () => {
      const answer = chat().locator('.turn.assistant').last();
      const toggle = answer.getByRole('button', { name: 'Raw' });
      await toggle.focus();
      await toggle.press('Enter'); // by keyboard
      if ((await toggle.getAttribute('aria-pressed')) !== 'true') throw new Error('the Raw toggle is not pressed');
      await answer.locator('.answer.raw', { hasText: '```python' }).waitFor({ timeout: 5_000 });
      if ((await answer.locator('.answer pre').count()) !== 0) throw new Error('the raw text still has a code block');
      await toggle.press('Enter');
      await answer.locator('.answer pre code .hljs-keyword').first().waitFor({ timeout: 5_000 });
    });
  });

  it('copies a code block to the clipboard, and inserts it at the editor\'s cursor', async () => {
    await step('copy', async () => {
      await chat().locator('.turn.assistant').last().getByRole('button', { name: 'Copy: python code' }).click();
      // What a paste would give: the clipboard holds the code as written (polled: the host writes it).
      const deadline = Date.now() + 10_000;
      let copied = '';
      while (copied !== `${CODE}\n`) {
        if (Date.now() > deadline) throw new Error(`the clipboard holds ${JSON.stringify(copied)}`);
        await page.waitForTimeout(200);
        copied = await page.evaluate(() => navigator.clipboard.readText());
      }
    });
    await step('insert-at-cursor', async () => {
      await chat().locator('.turn.assistant').last().getByRole('button', { name: 'Insert at Cursor: python code' }).click();
      await page.locator('.statusbar-item', { hasText: 'Code inserted into notes.py' }).waitFor({ timeout: 10_000 });
      // The editor, behind the chat in the same group: the code where the cursor was, after the first line.
      await page.locator('.tab', { hasText: 'notes.py' }).click();
      await editorText().filter({ hasText: /#\snotes/ }).filter({ hasText: /return\sa\s\+\sb\s\s#\sthe\ssum/ }).first().waitFor({ timeout: 10_000 });
    });
    await screenshot(page, 'ui-chat-insert-at-cursor');
  });

  it('reopens the conversation after the window reloads, rendered as before', async () => {
    await step('reload', async () => {
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
      await openChat();
      // The kept conversation: its title, the prompt, and the answer rendered from markdown again.
      // The title is the first prompt's first line as read: "## Adding numbers" without its markdown.
      await chat().locator('#conversationTitle', { hasText: /^Adding numbers$/ }).waitFor({ timeout: 10_000 });
      await chat().locator('.turn.user .text', { hasText: 'Use **this** function:' }).waitFor({ timeout: 10_000 });
      const answer = chat().locator('.turn.assistant').last();
      await answer.locator('h2', { hasText: 'Adding numbers' }).waitFor({ timeout: 10_000 });
      await answer.locator('pre code.language-python .hljs-keyword', { hasText: 'def' }).waitFor({ timeout: 5_000 });
      if ((await answer.getAttribute('data-state')) !== 'done') throw new Error(`the reopened answer is ${await answer.getAttribute('data-state')}`);
      await noHover(page);
    });
    await screenshot(page, 'ui-chat-reopened');
  });

  it('compares two endpoints side by side, by keyboard: both stream, each with its figures and detected format', async () => {
    await step('compare', async () => {
      await chat().locator('.turn.assistant').last().waitFor({ timeout: 10_000 });
      const toggle = chat().locator('#compareToggle');
      await toggle.focus();
      await toggle.press('Enter');
      if ((await toggle.getAttribute('aria-pressed')) !== 'true') throw new Error('the Compare toggle is not pressed');
      // Side A is this chat's endpoint; B is typed (its pick list offers the InService endpoints).
      const sideA = chat().getByRole('combobox', { name: 'Endpoint A' });
      if ((await sideA.inputValue()) !== ENDPOINT) throw new Error(`side A is ${await sideA.inputValue()}`);
      await chat().locator(`#endpointList option[value="${TGI_ENDPOINT}"]`).waitFor({ state: 'attached', timeout: 10_000 });
      const sideB = chat().getByRole('combobox', { name: 'Endpoint B' });
      await sideB.fill(TGI_ENDPOINT);
      await chat().getByRole('spinbutton', { name: 'Max new tokens B' }).fill('6');
      await chat().locator('#prompt').focus();
      await page.keyboard.type('Which **format** answers faster');
      await page.keyboard.press('Enter');
      for (const [side, name, format, text] of [
        [0, ENDPOINT, 'Messages API', 'Which format answers faster'],
        [1, TGI_ENDPOINT, 'TGI', 'Which format answers faster'],
      ] as const) {
        const column = chat().getByRole('region', { name: new RegExp(`^${'AB'[side]} · ${name}`) });
        await column.locator('.metrics', { hasText: /first token .* tokens\/s/ }).waitFor({ timeout: 30_000 });
        if ((await column.getAttribute('data-state')) !== 'done') throw new Error(`side ${'AB'[side]} is ${await column.getAttribute('data-state')}`);
        await column.locator('h2', { hasText: format }).waitFor({ timeout: 5_000 });
        await column.locator('.answer', { hasText: text }).waitFor({ timeout: 5_000 });
        await column.locator('.answer strong', { hasText: 'format' }).waitFor({ timeout: 5_000 });
      }
      // Both answers kept in the conversation where they ran, each side with its label and figures.
      const kept = chat().locator('.turn.compare').last();
      await kept.locator('.compare-answer h3', { hasText: `A · ${ENDPOINT}` }).waitFor({ timeout: 10_000 });
      await kept.locator('.compare-answer h3', { hasText: `B · ${TGI_ENDPOINT} · temperature` }).waitFor({ timeout: 5_000 });
      await noHover(page);
    });
    await screenshot(page, 'ui-chat-compare');
  });

  it('keeps the comparison with the conversation: the chat closed and opened again shows both answers with their labels and figures', async () => {
    await step('compare-reopened', async () => {
      // Closed and opened again (a reload right after an answer may come before VS Code has flushed
      // workspaceState to disk, for any answer: the reload test above reopens an older one).
      await page.locator('.tab', { hasText: `Chat: ${ENDPOINT}` }).locator('.tab-actions .action-label').click();
      await page.locator('.tab', { hasText: `Chat: ${ENDPOINT}` }).waitFor({ state: 'detached', timeout: 10_000 });
      await openChat();
      const kept = chat().locator('.turn.compare').last();
      await kept.locator('.text', { hasText: 'Which **format** answers faster' }).first().waitFor({ timeout: 10_000 });
      for (const [label, format] of [[`A · ${ENDPOINT}`, 'Messages API'], [`B · ${TGI_ENDPOINT}`, 'TGI']] as const) {
        const column = kept.locator('.compare-answer', { has: chat().locator('h3', { hasText: label }) });
        await column.locator('h3', { hasText: format }).waitFor({ timeout: 5_000 });
        await column.locator('.answer strong', { hasText: 'format' }).waitFor({ timeout: 5_000 });
        await column.locator('.metrics', { hasText: /first token .* tokens\/s/ }).waitFor({ timeout: 5_000 });
        if ((await column.getAttribute('data-state')) !== 'done') throw new Error(`the kept side ${label} is ${await column.getAttribute('data-state')}`);
      }
      await noHover(page);
    });
  });

  /**
   * Switches the color theme as a user does — *Preferences: Color Theme* in the palette, the theme
   * typed into its pick list — then waits for the workbench and the chat's webview to wear it (at
   * most 20 s each). (Writing the theme into code-server's settings.json while it runs is not
   * picked up.)
   */
  async function useTheme(theme: string, workbenchClass: string, webviewClass: string): Promise<void> {
    await page.locator('.tab', { hasText: `Chat: ${ENDPOINT}` }).click(); // the workbench has the keyboard, not the webview
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input.input').fill('>Preferences: Color Theme');
    // Clicked, not Enter: "Browse Color Themes in Marketplace" may be the list's first row.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click({ timeout: 10_000 });
    await page.locator('.quick-input-widget input.input').fill(theme);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().click({ timeout: 10_000 });
    await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 20_000 });
    await chat().locator(`body.${webviewClass}`).waitFor({ timeout: 20_000 });
  }

  /** The WCAG contrast ratio of the chat's texts against what is behind them (a code block's own background), each at least `minimum`. */
  async function checkContrast(minimum: number): Promise<void> {
    const ratios = await chat()
      .locator('body')
      .evaluate((body) => {
        const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = ([r, g, b]: number[]) => {
          const channel = (value: number) => {
            const c = value / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          };
          return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
        };
        // The nearest background that is painted: the code block's for code, else the page's.
        const backgroundOf = (node: Element): number => {
          for (let at: Element | null = node; at && at !== body; at = at.parentElement) {
            const color = getComputedStyle(at).backgroundColor;
            const alpha = color.startsWith('rgba') ? Number((color.match(/[\d.]+/g) ?? [])[3]) : 1;
            if (alpha > 0) return luminance(rgb(color));
          }
          return luminance(rgb(getComputedStyle(body).backgroundColor));
        };
        const texts: Record<string, string> = {
          answer: '.turn.assistant .answer p',
          prompt: '.turn.user .text',
          metrics: '.turn.assistant .metrics',
          'compare label': '.turn.compare h3',
          'compare answer': '.turn.compare .answer p',
          // Plain text inside a code block (the highlighted tokens have colours of their own).
          code: '.turn.assistant .answer pre code',
          'prompt box': '#prompt',
        };
        return Object.fromEntries(
          Object.entries(texts).map(([name, selector]) => {
            const node = document.querySelector(selector);
            if (!node) return [name, 0];
            const foreground = luminance(rgb(getComputedStyle(node).color));
            const background = backgroundOf(node);
            const [light, dark] = foreground > background ? [foreground, background] : [background, foreground];
            return [name, (light + 0.05) / (dark + 0.05)];
          }),
        );
      });
    const poor = Object.entries(ratios).filter(([, ratio]) => ratio < minimum);
    if (poor.length > 0) throw new Error(`text with too little contrast (below ${minimum}:1): ${poor.map(([name, ratio]) => `${name} ${ratio.toFixed(2)}`).join(', ')}`);
  }

  it('reads well in the dark and high-contrast themes: theme colours only, every text legible', async () => {
    for (const [theme, workbenchClass, webviewClass, name, minimum] of [
      // The themes as the picker labels them (their ids: Default Dark Modern, Default High Contrast).
      ['Dark Modern', 'vs-dark', 'vscode-dark', 'ui-chat-dark', 4.5],
      ['Dark High Contrast', 'hc-black', 'vscode-high-contrast', 'ui-chat-high-contrast', 7],
    ] as const) {
      await step(name, async () => {
        await useTheme(theme, workbenchClass, webviewClass);
        await chat().locator('.turn.compare').last().scrollIntoViewIfNeeded();
        await checkContrast(minimum);
        await noHover(page);
      });
      await screenshot(page, name);
    }
  });
});
