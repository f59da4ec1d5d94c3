// "SageMaker: Run Batch Transform…" — a model version (or a model) over every object under an S3
// prefix picked from the Datasets, the answers written as `<object>.out` under an output prefix (see
// pipeline/batchTransform.ts). A version is made into a model for the job first.
import type { SplitType } from '@aws-sdk/client-sagemaker';
import * as vscode from 'vscode';
import { loadSdk } from '../../aws/clients';
import {
  createTransformJob,
  defaultOutputUri,
  modelForVersion,
  SPLIT_TYPES,
  TRANSFORM_INSTANCE_TYPES,
  transformJobNameHolder,
  transformRequest,
  type TransformPlan,
} from '../../pipeline/batchTransform';
import { nameStamp, suffixedName } from '../../pipeline/endpointUpdates';
import { versionLabel } from '../../pipeline/registry';
import { relativeTime } from '../../format';
import { nameProblem } from '../../pipeline/names';
import { askNewName, assertNameFree } from '../../pickers/askNewName';
import { pickExecutionRole } from '../../pickers/pickExecutionRole';
import { pickInstanceType } from '../../pickers/pickInstanceType';
import { pickResource } from '../../pickers/pickResource';
import { pickModelVersion } from '../../pickers/pickModelVersion';
import { pickS3Prefix } from '../../pickers/pickS3Prefix';
import { ModelVersionTreeItem } from '../../trees/modelsTree';
import type { Workbench } from '../../workbench';

export type BatchTransformPlan = TransformPlan & { executionRoleArn: string };

const CONTENT_TYPES = ['application/jsonlines', 'application/json', 'text/csv', 'text/plain'];

type Source = { modelName: string } | { version: { arn: string; label: string } };

/** Starts the job and returns its name; `given` members are used as they are, the others asked for. */
export async function runBatchTransform(
  workbench: Pick<Workbench, 'connection' | 'transformJobs'>,
  node?: ModelVersionTreeItem,
  given: Partial<BatchTransformPlan> & { versionArn?: string } = {},
): Promise<string | undefined> {
  const { connection } = workbench;
  const title = 'Run Batch Transform';
  const sageMaker = await connection.clients.sageMaker();
  const source: Source | undefined = given.modelName
    ? { modelName: given.modelName }
    : node instanceof ModelVersionTreeItem
      ? { version: { arn: node.version.arn, label: versionLabel(node.version) } }
      : given.versionArn
        ? { version: { arn: given.versionArn, label: given.versionArn.replace(/^.*model-package\//, '').replace('/', '-v') } }
        : await askSource(workbench, title);
  if (!source) return undefined;
  const what = 'modelName' in source ? source.modelName : source.version.label;
  const inputUri = given.inputUri ?? (await pickS3Prefix(workbench, { title: `${title}: ${what} — input`, placeHolder: 'The prefix whose objects are transformed' }));
  if (!inputUri) return undefined;
  const region = connection.settings.region;
  const holder = (name: string) => transformJobNameHolder(sageMaker, name);
  if (given.jobName !== undefined) await assertNameFree(given.jobName, holder, region);
  const jobName =
    given.jobName ??
    (await askNewName({ title: `${title}: job name`, prompt: 'Transform job names are never reused in a region', value: suffixedName(what.replace(/\s+/g, '-'), nameStamp(new Date())), holder, region }));
  if (!jobName) return undefined;
  const outputUri =
    given.outputUri ??
    (await vscode.window.showInputBox({
      title: `${title}: ${jobName} — output`,
      prompt: 'Where each input object\'s answers are written, as <object>.out',
      value: defaultOutputUri(inputUri, jobName),
      validateInput: (value) => (/^s3:\/\/[^/]+\/.*$/.test(value) ? undefined : 'An S3 prefix: s3://bucket/prefix/'),
    }));
  if (!outputUri) return undefined;
  const contentType = given.contentType ?? (await vscode.window.showQuickPick(CONTENT_TYPES, { title: `${title}: ${jobName} — content type of the input` }));
  if (!contentType) return undefined;
  const splitType =
    given.splitType ??
    (
      await vscode.window.showQuickPick(
        SPLIT_TYPES.map((type) => ({ label: type, description: type === 'Line' ? 'one request per line (JSON Lines, CSV)' : type === 'None' ? 'one request per object' : undefined, type })),
        { title: `${title}: ${jobName} — split type` },
      )
    )?.type;
  if (!splitType) return undefined;
  const instanceType = given.instanceType ?? (await pickInstanceType({ title: `${title}: ${jobName} — instance type`, types: TRANSFORM_INSTANCE_TYPES, region }));
  if (!instanceType) return undefined;
  const instanceCount =
    given.instanceCount ??
    (await vscode.window
      .showInputBox({ title: `${title}: ${jobName} — instances`, value: '1', validateInput: (value) => (/^[1-9]\d*$/.test(value) ? undefined : 'A whole number, 1 or more.') })
      .then((value) => (value === undefined ? undefined : Number(value))));
  if (instanceCount === undefined) return undefined;

  // A version is made into a model for the job first, which runs as a role.
  let model: () => Promise<string>;
  if ('modelName' in source) {
    model = async () => source.modelName;
  } else {
    const role = given.executionRoleArn ?? (await pickExecutionRole(workbench, { title: `${title}: ${jobName}`, purpose: 'to read the model and the data' }));
    if (!role) return undefined;
    const { version } = source;
    model = () => modelForVersion(sageMaker, version.arn, version.label, role, new Date());
  }

  const modelName = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Starting batch transform ${jobName}` }, async () => {
    const name = await model();
    await createTransformJob(sageMaker, transformRequest({ jobName, modelName: name, inputUri, outputUri, contentType, splitType: splitType as SplitType, instanceType, instanceCount }));
    return name;
  });
  if (!modelName) return undefined;
  workbench.transformJobs.refresh();
  void vscode.commands.executeCommand('sagemaker.transformJobs.focus');
  void vscode.window.showInformationMessage(`Started batch transform ${jobName} of ${what}: its answers go to ${outputUri}.`);
  return jobName;
}

/** A registered version, or a SageMaker model. */
async function askSource(workbench: Pick<Workbench, 'connection'>, title: string): Promise<Source | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'A registered model version', source: 'version' as const },
      { label: 'A SageMaker model', source: 'model' as const },
    ],
    { title, placeHolder: 'What transforms the data' },
  );
  if (!picked) return undefined;
  if (picked.source === 'version') {
    const version = await pickModelVersion(workbench, { title });
    return version && { version: { arn: version.arn, label: versionLabel(version) } };
  }
  const modelName = await pickResource({
    title,
    placeholder: 'A SageMaker model (or type its name)',
    load: async () => {
      const { ListModelsCommand } = await loadSdk();
      const models = await (await workbench.connection.clients.sageMaker()).send(new ListModelsCommand({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 100 }));
      return (models.Models ?? []).map((model) => ({ label: model.ModelName!, description: model.CreationTime && relativeTime(model.CreationTime), resource: model.ModelName! }));
    },
    typed: (name) => name,
    validate: nameProblem,
    nothingListed: `No models in ${workbench.connection.settings.region}.`,
  });
  return modelName === undefined ? undefined : { modelName };
}
