// Every command id in one list, each handler wrapped in the one error handler: failures become a
// single message (credentials redacted), never an unhandled rejection.
import * as vscode from 'vscode';
import { classifyFailure } from '../aws/errors';
import type { Workbench } from '../workbench';
import type { DeploymentPlan } from '../pipeline/deploy';
import type { ObjectTreeItem } from '../trees/datasetsTree';
import type { EndpointTreeItem, VariantTreeItem } from '../trees/endpointsTree';
import type { ModelVersionTreeItem } from '../trees/modelsTree';
import type { TransformOutputTreeItem } from '../trees/transformJobsTree';
import type { LoadMoreTreeItem } from '../trees/nodes';
import type { TrainingJobTreeItem } from '../trees/trainingJobsTree';
import { approveModelVersion } from './approveModelVersion';
import { askTrainingJobName } from './askTrainingJobName';
import { configureAutoscaling } from './configureAutoscaling';
import { deployModelVersion } from './deployModelVersion';
import { openTransformOutput } from './openTransformOutput';
import { registerModel } from './registerModel';
import { rejectModelVersion } from './rejectModelVersion';
import { removeAutoscaling } from './removeAutoscaling';
import { runBatchTransform } from './runBatchTransform';
import { sendTestLoad } from './sendTestLoad';
import { setInstanceCount } from './setInstanceCount';
import { updateEndpointToVersion } from './updateEndpointToVersion';
import { createBucket } from './createBucket';
import { deleteEndpoint } from './deleteEndpoint';
import { deployToEndpoint } from './deployToEndpoint';
import { startEmulator, stopEmulator } from './emulatorCommands';
import { openChat } from './openChat';
import { pickEndpoint } from './pickEndpoint';
import { resumeTrainingJob } from './resumeTrainingJob';
import { stopTrainingJob } from './stopTrainingJob';
import { switchConnection } from './switchConnection';

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
      resumeTrainingJob(connection, node, newName, (name) => {
        trainingJobs.refresh();
        void vscode.window.showInformationMessage(`Started training job ${name}, resuming from its checkpoints.`, 'Show Logs').then((choice) => {
          if (choice) void trainingJobLogs.show(name);
        });
      }),
    'sagemaker.trainingJob.stop': (node?: TrainingJobTreeItem) => stopTrainingJob(connection, node, () => trainingJobs.refresh()),
    'sagemaker.deployModel': (source?: TrainingJobTreeItem | ObjectTreeItem, plan?: Partial<DeploymentPlan>) =>
      deployToEndpoint(connection, source, plan ?? {}, (name) => {
        endpoints.refresh();
        void vscode.commands.executeCommand('sagemaker.endpoints.focus');
        void vscode.window.showInformationMessage(`Deploying endpoint ${name}: the Endpoints view shows it InService once its instance answers.`);
      }),
    'sagemaker.endpoints.refresh': () => endpoints.refresh(),
    'sagemaker.endpoint.openChat': (node?: EndpointTreeItem) => openChat(connection, chatPanels, node),
    'sagemaker.endpoint.delete': (node?: EndpointTreeItem) => deleteEndpoint(connection, endpoints, node, () => endpoints.refresh()),
    'sagemaker.endpoint.copyArn': async (node?: EndpointTreeItem) => {
      const endpoint = node?.endpoint ?? (await pickEndpoint(connection, { title: 'Copy Endpoint ARN' }));
      if (!endpoint) return;
      await vscode.env.clipboard.writeText(endpoint.arn);
      vscode.window.setStatusBarMessage(`Copied the ARN of endpoint ${endpoint.name}`, 4000);
    },
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
    'sagemaker.loadMore': (node: LoadMoreTreeItem) => node.load(),
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
