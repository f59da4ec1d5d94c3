// Activation wires the parts together and does nothing slow: no SDK client is created and no
// network call is made until a view or command needs one.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DETAILS_SCHEME, TrainingJobDetailsProvider } from './commands/trainingJobDetails';
import { registerCommands } from './commands/registerCommands';
import { Connection } from './connection/connection';
import { isLoopbackUrl } from './connection/settings';
import { LocalEmulator } from './localEmulator';
import { TrainingJobPanels } from './panels/trainingJobPanel';
import { ConnectionStatusBar } from './statusBar';
import { DatasetsTree } from './trees/datasetsTree';
import { TrainingJobsTree } from './trees/trainingJobsTree';
import type { Workbench } from './workbench';

export function activate(context: vscode.ExtensionContext): Workbench {
  const connection = new Connection();
  const emulator = new LocalEmulator(
    path.join(context.extensionPath, 'dist', 'emulator.js'),
    path.join(context.globalStorageUri.fsPath, 'emulator'),
    vscode.window.createOutputChannel('SageMaker Emulator'),
  );
  const datasets = new DatasetsTree(connection);
  const trainingJobs = new TrainingJobsTree(connection);
  const trainingJobDetails = new TrainingJobDetailsProvider(connection);
  const trainingJobPanels = new TrainingJobPanels(connection, context.extensionUri);
  const workbench: Workbench = { connection, emulator, datasets, trainingJobs, trainingJobDetails, trainingJobPanels };

  const trainingJobsView = vscode.window.createTreeView('sagemaker.trainingJobs', { treeDataProvider: trainingJobs });
  context.subscriptions.push(
    connection,
    emulator,
    emulator.output,
    datasets,
    trainingJobs,
    trainingJobDetails,
    trainingJobPanels,
    vscode.window.createTreeView('sagemaker.datasets', { treeDataProvider: datasets }),
    trainingJobsView,
    trainingJobsView.onDidChangeVisibility(({ visible }) => {
      trainingJobs.setVisible(visible);
      if (visible) {
        trainingJobs.refresh();
      }
    }),
    // A (re)started emulator has data the views have not seen.
    emulator.onDidChangeState((state) => {
      if (state === 'running') {
        datasets.refresh();
        trainingJobs.refresh();
      }
    }),
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, trainingJobDetails),
    new ConnectionStatusBar(connection, emulator),
    ...registerCommands(workbench),
  );
  trainingJobs.setVisible(trainingJobsView.visible);
  void autoStartEmulator(connection, emulator);
  return workbench;
}

/** With `sagemaker.emulator.autoStart`, a local emulator URL that does not answer gets one started. */
async function autoStartEmulator(connection: Connection, emulator: LocalEmulator): Promise<void> {
  const current = connection.inspect();
  if (!('settings' in current) || current.settings.mode !== 'emulator' || !current.settings.autoStart) {
    return;
  }
  const { endpoint } = current.settings;
  if (!isLoopbackUrl(endpoint) || (await answers(`${endpoint}/_emulator/health`))) {
    return;
  }
  try {
    await emulator.start(endpoint);
  } catch (error) {
    emulator.output.appendLine(`Automatic start failed: ${(error as Error).message}`);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

export function deactivate(): void {}
