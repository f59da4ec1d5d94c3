// Activation wires the parts together and does nothing slow: no SDK client is created during it (the
// SageMaker client is readied in the background a moment later) and no network call is made until a
// view or command needs one.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WARM_UP_DELAY_MS, warmUpSageMaker } from './aws/warmUp';
import { registerCommands } from './commands/registerCommands';
import { Connection } from './connection/connection';
import { isLoopbackUrl } from './connection/settings';
import { DETAILS_SCHEME, TrainingJobDetailsProvider } from './documents/trainingJobDetails';
import { LOGS_SCHEME, TrainingJobLogs } from './documents/trainingJobLogs';
import { PromptTestFiles } from './documents/promptTestFiles';
import { Failures } from './failures/failures';
import { LocalEmulator } from './localEmulator';
import { ChatPanels } from './panels/chatPanel';
import { TrainingJobPanels } from './panels/trainingJobPanel';
import { Poller } from './polling/poller';
import { POLL_INTERVAL_MS } from './polling/schedules';
import { PRICE_SETTING } from './pricingSettings';
import { ConnectionStatusBar } from './statusBar';
import { watchLocalEmulator } from './emulatorWatch';
import { PromptTests } from './testing/promptTests';
import { DatasetsTree } from './trees/datasetsTree';
import { EndpointsTree } from './trees/endpointsTree';
import { ModelsTree } from './trees/modelsTree';
import { TransformJobsTree } from './trees/transformJobsTree';
import type { ResourceTree } from './trees/resourceTree';
import { TrainingJobsTree, TrainingJobTreeItem } from './trees/trainingJobsTree';
import type { Services, Workbench } from './workbench';
import { S3_OBJECT_SCHEME, S3ObjectDocuments } from './documents/s3ObjectDocuments';
import { CompareTrainingJobsPanels } from './panels/compareTrainingJobsPanel';
import { SPEC_SELECTOR, SpecCodeLens } from './specs/specCodeLens';
import { SpecDiagnostics } from './specs/specDiagnostics';
import { CheckpointsTree } from './trees/checkpointsTree';
import { DatasetsDragAndDrop } from './trees/datasetsDragAndDrop';
import { layOutWhenFirstShown } from './trees/firstShowing';

export function activate(context: vscode.ExtensionContext): Workbench {
  const connection = new Connection();
  const emulator = new LocalEmulator(
    path.join(context.extensionPath, 'dist', 'emulator.js'),
    path.join(context.globalStorageUri.fsPath, 'emulator'),
    vscode.window.createOutputChannel('SageMaker Emulator'),
  );
  const poller = new Poller(POLL_INTERVAL_MS);
  const failures = new Failures(connection, () => {
    const settings = connection.validSettings;
    return settings?.mode === 'emulator' ? emulator.bringBackStep(settings.endpoint, emulator.dataDirOf(settings), connection.emulatorHealth) : 'startEmulator';
  });
  const services: Services = { connection, poller, failures };
  const datasets = new DatasetsTree(services);
  const trainingJobs = new TrainingJobsTree(services);
  const trainingJobDetails = new TrainingJobDetailsProvider(connection);
  const trainingJobLogs = new TrainingJobLogs(services);
  const trainingJobPanels = new TrainingJobPanels(services, context.extensionUri);
  const endpoints = new EndpointsTree(services);
  const chatPanels = new ChatPanels(services, context.extensionUri, context.workspaceState, context.storageUri?.fsPath);
  const models = new ModelsTree(services);
  const transformJobs = new TransformJobsTree(services);
  const checkpoints = new CheckpointsTree(services);
  // Several jobs can be selected at once, for Compare Training Jobs.
  const trainingJobsView = vscode.window.createTreeView('sagemaker.trainingJobs', { treeDataProvider: trainingJobs, canSelectMany: true });
  const promptTestFiles = new PromptTestFiles();
  const promptTests = new PromptTests(services, chatPanels.formats);
  const workbench: Workbench = {
    ...services,
    emulator,
    datasets,
    trainingJobs,
    trainingJobDetails,
    trainingJobLogs,
    trainingJobPanels,
    endpoints,
    chatPanels,
    models,
    transformJobs,
    checkpoints,
    s3Objects: new S3ObjectDocuments(connection),
    specDiagnostics: new SpecDiagnostics(),
    compareTrainingJobPanels: new CompareTrainingJobsPanels(services, context.extensionUri),
    trainingJobsView,
    promptTestFiles,
    promptTests,
  };
  const [endpointsView, ...endpointsViewParts] = polledTreeView('sagemaker.endpoints', endpoints);

  context.subscriptions.push(
    // Every part of the workbench ends with the extension.
    ...Object.values(workbench),
    emulator.output,
    ...datasetsView(workbench, datasets),
    ...followVisibility(trainingJobsView, trainingJobs),
    // The Checkpoints view shows the checkpoints of the job selected in Training Jobs.
    trainingJobsView.onDidChangeSelection(({ selection }) => {
      if (selection.length === 1 && selection[0] instanceof TrainingJobTreeItem) checkpoints.showJob(selection[0].job.name);
    }),
    ...checkpointsView(checkpoints),
    endpointsView,
    ...endpointsViewParts,
    // The region's running cost, in the view's title bar.
    endpoints.onDidChangeCost((cost) => (endpointsView.description = cost)),
    ...polledTreeView('sagemaker.models', models),
    ...polledTreeView('sagemaker.transformJobs', transformJobs),
    // A (re)started emulator has data the views have not seen.
    emulator.onDidChangeState((state) => {
      if (state === 'running') {
        datasets.refresh();
        trainingJobs.refresh();
        checkpoints.refresh();
        endpoints.refresh();
        models.refresh();
        transformJobs.refresh();
      } else if (state === 'stopped') {
        void connection.health.check(); // every view says so now, not at the next probe
      }
    }),
    // Nothing is polled while the connection is down (the health probe watches it); once it is
    // back, everything watched is read again at once.
    connection.onDidChangeState((state) => {
      if (state === 'unreachable') {
        poller.suspend();
      } else if (poller.isSuspended) {
        poller.resume();
        void poller.refreshAll();
      }
    }),
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, trainingJobDetails),
    vscode.workspace.registerTextDocumentContentProvider(LOGS_SCHEME, trainingJobLogs),
    vscode.workspace.registerTextDocumentContentProvider(S3_OBJECT_SCHEME, workbench.s3Objects),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(PRICE_SETTING)) endpoints.refresh();
    }),
    vscode.languages.registerCodeLensProvider(SPEC_SELECTOR, new SpecCodeLens()),
    new ConnectionStatusBar(connection, emulator),
    watchLocalEmulator(connection, emulator),
    ...registerCommands(workbench),
  );
  void autoStartEmulator(connection, emulator);
  context.subscriptions.push(warmUpAfterActivation(connection));
  return workbench;
}

/**
 * Readies the SageMaker client a moment after activation, and again for new settings, so that the
 * first view expanded does not load it inside the click (src/aws/warmUp.ts). A failure is left to
 * the first real call, which reports it where the user looks.
 */
function warmUpAfterActivation(connection: Connection): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if ('settings' in connection.inspect()) void warmUpSageMaker(connection.clients).catch(() => undefined);
    }, WARM_UP_DELAY_MS);
  };
  schedule();
  const listener = connection.onDidChange(schedule);
  return {
    dispose: () => {
      clearTimeout(timer);
      listener.dispose();
    },
  };
}

function datasetsView(workbench: Workbench, datasets: DatasetsTree): vscode.Disposable[] {
  const view = vscode.window.createTreeView('sagemaker.datasets', {
    treeDataProvider: datasets,
    // Files dropped from the Explorer or the desktop onto a bucket or folder are uploaded there.
    dragAndDropController: new DatasetsDragAndDrop(workbench, () => datasets.refresh()),
  });
  return [view, layOutWhenFirstShown(view)];
}

/** A view whose tree polls while it is visible: shown again, it re-reads at once. */
function polledTreeView(id: string, tree: ResourceTree): [vscode.TreeView<vscode.TreeItem>, ...vscode.Disposable[]] {
  return followVisibility(vscode.window.createTreeView(id, { treeDataProvider: tree }), tree);
}

/** The Checkpoints view: polled while visible, its description naming the job it shows. */
function checkpointsView(tree: CheckpointsTree): vscode.Disposable[] {
  const view = vscode.window.createTreeView('sagemaker.checkpoints', { treeDataProvider: tree });
  return [
    ...followVisibility(view, tree),
    tree.onDidChangeJob((job) => {
      view.description = job;
      void vscode.commands.executeCommand('setContext', 'sagemaker.checkpointsJob', job ?? '');
    }),
  ];
}

function followVisibility(view: vscode.TreeView<vscode.TreeItem>, tree: ResourceTree): [vscode.TreeView<vscode.TreeItem>, ...vscode.Disposable[]] {
  tree.setVisible(view.visible);
  return [
    view,
    // Before the refresh below, so that its message goes first.
    layOutWhenFirstShown(view),
    view.onDidChangeVisibility(({ visible }) => {
      tree.setVisible(visible);
      if (visible) {
        tree.refresh();
      }
    }),
  ];
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
    await emulator.start(endpoint, emulator.dataDirOf(current.settings));
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
