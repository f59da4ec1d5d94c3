// Runs an `extensionTestsPath` suite in code-server's real extension host: the web workbench takes
// the development extension and the suite through its `payload` URL parameter and reports the
// suite's exit code through `window.codeAutomationExit`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { launchChromium, screenshot } from './browser';
import { startCodeServer } from './codeServer';
import { REPO_ROOT } from './paths';

export interface ExtensionTestRun {
  exitCode: number;
  /** The suite's console output and code-server's log. */
  log: string;
}

export async function runExtensionTests(options: {
  suite: string;
  settings: Record<string, unknown>;
  env?: Record<string, string>;
  name: string;
  timeoutMs?: number;
  /** Unpacked extensions to install beside the one under test, e.g. a benchmark baseline. */
  extraExtensions?: string[];
}): Promise<ExtensionTestRun> {
  const workspace = mkdtempSync(path.join(tmpdir(), 'sagemaker-workspace-'));
  const codeServer = await startCodeServer({ settings: options.settings, env: options.env, unpacked: options.extraExtensions });
  const browser = await launchChromium();
  const console: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('console', (message) => console.push(message.text()));
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    // What is awaited is the suite's exit code (bounded below), not the page's load event, which a
    // loaded machine can take over 30 s to fire while the workbench is already starting the suite.
    await page.goto(
      codeServer.folderUrl(workspace, [
        ['extensionDevelopmentPath', codeServer.remoteUri(REPO_ROOT)],
        ['extensionTestsPath', codeServer.remoteUri(options.suite)],
      ]),
      { waitUntil: 'commit' },
    );
    const timeoutMs = options.timeoutMs ?? 240_000;
    const code = await Promise.race([
      exitCode,
      new Promise<number>((resolve) => setTimeout(() => resolve(-1), timeoutMs).unref()),
    ]);
    if (code !== 0) {
      console.push(`screenshot: ${await screenshot(page, `${options.name}-failure`)}`);
    }
    return { exitCode: code, log: `${console.join('\n')}\n--- code-server ---\n${codeServer.log()}` };
  } finally {
    await browser.close();
    await codeServer.stop();
  }
}
