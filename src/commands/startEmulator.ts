// "SageMaker: Start Local Emulator": the bundled emulator on the configured local URL (switching
// the connection to it first, after asking, when SageMaker calls go to AWS).
import * as vscode from 'vscode';
import { isLoopbackUrl } from '../connection/settings';
import type { Workbench } from '../workbench';

export async function startEmulator(workbench: Pick<Workbench, 'connection' | 'emulator'>): Promise<void> {
  const { connection, emulator } = workbench;
  const settings = connection.settings;
  if (settings.mode !== 'emulator') {
    const choice = await vscode.window.showWarningMessage(
      'SageMaker is connected to AWS. Switch to the local emulator and start it?',
      { modal: true },
      'Switch and Start',
    );
    if (choice !== 'Switch and Start') {
      return;
    }
    await vscode.workspace.getConfiguration().update('sagemaker.connection.mode', 'emulator', vscode.ConfigurationTarget.Global);
    return startEmulator(workbench);
  }
  if (!isLoopbackUrl(settings.endpoint)) {
    throw new Error(
      `The emulator URL ${settings.endpoint} is not on this machine; change sagemaker.emulator.url to a 127.0.0.1 address to start one here.`,
    );
  }
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Starting the local SageMaker emulator' },
    () => emulator.start(settings.endpoint),
  );
  // Every view, panel and the status bar see it answer now, not at the next probe.
  await connection.health.check();
}
