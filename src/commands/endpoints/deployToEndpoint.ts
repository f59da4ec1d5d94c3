// "SageMaker: Deploy to Endpoint" — a completed training job's model, or any model.tar.gz in S3, as
// a real-time endpoint with one variant (see pipeline/deploy.ts). Asks for what it cannot take from
// the job: the endpoint's name, the instance type, the inference image and role, each prefilled.
import * as vscode from 'vscode';
import {
  BUILTIN_GPT_IMAGE,
  deploymentNameHolder,
  deployModel,
  type DeploymentPlan,
  INSTANCE_TYPES,
  nameFromKey,
  planFromTrainingJob,
  whyNotDeployable,
} from '../../pipeline/deploy';
import { validName } from '../../pipeline/names';
import { describeTrainingJob } from '../../pipeline/trainingJobs';
import { askNewName, assertNameFree } from '../../pickers/askNewName';
import { pickExecutionRole } from '../../pickers/pickExecutionRole';
import { pickInstanceType } from '../../pickers/pickInstanceType';
import { followWithProgress } from './deploymentProgress';
import { pickTrainingJob } from '../../pickers/pickTrainingJob';
import { ObjectTreeItem } from '../../trees/datasetsTree';
import type { TrainingJobTreeItem } from '../../trees/trainingJobsTree';
import type { Workbench } from '../../workbench';


/**
 * Deploys the model of `source` (a job from the palette if none); `given` members are used as they
 * are, the others asked for. Returns the endpoint's name, or undefined if nothing was deployed.
 */
export async function deployToEndpoint(
  workbench: Pick<Workbench, 'connection' | 'endpoints' | 'failures'>,
  source?: TrainingJobTreeItem | ObjectTreeItem,
  given: Partial<DeploymentPlan> = {},
): Promise<string | undefined> {
  const { connection } = workbench;
  const sageMaker = await connection.clients.sageMaker();
  const region = connection.settings.region;
  // The endpoint, its configuration and its model take its name: a taken one is refused first,
  // before any other prompt or call.
  const holder = (name: string) => deploymentNameHolder(sageMaker, name);
  if (given.endpointName !== undefined) await assertNameFree(given.endpointName, holder, region);
  let defaults: Partial<DeploymentPlan>;
  if (source instanceof ObjectTreeItem) {
    const { bucket, key } = source.object;
    defaults = { modelDataUrl: `s3://${bucket}/${key}`, endpointName: nameFromKey(key) };
  } else {
    const jobName = source?.job.name ?? (await pickTrainingJob(workbench, { title: 'Deploy to Endpoint', statuses: ['Completed'] }));
    if (!jobName) return undefined;
    const description = await describeTrainingJob(sageMaker, jobName);
    const refusal = whyNotDeployable(description);
    if (refusal) {
      void vscode.window.showWarningMessage(refusal);
      return undefined;
    }
    defaults = planFromTrainingJob(description);
  }
  const onEmulator = connection.settings.mode === 'emulator';
  const endpointName =
    given.endpointName ??
    (await askNewName({
      title: `Deploy ${defaults.modelDataUrl}`,
      prompt: 'Endpoint name (also the name of its model and endpoint configuration)',
      value: validName(defaults.endpointName ?? 'model-endpoint'),
      holder,
      region,
    }));
  if (!endpointName) return undefined;
  const instanceType = given.instanceType ?? (await pickInstanceType({ title: `Instance type for ${endpointName}`, types: INSTANCE_TYPES, region }));
  if (!instanceType) return undefined;
  const image =
    given.image ??
    (await vscode.window.showInputBox({
      title: `Inference image for ${endpointName}`,
      prompt: 'The container that serves the model (a training image often does not)',
      value: defaults.image ?? (onEmulator ? BUILTIN_GPT_IMAGE : ''),
      validateInput: (value) => (value.trim() ? undefined : 'An image URI, e.g. 763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:…'),
    }));
  if (!image) return undefined;
  const executionRoleArn =
    given.executionRoleArn ??
    defaults.executionRoleArn ??
    (await pickExecutionRole(workbench, { title: `Deploy ${endpointName}`, purpose: 'to read the model and run the container' }));
  if (!executionRoleArn) return undefined;
  const modelDataUrl = given.modelDataUrl ?? defaults.modelDataUrl ?? '';
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Deploying ${endpointName}` }, () =>
    deployModel(sageMaker, { endpointName, modelDataUrl, image, executionRoleArn, instanceType, instanceCount: given.instanceCount ?? 1 }),
  );
  void vscode.commands.executeCommand('sagemaker.endpoints.focus');
  // Followed to InService (or its failure) in a notification; the name is the command's answer now.
  void followWithProgress(workbench, `Deploying endpoint ${endpointName}`, endpointName, endpointName).catch((error: unknown) =>
    workbench.failures.notify(error, { resource: { kind: 'endpoint', name: endpointName } }),
  );
  return endpointName;
}
