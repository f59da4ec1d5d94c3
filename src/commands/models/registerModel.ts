// "SageMaker: Register Model" — a completed training job's model as the next version of a model
// group in the registry (see pipeline/registry.ts): the group picked or created, the inference image
// (the job's own by default), the content types it takes and answers with, and its approval
// (PendingManualApproval unless chosen otherwise). The job's final metrics go with it as model metrics.
import type { ModelApprovalStatus } from '@aws-sdk/client-sagemaker';
import * as vscode from 'vscode';
import { validName } from '../../pipeline/names';
import {
  CONTENT_TYPES,
  registerModelVersion,
  versionLabel,
  whyNotRegistrable,
  type ModelVersionSummary,
  type Registration,
} from '../../pipeline/registry';
import { describeTrainingJob } from '../../pipeline/trainingJobs';
import { pickModelGroup } from '../../pickers/pickModelVersion';
import { pickTrainingJob } from '../../pickers/pickTrainingJob';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';

/** Registers the job's model; `given` members are used as they are, the others asked for. */
export async function registerModel(
  workbench: Pick<Workbench, 'connection' | 'models'>,
  node?: TrainingJobTreeItem,
  given: Partial<Registration> = {},
): Promise<ModelVersionSummary | undefined> {
  const { connection, models } = workbench;
  const jobName = node?.job.name ?? (await pickTrainingJob(workbench, { title: 'Register Model', statuses: ['Completed'] }));
  if (!jobName) return undefined;
  const sageMaker = await connection.clients.sageMaker();
  const job = await describeTrainingJob(sageMaker, jobName);
  const refusal = whyNotRegistrable(job);
  if (refusal) {
    void vscode.window.showWarningMessage(refusal);
    return undefined;
  }
  const group =
    given.group ??
    (await pickModelGroup(workbench, {
      title: `Register ${jobName}: model group`,
      placeholder: `The group it becomes the next version of — or type a new group's name, e.g. ${validName(jobName.replace(/-\d+$/, ''))}`,
      allowNew: true,
    }));
  if (!group) return undefined;
  const image =
    given.image ??
    (await vscode.window.showInputBox({
      title: `Register ${jobName} in ${group}: inference image`,
      prompt: 'The container that serves the model (the training image serves it only if it has an inference server, as the built-in GPT does)',
      value: job.AlgorithmSpecification?.TrainingImage ?? '',
      validateInput: (value) => (value.trim() ? undefined : 'An image URI, e.g. 763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:…'),
    }));
  if (!image) return undefined;
  const contentTypes = given.contentTypes ?? (await askContentTypes(`Register ${jobName}: content types it takes and answers with`));
  if (!contentTypes) return undefined;
  const approval = given.approval ?? (await askApproval(jobName));
  if (!approval) return undefined;
  const registration: Registration = { group, image, contentTypes, responseTypes: given.responseTypes ?? contentTypes, approval, description: given.description };
  const version = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Registering ${jobName} in ${group}` }, async () =>
    registerModelVersion({ sageMaker, s3: await connection.clients.s3() }, job, registration),
  );
  models.refresh();
  void vscode.window.showInformationMessage(`Registered ${jobName} as ${versionLabel(version)} (${version.approval}).`, 'Show Models').then((choice) => {
    if (choice) void vscode.commands.executeCommand('sagemaker.models.focus');
  });
  return version;
}

async function askContentTypes(title: string): Promise<string[] | undefined> {
  const picked = await vscode.window.showQuickPick(
    CONTENT_TYPES.map((type, index) => ({ label: type, picked: index === 0 })),
    { title, canPickMany: true, placeHolder: 'MIME types, e.g. application/json' },
  );
  return picked && picked.length > 0 ? picked.map((item) => item.label) : undefined;
}

async function askApproval(jobName: string): Promise<ModelApprovalStatus | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Pending manual approval', description: 'Approve or reject it after evaluating it', approval: 'PendingManualApproval' as const },
      { label: 'Approved', description: 'Ready to deploy now', approval: 'Approved' as const },
    ],
    { title: `Register ${jobName}: approval status` },
  );
  return picked?.approval;
}
