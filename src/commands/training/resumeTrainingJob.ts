// "SageMaker: Resume Training Job" — starts a new job from an ended job's configuration and
// checkpoints (see pipeline/resumeTrainingJob.ts), named after it unless the user names it.
import * as vscode from 'vscode';
import { resumedJobName, resumeInput, whyNotResumable } from '../../pipeline/resumeTrainingJob';
import { createTrainingJob, describeTrainingJob, trainingJobNameHolder } from '../../pipeline/trainingJobs';
import { askNewName, assertNameFree } from '../../pickers/askNewName';
import { ENDED_JOBS, pickTrainingJob } from '../../pickers/pickTrainingJob';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';

/**
 * Resumes the job of `node` (or one typed in) as `newName` (or a name the user confirms). Returns the
 * new job's name, or undefined if nothing was started.
 */
export async function resumeTrainingJob(
  workbench: Pick<Workbench, 'connection' | 'trainingJobs' | 'trainingJobLogs'>,
  node?: TrainingJobTreeItem,
  newName?: string,
): Promise<string | undefined> {
  const { connection, trainingJobs, trainingJobLogs } = workbench;
  const name = node?.job.name ?? (await pickTrainingJob(workbench, { title: 'Resume Training Job', statuses: ENDED_JOBS }));
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
  const holder = (candidate: string) => trainingJobNameHolder(sageMaker, candidate);
  const region = connection.settings.region;
  if (newName !== undefined) await assertNameFree(newName, holder, region);
  const chosen =
    newName ??
    (await askNewName({
      title: `Resume ${name} from ${description.CheckpointConfig?.S3Uri}`,
      prompt: 'Name of the new training job (same configuration, same checkpoint location)',
      value: resumedJobName(name),
      holder,
      region,
    }));
  if (!chosen) {
    return undefined;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Starting training job ${chosen}` }, () =>
    createTrainingJob(sageMaker, resumeInput(description, chosen)),
  );
  trainingJobs.refresh();
  void vscode.window.showInformationMessage(`Started training job ${chosen}, resuming from its checkpoints.`, 'Show Logs').then((choice) => {
    if (choice) void trainingJobLogs.show(chosen);
  });
  return chosen;
}
