// Every command id in one flat list, each handler wrapped in the one error handler: a failure
// becomes one notification in the failure language every surface speaks (classified, credentials
// redacted, the next step as a button, Retry re-running the command), never an unhandled rejection.
// Each command's work lives in its own file; the one-line handlers here only call a part's method.
import * as vscode from 'vscode';
import type { DeploymentPlan } from '../pipeline/deploy';
import type { ObjectTreeItem } from '../trees/datasetsTree';
import type { EndpointTreeItem, VariantTreeItem } from '../trees/endpointsTree';
import type { ModelVersionTreeItem } from '../trees/modelsTree';
import type { TransformOutputTreeItem } from '../trees/transformJobsTree';
import type { LoadMoreTreeItem } from '../trees/nodes';
import type { TrainingJobTreeItem } from '../trees/trainingJobsTree';
import type { Workbench } from '../workbench';
import { approveModelVersion } from './models/approveModelVersion';
import { configureAutoscaling } from './endpoints/configureAutoscaling';
import { copyEndpointArn } from './endpoints/copyEndpointArn';
import { createBucket } from './datasets/createBucket';
import { deleteEndpoint } from './endpoints/deleteEndpoint';
import { deployModelVersion } from './models/deployModelVersion';
import { deployToEndpoint } from './endpoints/deployToEndpoint';
import { openChat } from './endpoints/openChat';
import { openConversation } from './endpoints/openConversation';
import { openTrainingJob } from './training/openTrainingJob';
import { openTransformOutput } from './models/openTransformOutput';
import { registerModel } from './models/registerModel';
import { rejectModelVersion } from './models/rejectModelVersion';
import { removeAutoscaling } from './endpoints/removeAutoscaling';
import { restartEmulator } from './restartEmulator';
import { resumeTrainingJob } from './training/resumeTrainingJob';
import { runBatchTransform } from './models/runBatchTransform';
import { sendTestLoad } from './endpoints/sendTestLoad';
import { setInstanceCount } from './endpoints/setInstanceCount';
import { runPromptTests } from './runPromptTests';
import { showTrainingJobJson } from './training/showTrainingJobJson';
import { showTrainingJobLogs } from './training/showTrainingJobLogs';
import { startEmulator } from './startEmulator';
import { stopEmulator } from './stopEmulator';
import { stopTrainingJob } from './training/stopTrainingJob';
import { switchConnection } from './switchConnection';
import { updateEndpointToVersion } from './endpoints/updateEndpointToVersion';
import type { CheckpointTreeItem } from '../trees/checkpointsTree';
import type { S3FolderTreeItem } from '../trees/datasetsTree';
import { cloneTrainingJobToSpec } from './training/cloneTrainingJobToSpec';
import { compareTrainingJobs } from './training/compareTrainingJobs';
import { copyS3Uri } from './datasets/copyS3Uri';
import { deleteCheckpoint } from './training/deleteCheckpoint';
import { deleteFromS3 } from './datasets/deleteFromS3';
import { downloadCheckpoint } from './training/downloadCheckpoint';
import { downloadFromS3 } from './datasets/downloadFromS3';
import { launchSpec } from './training/launchSpec';
import { newTrainingJobSpec, type NewSpecChoices } from './training/newTrainingJobSpec';
import { openS3Object } from './datasets/openS3Object';
import { resumeFromCheckpoint } from './training/resumeFromCheckpoint';
import { showCheckpoints } from './training/showCheckpoints';
import { uploadFilesToS3, uploadFolderToS3 } from './datasets/uploadToS3';
import { validateSpec } from './training/validateSpec';
import type { TransferOptions } from '../transfers/transferUi';

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
    'sagemaker.trainingJob.showLogs': (target?: TrainingJobTreeItem | string) => showTrainingJobLogs(workbench, target),
    // With several jobs selectable, a context menu passes the selection second: not a name, not a plan.
    'sagemaker.trainingJob.resume': (node?: TrainingJobTreeItem, newName?: string) => resumeTrainingJob(workbench, node, typeof newName === 'string' ? newName : undefined),
    'sagemaker.trainingJob.stop': (node?: TrainingJobTreeItem) => stopTrainingJob(workbench, node),
    'sagemaker.deployModel': (source?: TrainingJobTreeItem | ObjectTreeItem, plan?: Partial<DeploymentPlan>) =>
      deployToEndpoint(workbench, source, plan && !Array.isArray(plan) ? plan : undefined),
    'sagemaker.endpoints.refresh': () => endpoints.refresh(),
    'sagemaker.endpoint.openChat': (node?: EndpointTreeItem) => openChat(workbench, node),
    'sagemaker.chat.openConversation': () => openConversation(workbench),
    'sagemaker.endpoint.delete': (node?: EndpointTreeItem) => deleteEndpoint(workbench, node),
    'sagemaker.endpoint.copyArn': (node?: EndpointTreeItem) => copyEndpointArn(workbench, node),
    'sagemaker.models.refresh': () => workbench.models.refresh(),
    'sagemaker.registerModel': (node?: TrainingJobTreeItem, given?: Parameters<typeof registerModel>[2]) => registerModel(workbench, node, given),
    'sagemaker.modelVersion.approve': (node?: ModelVersionTreeItem, note?: string) => approveModelVersion(workbench, node, note),
    'sagemaker.modelVersion.reject': (node?: ModelVersionTreeItem, reason?: string) => rejectModelVersion(workbench, node, reason),
    'sagemaker.modelVersion.deploy': (node?: ModelVersionTreeItem, given?: Parameters<typeof deployModelVersion>[2]) => deployModelVersion(workbench, node, given),
    'sagemaker.endpoint.updateToVersion': (node?: EndpointTreeItem | VariantTreeItem, given?: Parameters<typeof updateEndpointToVersion>[2]) =>
      updateEndpointToVersion(workbench, node, given),
    'sagemaker.endpoint.sendTestLoad': (node?: EndpointTreeItem, given?: Parameters<typeof sendTestLoad>[2]) => sendTestLoad(workbench, node, given),
    'sagemaker.variant.configureAutoscaling': (node?: VariantTreeItem | EndpointTreeItem, given?: Parameters<typeof configureAutoscaling>[2]) =>
      configureAutoscaling(workbench, node, given),
    'sagemaker.variant.removeAutoscaling': (node?: VariantTreeItem, confirmed?: boolean) => removeAutoscaling(workbench, node, confirmed),
    'sagemaker.variant.setInstanceCount': (node?: VariantTreeItem, count?: number) => setInstanceCount(workbench, node, count),
    'sagemaker.transformJobs.refresh': () => workbench.transformJobs.refresh(),
    'sagemaker.runBatchTransform': (node?: ModelVersionTreeItem, given?: Parameters<typeof runBatchTransform>[2]) => runBatchTransform(workbench, node, given),
    'sagemaker.transformOutput.open': (node?: TransformOutputTreeItem) => openTransformOutput(workbench, node),
    'sagemaker.promptTests.run': (uri?: vscode.Uri, caseName?: string, endpoints?: string[]) => runPromptTests(workbench, uri, caseName, endpoints),
    'sagemaker.loadMore': (node: LoadMoreTreeItem) => node.load(),
    // Datasets
    'sagemaker.datasets.uploadFiles': (node?: S3FolderTreeItem, sources?: vscode.Uri[], options?: TransferOptions) => uploadFilesToS3(workbench, node, sources, options),
    'sagemaker.datasets.uploadFolder': (node?: S3FolderTreeItem, sources?: vscode.Uri[], options?: TransferOptions) => uploadFolderToS3(workbench, node, sources, options),
    'sagemaker.datasets.download': (node?: S3FolderTreeItem | ObjectTreeItem, folder?: vscode.Uri, options?: TransferOptions) => downloadFromS3(workbench, node, folder, options),
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
    'sagemaker.checkpoint.resume': (node?: CheckpointTreeItem, newName?: string, hyperParameters?: Record<string, string>) =>
      resumeFromCheckpoint(workbench, node, typeof newName === 'string' ? newName : undefined, hyperParameters),
    'sagemaker.checkpoint.download': (node?: CheckpointTreeItem, folder?: vscode.Uri) => downloadCheckpoint(workbench, node, folder),
    'sagemaker.checkpoint.delete': (node?: CheckpointTreeItem, confirmed?: boolean) => deleteCheckpoint(workbench, node, confirmed),
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
