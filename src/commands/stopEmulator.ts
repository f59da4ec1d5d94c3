// "SageMaker: Stop Local Emulator".
import * as vscode from 'vscode';
import type { Workbench } from '../workbench';

export async function stopEmulator(workbench: Pick<Workbench, 'connection' | 'emulator'>): Promise<void> {
  const { connection, emulator } = workbench;
  if (emulator.state === 'stopped') {
    void vscode.window.showInformationMessage('No local emulator was started from this window.');
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Stopping the local SageMaker emulator' }, () => emulator.stop());
  await connection.health.check();
}
