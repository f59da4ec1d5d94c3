// Ties the local emulator to the connection's health: the output channel follows the log in the
// configured data folder, and an emulator that stops answering — not stopped from here — is said
// once, with the step that brings it back (Restart for this window's).
import * as vscode from 'vscode';
import type { Connection, ConnectionState } from './connection/connection';
import { isLoopbackUrl } from './connection/settings';
import { NEXT_STEP_LABELS } from './failures/nextSteps';
import type { LocalEmulator } from './localEmulator';

export function watchLocalEmulator(connection: Connection, emulator: LocalEmulator): vscode.Disposable {
  let previous: ConnectionState = connection.state;
  const local = () => {
    const settings = connection.validSettings;
    return settings?.mode === 'emulator' && isLoopbackUrl(settings.endpoint) ? settings : undefined;
  };
  const follow = () => {
    const settings = local();
    if (settings) emulator.followLog(emulator.dataDirOf(settings));
  };
  // Not during activation itself: the first read of the log waits for the event loop's next turn.
  const first = setTimeout(follow, 0);
  const subscriptions = [
    connection.onDidChange(follow),
    connection.onDidChangeState((state) => {
      const before = previous;
      previous = state;
      const settings = local();
      if (!settings) return;
      if (state === 'connected' && before === 'unreachable') {
        vscode.window.setStatusBarMessage(`The local emulator at ${new URL(settings.endpoint).host} answers again.`, 5000);
      }
      if (state === 'unreachable' && before === 'connected' && !emulator.stoppedOnPurpose(settings.endpoint)) {
        const step = emulator.bringBackStep(settings.endpoint, emulator.dataDirOf(settings), connection.emulatorHealth);
        void sayStopped(connection, settings.endpoint, step === 'restartEmulator');
      }
    }),
  ];
  return { dispose: () => (clearTimeout(first), subscriptions.forEach((subscription) => subscription.dispose())) };
}

async function sayStopped(connection: Connection, endpoint: string, ours: boolean): Promise<void> {
  const bringBack = NEXT_STEP_LABELS[ours ? 'restartEmulator' : 'startEmulator'];
  const host = new URL(endpoint).host;
  const choice = await vscode.window.showWarningMessage(
    `The local emulator at ${host} stopped answering. The views show it until it is back.`,
    bringBack,
    NEXT_STEP_LABELS.showEmulatorLog,
  );
  if (choice === NEXT_STEP_LABELS.showEmulatorLog) await vscode.commands.executeCommand('sagemaker.showEmulatorLog');
  if (choice !== bringBack) return;
  // A notification outlives what it says (VS Code cannot take one back): one clicked after the
  // emulator came back must not restart it.
  if (connection.state === 'connected') {
    vscode.window.setStatusBarMessage(`The local emulator at ${host} answers again.`, 5000);
    return;
  }
  await vscode.commands.executeCommand(ours ? 'sagemaker.restartEmulator' : 'sagemaker.startEmulator');
}
