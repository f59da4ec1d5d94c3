// "SageMaker: Restart Local Emulator": stops the local emulator if it runs (when it is this
// window's: started here, or keeping its state in this window's data folder) and starts it again
// on the same URL and data folder — the next step offered when one has died.
import * as vscode from 'vscode';
import type { Workbench } from '../workbench';
import { localEmulatorDataDir, startEmulator, whenOurs } from './startEmulator';

export async function restartEmulator(workbench: Pick<Workbench, 'connection' | 'emulator'>): Promise<void> {
  const { connection, emulator } = workbench;
  const settings = connection.settings;
  if (settings.mode !== 'emulator') {
    return startEmulator(workbench); // asks whether to switch to the emulator
  }
  const dataDir = localEmulatorDataDir(workbench, settings);
  const stopped = await whenOurs(() =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Stopping the local SageMaker emulator' }, () =>
      emulator.stop(settings.endpoint, dataDir),
    ),
  );
  if (stopped === undefined) return; // not this window's: said so
  await startEmulator(workbench);
}
