// "SageMaker: Resume From This Checkpoint" — a new training job from the chosen checkpoint (any, not
// only the latest): its files are copied server-side to a fresh checkpoint location and the job,
// with the old job's configuration, starts there (pipeline/resumeFromCheckpoint.ts).
import * as vscode from 'vscode';
import { formatBytes } from '../../format';
import { resumeFromCheckpoint as resume, resumePlan } from '../../pipeline/resumeFromCheckpoint';
import { formatHyperParameters, parseHyperParameters } from '../../pipeline/specs/trainingSpecs';
import { resumedJobName } from '../../pipeline/resumeTrainingJob';
import { trainingJobNameHolder } from '../../pipeline/trainingJobs';
import { askNewName, assertNameFree } from '../../pickers/askNewName';
import { revealTrainingJob } from '../../trees/revealTrainingJob';
import type { CheckpointTreeItem } from '../../trees/checkpointsTree';
import type { Workbench } from '../../workbench';

/**
 * Returns the new job's name. `newName` and `hyperParameters` skip their prompts (another command, a
 * test); the hyperparameters prompt shows the old job's, to keep or change.
 */
export async function resumeFromCheckpoint(workbench: Workbench, node?: CheckpointTreeItem, newName?: string, hyperParameters?: Record<string, string>): Promise<string | undefined> {
  if (!node) {
    void vscode.window.showInformationMessage('Pick a checkpoint in the Checkpoints view (select a training job first) and resume from it there.');
    return undefined;
  }
  const { job, checkpoint } = node;
  const jobName = job.TrainingJobName ?? '';
  const clients = { s3: await workbench.connection.clients.s3(), sageMaker: await workbench.connection.clients.sageMaker() };
  const holder = (candidate: string) => trainingJobNameHolder(clients.sageMaker, candidate);
  const region = workbench.connection.settings.region;
  if (newName !== undefined) await assertNameFree(newName, holder, region);
  const name =
    newName ??
    (await askNewName({
      title: `Resume ${jobName} from its ${checkpoint.label}`,
      prompt: `Name of the new training job. The checkpoint (${formatBytes(checkpoint.size)}) is copied to a fresh location for it.`,
      value: resumedJobName(jobName),
      holder,
      region,
    }));
  if (!name) return undefined;
  const hyperText =
    hyperParameters !== undefined || newName !== undefined
      ? undefined
      : await vscode.window.showInputBox({
          title: `Resume ${jobName} from its ${checkpoint.label} as ${name}: hyperparameters`,
          prompt: 'Keep them (Enter), or change some — e.g. a lower learning rate, or the steps to train to',
          value: formatHyperParameters(job.HyperParameters),
          validateInput: (value) => (parseHyperParameters(value) ? undefined : 'name=value pairs separated by commas'),
        });
  if (hyperParameters === undefined && newName === undefined && hyperText === undefined) return undefined;
  const plan = resumePlan(job, name, hyperParameters ?? (hyperText === undefined ? job.HyperParameters : parseHyperParameters(hyperText)));
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Resuming ${jobName} from ${checkpoint.label} as ${name}` }, async (progress) => {
    progress.report({ message: `copying the checkpoint to ${plan.checkpointUri}` });
    let copied = 0;
    await resume(clients, job, checkpoint, plan, (bytes) => {
      copied += bytes;
      progress.report({ message: `copied ${formatBytes(copied)} of ${formatBytes(checkpoint.size)}`, increment: (100 * bytes) / Math.max(checkpoint.size, 1) });
    });
  });
  await revealTrainingJob(workbench, name);
  workbench.checkpoints.showJob(name);
  await workbench.trainingJobLogs.show(name);
  void vscode.window.showInformationMessage(`Started training job ${name} from ${jobName}'s ${checkpoint.label} (checkpoints in ${plan.checkpointUri}).`);
  return name;
}
