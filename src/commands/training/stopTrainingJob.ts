// "SageMaker: Stop Training Job" — asks SageMaker to stop a job in progress, after a modal
// confirmation. SageMaker signals the training script (SIGTERM) and ends it after a grace period; what
// it saved (checkpoints, model artifacts) stays in S3, so a new job can resume from its checkpoints.
import * as vscode from 'vscode';
import { describeTrainingJob, isStoppable, stopTrainingJob as stopTrainingJobCall } from '../../pipeline/trainingJobs';
import { IN_PROGRESS_JOBS, pickTrainingJob } from '../../pickers/pickTrainingJob';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';

export async function stopTrainingJob(workbench: Pick<Workbench, 'connection' | 'trainingJobs'>, node?: TrainingJobTreeItem): Promise<void> {
  const { connection, trainingJobs } = workbench;
  const name = node?.job.name ?? (await pickTrainingJob(workbench, { title: 'Stop Training Job', statuses: IN_PROGRESS_JOBS }));
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
  trainingJobs.refresh();
}
