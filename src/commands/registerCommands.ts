// Every command id in one list, each handler wrapped in the one error handler: failures become a
// single message (credentials redacted), never an unhandled rejection.
import * as vscode from 'vscode';
import { classifyFailure } from '../aws/errors';
import type { Workbench } from '../workbench';
import type { DeploymentPlan } from '../pipeline/deploy';
import type { ObjectTreeItem } from '../trees/datasetsTree';
import type { EndpointTreeItem } from '../trees/endpointsTree';
import type { LoadMoreTreeItem } from '../trees/nodes';
import type { TrainingJobTreeItem } from '../trees/trainingJobsTree';
import { askTrainingJobName } from './askTrainingJobName';
import { createBucket } from './createBucket';
import { deleteEndpoint } from './deleteEndpoint';
import { deployToEndpoint } from './deployToEndpoint';
import { startEmulator, stopEmulator } from './emulatorCommands';
import { openChat } from './openChat';
import { pickEndpoint } from './pickEndpoint';
import { resumeTrainingJob } from './resumeTrainingJob';
import { stopTrainingJob } from './stopTrainingJob';
import { switchConnection } from './switchConnection';
import type { CheckpointTreeItem } from '../trees/checkpointsTree';
import type { S3FolderTreeItem } from '../trees/datasetsTree';
import { cloneTrainingJobToSpec } from './cloneTrainingJobToSpec';
import { compareTrainingJobs } from './compareTrainingJobs';
import { copyS3Uri } from './copyS3Uri';
import { deleteCheckpoint } from './deleteCheckpoint';
import { deleteFromS3 } from './deleteFromS3';
import { downloadCheckpoint } from './downloadCheckpoint';
import { downloadFromS3 } from './downloadFromS3';
import { launchSpec } from './launchSpec';
import { newTrainingJobSpec, type NewSpecChoices } from './newTrainingJobSpec';
import { openS3Object } from './openS3Object';
import { resumeFromCheckpoint } from './resumeFromCheckpoint';
import { showCheckpoints } from './showCheckpoints';
import { uploadFilesToS3, uploadFolderToS3 } from './uploadToS3';
import { validateSpec } from './validateSpec';

type Handler = (...args: never[]) => unknown;

export function registerCommands(workbench: Workbench): vscode.Disposable[] {
  const { connection, emulator, datasets, trainingJobs, trainingJobDetails, trainingJobLogs, trainingJobPanels, endpoints, chatPanels } = workbench;
  const commands: Record<string, Handler> = {
    'sagemaker.switchConnection': () => switchConnection(connection),
    'sagemaker.startEmulator': () => startEmulator(connection, emulator),
    'sagemaker.stopEmulator': () => stopEmulator(emulator),
    'sagemaker.showEmulatorLog': () => emulator.output.show(),
    'sagemaker.datasets.refresh': () => datasets.refresh(),
    'sagemaker.datasets.createBucket': () => createBucket(connection, () => datasets.refresh()),
    'sagemaker.trainingJobs.refresh': () => trainingJobs.refresh(),
    'sagemaker.trainingJob.open': async (node?: TrainingJobTreeItem) => {
      const name = node?.job.name ?? (await askTrainingJobName('Open Training Job'));
      if (name) trainingJobPanels.show(name);
    },
    'sagemaker.trainingJob.showJson': async (node?: TrainingJobTreeItem) => {
      const name = node?.job.name ?? (await askTrainingJobName('Open Training Job as JSON'));
      if (name) await trainingJobDetails.show(name);
    },
    'sagemaker.trainingJob.showLogs': async (node?: TrainingJobTreeItem) => {
      const name = node?.job.name ?? (await askTrainingJobName('Show Training Job Logs'));
      if (name) await trainingJobLogs.show(name);
    },
    'sagemaker.trainingJob.resume': (node?: TrainingJobTreeItem, newName?: string) =>
      // With several jobs selectable, a context menu passes the selection second: not a name.
      resumeTrainingJob(connection, node, typeof newName === 'string' ? newName : undefined, (name) => {
        trainingJobs.refresh();
        void vscode.window.showInformationMessage(`Started training job ${name}, resuming from its checkpoints.`, 'Show Logs').then((choice) => {
          if (choice) void trainingJobLogs.show(name);
        });
      }),
    'sagemaker.trainingJob.stop': (node?: TrainingJobTreeItem) => stopTrainingJob(connection, node, () => trainingJobs.refresh()),
    'sagemaker.deployModel': (source?: TrainingJobTreeItem | ObjectTreeItem, plan?: Partial<DeploymentPlan>) =>
      deployToEndpoint(connection, source, plan && !Array.isArray(plan) ? plan : {}, (name) => {
        endpoints.refresh();
        void vscode.commands.executeCommand('sagemaker.endpoints.focus');
        void vscode.window.showInformationMessage(`Deploying endpoint ${name}: the Endpoints view shows it InService once its instance answers.`);
      }),
    'sagemaker.endpoints.refresh': () => endpoints.refresh(),
    'sagemaker.endpoint.openChat': (node?: EndpointTreeItem) => openChat(connection, chatPanels, node),
    'sagemaker.endpoint.delete': (node?: EndpointTreeItem) => deleteEndpoint(connection, node, () => endpoints.refresh()),
    'sagemaker.endpoint.copyArn': async (node?: EndpointTreeItem) => {
      const endpoint = node?.endpoint ?? (await pickEndpoint(connection, { title: 'Copy Endpoint ARN' }));
      if (!endpoint) return;
      await vscode.env.clipboard.writeText(endpoint.arn);
      vscode.window.setStatusBarMessage(`Copied the ARN of endpoint ${endpoint.name}`, 4000);
    },
    'sagemaker.loadMore': (node: LoadMoreTreeItem) => node.load(),
    // Datasets
    'sagemaker.datasets.uploadFiles': (node?: S3FolderTreeItem, sources?: vscode.Uri[]) => uploadFilesToS3(workbench, node, sources),
    'sagemaker.datasets.uploadFolder': (node?: S3FolderTreeItem, sources?: vscode.Uri[]) => uploadFolderToS3(workbench, node, sources),
    'sagemaker.datasets.download': (node?: S3FolderTreeItem | ObjectTreeItem, folder?: vscode.Uri) => downloadFromS3(workbench, node, folder),
    'sagemaker.datasets.delete': (node?: S3FolderTreeItem | ObjectTreeItem, confirmed?: boolean) => deleteFromS3(workbench, node, confirmed),
    'sagemaker.datasets.copyUri': (node?: S3FolderTreeItem | ObjectTreeItem) => copyS3Uri(node),
    'sagemaker.datasets.open': (node?: ObjectTreeItem) => openS3Object(workbench, node),
    // Specs
    'sagemaker.spec.new': (given?: NewSpecChoices) => newTrainingJobSpec(workbench, given),
    'sagemaker.spec.launch': (uri?: vscode.Uri, options?: { name?: string }) => launchSpec(workbench, uri, options),
    'sagemaker.spec.validate': (uri?: vscode.Uri) => validateSpec(workbench, uri),
    'sagemaker.trainingJob.cloneToSpec': (node?: TrainingJobTreeItem, given?: Parameters<typeof cloneTrainingJobToSpec>[2]) =>
      cloneTrainingJobToSpec(workbench, node, given && !Array.isArray(given) ? given : undefined),
    'sagemaker.trainingJobs.compare': (node?: TrainingJobTreeItem, selected?: TrainingJobTreeItem[], names?: string[]) => compareTrainingJobs(workbench, node, selected, names),
    // Checkpoints
    'sagemaker.trainingJob.showCheckpoints': (node?: TrainingJobTreeItem) => showCheckpoints(workbench, node),
    'sagemaker.checkpoints.refresh': () => workbench.checkpoints.refresh(),
    'sagemaker.checkpoint.resume': (node?: CheckpointTreeItem, newName?: string) => resumeFromCheckpoint(workbench, node, newName),
    'sagemaker.checkpoint.download': (node?: CheckpointTreeItem, folder?: vscode.Uri) => downloadCheckpoint(workbench, node, folder),
    'sagemaker.checkpoint.delete': (node?: CheckpointTreeItem, confirmed?: boolean) => deleteCheckpoint(workbench, node, confirmed),
  };
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        const failure = classifyFailure(error);
        void vscode.window.showErrorMessage(failure.message);
        return undefined;
      }
    }),
  );
}
