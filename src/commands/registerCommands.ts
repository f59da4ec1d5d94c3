// Every command id in one flat list, each handler wrapped in the one error handler: a failure
// becomes one notification in the failure language every surface speaks (classified, credentials
// redacted, the next step as a button, Retry re-running the command), never an unhandled rejection.
// Each command's work lives in its own file; the one-line handlers here only call a part's method.
import * as vscode from 'vscode';
import type { DeploymentPlan } from '../pipeline/deploy';
import type { ObjectTreeItem } from '../trees/datasetsTree';
import type { EndpointTreeItem } from '../trees/endpointsTree';
import type { LoadMoreTreeItem } from '../trees/nodes';
import type { TrainingJobTreeItem } from '../trees/trainingJobsTree';
import type { Workbench } from '../workbench';
import { copyEndpointArn } from './copyEndpointArn';
import { createBucket } from './createBucket';
import { deleteEndpoint } from './deleteEndpoint';
import { deployToEndpoint } from './deployToEndpoint';
import { openChat } from './openChat';
import { openTrainingJob } from './openTrainingJob';
import { restartEmulator } from './restartEmulator';
import { resumeTrainingJob } from './resumeTrainingJob';
import { runPromptTests } from './runPromptTests';
import { showTrainingJobJson } from './showTrainingJobJson';
import { showTrainingJobLogs } from './showTrainingJobLogs';
import { startEmulator } from './startEmulator';
import { stopEmulator } from './stopEmulator';
import { stopTrainingJob } from './stopTrainingJob';
import { switchConnection } from './switchConnection';

type Handler = (...args: never[]) => unknown;

export function commandHandlers(workbench: Workbench): Record<string, Handler> {
  const { emulator, datasets, trainingJobs, endpoints } = workbench;
  return {
    'sagemaker.switchConnection': () => switchConnection(workbench.connection),
    'sagemaker.startEmulator': () => startEmulator(workbench),
    'sagemaker.stopEmulator': () => stopEmulator(workbench),
    'sagemaker.restartEmulator': () => restartEmulator(workbench),
    'sagemaker.showEmulatorLog': () => emulator.output.show(),
    'sagemaker.datasets.refresh': () => datasets.refresh(),
    'sagemaker.datasets.createBucket': () => createBucket(workbench),
    'sagemaker.trainingJobs.refresh': () => trainingJobs.refresh(),
    'sagemaker.trainingJob.open': (node?: TrainingJobTreeItem) => openTrainingJob(workbench, node),
    'sagemaker.trainingJob.showJson': (node?: TrainingJobTreeItem) => showTrainingJobJson(workbench, node),
    'sagemaker.trainingJob.showLogs': (node?: TrainingJobTreeItem) => showTrainingJobLogs(workbench, node),
    'sagemaker.trainingJob.resume': (node?: TrainingJobTreeItem, newName?: string) => resumeTrainingJob(workbench, node, newName),
    'sagemaker.trainingJob.stop': (node?: TrainingJobTreeItem) => stopTrainingJob(workbench, node),
    'sagemaker.deployModel': (source?: TrainingJobTreeItem | ObjectTreeItem, plan?: Partial<DeploymentPlan>) => deployToEndpoint(workbench, source, plan),
    'sagemaker.endpoints.refresh': () => endpoints.refresh(),
    'sagemaker.endpoint.openChat': (node?: EndpointTreeItem) => openChat(workbench, node),
    'sagemaker.endpoint.delete': (node?: EndpointTreeItem) => deleteEndpoint(workbench, node),
    'sagemaker.endpoint.copyArn': (node?: EndpointTreeItem) => copyEndpointArn(workbench, node),
    'sagemaker.promptTests.run': (uri?: vscode.Uri, caseName?: string, endpoints?: string[]) => runPromptTests(workbench, uri, caseName, endpoints),
    'sagemaker.loadMore': (node: LoadMoreTreeItem) => node.load(),
  };
}

export function registerCommands(workbench: Workbench): vscode.Disposable[] {
  return Object.entries(commandHandlers(workbench)).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        void workbench.failures.notify(error, { retry: () => vscode.commands.executeCommand(id, ...args) });
        return undefined;
      }
    }),
  );
}
