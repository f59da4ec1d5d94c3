// "SageMaker: Stop Local Emulator": the emulator this window started, or one this window did not
// start that keeps its state in this window's data folder (e.g. `npm start`'s), through its shutdown
// control. Any other is left alone, and the user is told why.
import * as vscode from 'vscode';
import type { Workbench } from '../workbench';
import { localEmulatorDataDir, whenOurs } from './startEmulator';

export async function stopEmulator(workbench: Pick<Workbench, 'connection' | 'emulator'>): Promise<void> {
  const { connection, emulator } = workbench;
  const settings = connection.settings;
  if (settings.mode !== 'emulator') {
    void vscode.window.showInformationMessage('SageMaker is connected to AWS: there is no local emulator to stop.');
    return;
  }
  const dataDir = localEmulatorDataDir(workbench, settings);
  const outcome = await whenOurs(() =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Stopping the local SageMaker emulator' }, () =>
      emulator.stop(settings.endpoint, dataDir),
    ),
  );
  if (outcome === 'notRunning') {
    void vscode.window.showInformationMessage(`No local emulator is running at ${new URL(settings.endpoint).host}.`);
  }
  await connection.health.check();
}
