// "SageMaker: Start Local Emulator" / "Stop Local Emulator".
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection';
import { isLoopbackUrl } from '../connection/settings';
import type { LocalEmulator } from '../localEmulator';

export async function startEmulator(connection: Connection, emulator: LocalEmulator): Promise<void> {
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
    return startEmulator(connection, emulator);
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
}

export async function stopEmulator(emulator: LocalEmulator): Promise<void> {
  if (emulator.state === 'stopped') {
    void vscode.window.showInformationMessage('No local emulator was started from this window.');
    return;
  }
  await emulator.stop();
}
