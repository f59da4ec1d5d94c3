// "SageMaker: Resume Training Job" — starts a new job from an ended job's configuration and
// checkpoints (see pipeline/resumeTrainingJob.ts), named after it unless the user names it.
import * as vscode from 'vscode';
import { askTrainingJobName } from './askTrainingJobName';
import type { Connection } from '../connection/connection';
import { nameProblem } from '../pipeline/names';
import { resumedJobName, resumeInput, whyNotResumable } from '../pipeline/resumeTrainingJob';
import { createTrainingJob, describeTrainingJob } from '../pipeline/trainingJobs';
import type { TrainingJobTreeItem } from '../trees/trainingJobsTree';

/**
 * Resumes the job of `node` (or one typed in) as `newName` (or a name the user confirms). Returns the
 * new job's name, or undefined if nothing was started.
 */
export async function resumeTrainingJob(
  connection: Connection,
  node: TrainingJobTreeItem | undefined,
  newName: string | undefined,
  onStarted: (name: string) => void,
): Promise<string | undefined> {
  const name = node?.job.name ?? (await askTrainingJobName('Resume Training Job'));
  if (!name) {
    return undefined;
  }
  const sageMaker = await connection.clients.sageMaker();
  const description = await describeTrainingJob(sageMaker, name);
  const refusal = whyNotResumable(description);
  if (refusal) {
    void vscode.window.showWarningMessage(refusal);
    return undefined;
  }
  const chosen =
    newName ??
    (await vscode.window.showInputBox({
      title: `Resume ${name} from ${description.CheckpointConfig?.S3Uri}`,
      prompt: 'Name of the new training job (same configuration, same checkpoint location)',
      value: resumedJobName(name),
      validateInput: nameProblem,
    }));
  if (!chosen) {
    return undefined;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Starting training job ${chosen}` }, () =>
    createTrainingJob(sageMaker, resumeInput(description, chosen)),
  );
  onStarted(chosen);
  return chosen;
}
