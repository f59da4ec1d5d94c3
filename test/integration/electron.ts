// `npm run test:electron`: the same extension-host suite in desktop VS Code, downloaded by
// @vscode/test-electron (which needs the internet; these machines use code-server instead).
import { runTests } from '@vscode/test-electron';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulatorProcess } from '../../harness/emulatorProcess';
import { REPO_ROOT } from '../../harness/paths';

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess();
  const userData = mkdtempSync(path.join(tmpdir(), 'sagemaker-electron-'));
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'sagemaker.emulator.url': emulator.url, 'sagemaker.emulator.autoStart': false }),
  );
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: ['--user-data-dir', userData, '--disable-extensions', mkdtempSync(path.join(tmpdir(), 'sagemaker-workspace-'))],
    });
  } finally {
    await emulator.stop();
  }
}

main().catch((error: Error) => {
  console.error(`test:electron failed: ${error.message}`);
  process.exit(1);
});
