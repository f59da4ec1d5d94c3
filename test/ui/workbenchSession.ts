// The session every UI test file runs in: code-server with the packaged extension, pointed at the
// test's emulator and kept off the host's AWS credentials, and one Chromium page on it through
// Playwright; the workspace opened and the workbench awaited, the command palette, the extension's
// webview panel, a screenshot of any failed step, and the teardown. Each test file keeps only its
// own emulator, seed data and steps.
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../../harness/browser';
import { startCodeServer, type CodeServer } from '../../harness/codeServer';
import { EXTENSION_ID, VSIX_PATH } from '../../harness/paths';

export interface WorkbenchSessionOptions {
  /** The emulator the extension talks to (never started by the extension itself). */
  emulatorUrl: string;
  /** More user settings (the emulator's data folder, a theme, a testing option). */
  settings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  /** Clipboard read and write granted to the workbench's page (for Copy buttons). */
  clipboard?: boolean;
}

export class WorkbenchSession {
  codeServer: CodeServer | undefined;
  private browser: Browser | undefined;
  private current: Page | undefined;

  /**
   * @param failureName the prefix of a failed step's screenshot under test-results/
   * @param failureDetail more to say when a step fails (e.g. the emulator's last output)
   */
  constructor(
    private readonly failureName: string,
    private readonly failureDetail?: () => string,
  ) {}

  get page(): Page {
    if (!this.current) throw new Error('the UI session has not started');
    return this.current;
  }

  /** Starts code-server with the extension installed from its .vsix, then Chromium; returns the page. */
  async start(options: WorkbenchSessionOptions): Promise<Page> {
    this.codeServer = await startCodeServer({
      vsix: VSIX_PATH,
      settings: { 'sagemaker.emulator.url': options.emulatorUrl, 'sagemaker.emulator.autoStart': false, ...options.settings },
      // With no credentials the SDK's chain would end at the instance metadata service: it must
      // fail here, on this machine, and never reach for a network address.
      env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
    });
    this.browser = await launchChromium();
    const context = await this.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
    if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(this.codeServer.url).origin });
    this.current = await context.newPage();
    return this.current;
  }

  /** Closes Chromium, then stops code-server (and with its extension host anything the window started). */
  async stop(): Promise<void> {
    await this.browser?.close();
    await this.codeServer?.stop();
  }

  /** Runs one named step of a test; a failure carries a screenshot of the page as it was. */
  readonly step = async (name: string, body: () => Promise<void>): Promise<void> => {
    try {
      await body();
    } catch (error) {
      const file = await screenshot(this.page, `${this.failureName}-${name}`);
      const detail = this.failureDetail ? `\n${this.failureDetail()}` : '';
      throw new Error(`${(error as Error).message}\nscreenshot: ${file}${detail}`);
    }
  };

  /**
   * Opens `folder` in the workbench and waits for the SageMaker view container in the activity bar
   * (there once the extension's contributions are loaded), clicking it open if `showSageMaker`.
   * The workbench is awaited, not the page's load event (which a code-server just started under
   * load has taken over 30 s to fire); the extension's view has taken up to a minute to appear.
   */
  async open(folder: string, { showSageMaker }: { showSageMaker: boolean }): Promise<void> {
    if (!this.codeServer) throw new Error('the UI session has not started');
    await this.page.goto(this.codeServer.folderUrl(folder), { waitUntil: 'commit' });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const sageMaker = this.page.locator('.part.activitybar a.action-label[aria-label^="SageMaker"]');
    if (showSageMaker) await sageMaker.click({ timeout: 60_000 });
    else await sageMaker.waitFor({ timeout: 60_000 });
  }

  /**
   * Runs `command` (as the palette lists it, e.g. "SageMaker: Open Chat") from the command palette.
   * A window that has just (re)loaded lists the extension's commands only once its extension host
   * is up: the palette is asked again, every 5 s for at most 60 s, until the command is there.
   */
  async palette(command: string): Promise<void> {
    const page = this.page;
    const deadline = Date.now() + 60_000;
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first();
    for (;;) {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input.input').fill(`>${command}`);
      try {
        await row.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await page.keyboard.press('Escape');
      }
    }
    await page.keyboard.press('Enter');
  }

  /** The content of the extension's active webview panel (job panel, chat). */
  webview(): FrameLocator {
    return this.page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('iframe#active-frame');
  }
}
