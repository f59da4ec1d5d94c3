// "SageMaker: Show Checkpoints" — a training job's checkpoints in the Checkpoints view: from a job's
// context menu, or the view's title (a job picked). Selecting a job in Training Jobs does the same.
import * as vscode from 'vscode';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';
import { pickTrainingJob } from '../../pickers/pickTrainingJob';

export async function showCheckpoints(workbench: Workbench, node?: TrainingJobTreeItem): Promise<void> {
  const name = node?.job.name ?? (await pickTrainingJob(workbench, { title: 'Show Checkpoints' }));
  if (!name) return;
  workbench.checkpoints.showJob(name);
  await vscode.commands.executeCommand('sagemaker.checkpoints.focus');
}
