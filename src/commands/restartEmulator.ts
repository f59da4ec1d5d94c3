// "SageMaker: Restart Local Emulator": stops the local emulator (if it runs) and starts it again on
// the same URL and data folder — the next step offered when one that ran has died.
import * as vscode from 'vscode';
import type { Workbench } from '../workbench';
import { startEmulator } from './startEmulator';

export async function restartEmulator(workbench: Pick<Workbench, 'connection' | 'emulator'>): Promise<void> {
  const { emulator } = workbench;
  if (emulator.state !== 'stopped') {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Stopping the local SageMaker emulator' }, () => emulator.stop());
  }
  await startEmulator(workbench);
}
