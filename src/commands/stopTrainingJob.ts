// "SageMaker: Stop Training Job" — asks SageMaker to stop a job in progress, after a modal
// confirmation. SageMaker signals the training script (SIGTERM) and ends it after a grace period; what
// it saved (checkpoints, model artifacts) stays in S3, so a new job can resume from its checkpoints.
import * as vscode from 'vscode';
import { askTrainingJobName } from './askTrainingJobName';
import type { Connection } from '../connection/connection';
import { describeTrainingJob, isStoppable, stopTrainingJob as stopTrainingJobCall } from '../pipeline/trainingJobs';
import type { TrainingJobTreeItem } from '../trees/trainingJobsTree';

export async function stopTrainingJob(
  connection: Connection,
  node: TrainingJobTreeItem | undefined,
  onStopping: () => void,
): Promise<void> {
  const name = node?.job.name ?? (await askTrainingJobName('Stop Training Job'));
  if (!name) {
    return;
  }
  // The tree's status may be a poll old; the palette has none.
  const status = (await describeTrainingJob(await connection.clients.sageMaker(), name)).TrainingJobStatus;
  if (!status || !isStoppable(status)) {
    void vscode.window.showWarningMessage(`Training job ${name} is ${status}: only a job in progress can be stopped.`);
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `Stop training job ${name}?`,
    {
      modal: true,
      detail:
        'SageMaker signals the training script to stop (SIGTERM) and ends it after a grace period; the job ends as Stopped. ' +
        'Checkpoints and model artifacts it saved stay in S3, so a new job can resume from its checkpoints.',
    },
    'Stop',
  );
  if (choice !== 'Stop') {
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Stopping training job ${name}` }, async () =>
    stopTrainingJobCall(await connection.clients.sageMaker(), name),
  );
  onStopping();
}
