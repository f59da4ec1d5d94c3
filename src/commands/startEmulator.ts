// "SageMaker: Start Local Emulator": the bundled emulator on the configured local URL and data
// folder (switching the connection to it first, after asking, when SageMaker calls go to AWS). An
// emulator of this window's already answering there is used as it is; another one is left alone,
// and the user is told why.
import * as vscode from 'vscode';
import { isLoopbackUrl, type ConnectionSettings } from '../connection/settings';
import { NotOurEmulatorError } from '../localEmulator';
import type { Workbench } from '../workbench';

export type EmulatorSettings = Extract<ConnectionSettings, { mode: 'emulator' }>;

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
  const dataDir = localEmulatorDataDir(workbench, settings);
  const outcome = await whenOurs(() =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Starting the local SageMaker emulator' }, () =>
      emulator.start(settings.endpoint, dataDir),
    ),
  );
  if (outcome === 'alreadyRunning') {
    void vscode.window.showInformationMessage(`The local emulator at ${new URL(settings.endpoint).host} is already running (data in ${dataDir}).`);
  }
  // Every view, panel and the status bar see it answer now, not at the next probe.
  await connection.health.check();
}

/** The data folder of a local emulator at the settings' URL; refuses a URL that is not on this machine. */
export function localEmulatorDataDir(workbench: Pick<Workbench, 'emulator'>, settings: EmulatorSettings): string {
  if (!isLoopbackUrl(settings.endpoint)) {
    throw new Error(
      `The emulator URL ${settings.endpoint} is not on this machine; change sagemaker.emulator.url to a 127.0.0.1 address to run one here.`,
    );
  }
  return workbench.emulator.dataDirOf(settings);
}

/** Runs `action`; an emulator that is not this window's is said plainly (a warning with the setting to change), not as a failure. */
export async function whenOurs<T>(action: () => Thenable<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof NotOurEmulatorError)) throw error;
    // Said, not waited on: the command is over.
    void vscode.window.showWarningMessage(error.message, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'sagemaker.emulator');
    });
    return undefined;
  }
}
