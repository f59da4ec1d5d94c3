// "SageMaker: New Training Job Spec" — writes a `<name>.training.json|yaml` through quick picks: the
// image (the emulator's built-in GPT and the images it maps first, then any image typed), the name,
// instance type and count, managed spot, a `train` (and optional `validation`) channel picked from
// S3 as in the Datasets view, the output path, a checkpoint location, hyperparameters. The file is
// the CreateTrainingJob request itself; it opens with its Launch lens.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BUILTIN_GPT_IMAGE } from '../../pipeline/deploy';
import { freeName } from '../../pipeline/names';
import { askNewName } from '../../pickers/askNewName';
import type { SpecFormat } from '../../pipeline/specs/specDocument';
import { BUILTIN_GPT_HYPERPARAMETERS, defaultCheckpointUri, formatHyperParameters, newTrainingSpec, parseHyperParameters, specText, type NewTrainingSpec } from '../../pipeline/specs/trainingSpecs';
import { describeTrainingJob, listTrainingJobs, trainingJobNameHolder } from '../../pipeline/trainingJobs';
import { pickS3Location, s3UriOf } from '../../pickers/pickS3Location';
import type { Workbench } from '../../workbench';

const EMULATOR_ROLE = 'arn:aws:iam::000000000000:role/SageMakerExecutionRole';

/** Training instance types offered first; any other can be typed. */
export const TRAINING_INSTANCE_TYPES = [
  'ml.m5.xlarge',
  'ml.m5.2xlarge',
  'ml.g5.xlarge',
  'ml.g5.2xlarge',
  'ml.g5.12xlarge',
  'ml.g5.48xlarge',
  'ml.p4d.24xlarge',
  'ml.p5.48xlarge',
  'ml.trn1.32xlarge',
];

/** What the prompts ask; a test or another command may give any of it. */
export type NewSpecChoices = Partial<NewTrainingSpec> & { format?: SpecFormat; folder?: vscode.Uri };

/** One quick pick whose items can be taken, or whose typed text is taken as the answer. */
async function pickOrType(title: string, items: vscode.QuickPickItem[], placeholder: string, validate?: (value: string) => string | undefined): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick();
  quickPick.title = title;
  quickPick.placeholder = placeholder;
  quickPick.items = items;
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      quickPick.dispose();
    };
    quickPick.onDidChangeValue((value) => {
      const problem = value && validate ? validate(value) : undefined;
      quickPick.title = problem ? `${title} — ${problem}` : title;
    });
    quickPick.onDidAccept(() => {
      const typed = quickPick.value.trim();
      const [selected] = quickPick.selectedItems;
      const value = selected && (!typed || selected.label.includes(typed)) ? selected.label : typed;
      if (!value || validate?.(value)) return;
      finish(value);
    });
    quickPick.onDidHide(() => finish(undefined));
    quickPick.show();
  });
}

/** The images the emulator can run (its built-in ones and the user's map), GPT first; none on AWS. */
async function emulatorImages(workbench: Workbench): Promise<string[]> {
  if (workbench.connection.settings.mode !== 'emulator') return [];
  try {
    const response = await fetch(`${workbench.connection.settings.endpoint}/_emulator/images`, { signal: AbortSignal.timeout(2000) });
    const { images } = (await response.json()) as { images?: string[] };
    return images ?? [];
  } catch {
    return [BUILTIN_GPT_IMAGE.split(':')[0]];
  }
}

/** Writes the spec; returns its file. */
export async function newTrainingJobSpec(workbench: Workbench, given: NewSpecChoices = {}): Promise<vscode.Uri | undefined> {
  const { connection } = workbench;
  const sageMaker = await connection.clients.sageMaker();
  const onEmulator = connection.settings.mode === 'emulator';
  const title = 'New Training Job Spec';

  const image =
    given.image ??
    (await pickOrType(
      `${title}: image`,
      (await emulatorImages(workbench)).map((name) => ({
        label: name === BUILTIN_GPT_IMAGE.split(':')[0] ? BUILTIN_GPT_IMAGE : name,
        description: name === BUILTIN_GPT_IMAGE.split(':')[0] ? 'the emulator\'s built-in GPT: trains on the train channel, checkpoints, serves' : 'mapped by the emulator',
      })),
      'The training image: pick one, or type an image URI (e.g. an ECR image)',
    ));
  if (!image) return undefined;
  const builtin = image.split(':')[0] === BUILTIN_GPT_IMAGE.split(':')[0];

  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const name =
    given.name ??
    (await askNewName({
      title: `${title}: job name`,
      prompt: 'Training job names are used once per account and region',
      value: `${builtin ? 'tiny-gpt' : 'training'}-${stamp}`,
      holder: (candidate) => trainingJobNameHolder(sageMaker, candidate),
      region: connection.settings.region,
    }));
  if (!name) return undefined;

  const instanceType = given.instanceType ?? (await pickOrType(`${title}: instance type`, TRAINING_INSTANCE_TYPES.map((label) => ({ label })), 'Pick or type an instance type', (value) => (/^ml\.[a-z0-9]+\.[a-z0-9]+$/.test(value) ? undefined : 'An instance type such as ml.g5.2xlarge')));
  if (!instanceType) return undefined;
  const countText =
    given.instanceCount?.toString() ??
    (await vscode.window.showInputBox({
      title: `${title}: instance count`,
      prompt: 'Instances (hosts algo-1 … algo-N) to train on, data-parallel',
      value: '1',
      validateInput: (value) => (/^[1-9]\d{0,2}$/.test(value) ? undefined : 'A whole number, 1 or more'),
    }));
  if (!countText) return undefined;

  const spot =
    given.spot ??
    (await vscode.window.showQuickPick([{ label: 'On-demand', spot: false }, { label: 'Managed spot', description: 'up to 90% cheaper; may be interrupted and resumed from checkpoints', spot: true }], { title: `${title}: capacity` }))?.spot;
  if (spot === undefined) return undefined;

  const train = given.train ?? (await pickS3Location(connection, { title: `${title}: the train channel (an S3 folder of training data)` }).then((location) => location && s3UriOf(location)));
  if (!train) return undefined;
  const bucket = train.replace(/^s3:\/\/([^/]+).*$/, '$1');
  let validation = given.validation;
  if (given.validation === undefined && !('validation' in given)) {
    const choice = await vscode.window.showQuickPick([{ label: 'No validation channel' }, { label: 'Pick a validation folder…', pick: true }], { title: `${title}: validation channel` });
    if (!choice) return undefined;
    if ('pick' in choice) {
      const location = await pickS3Location(connection, { title: `${title}: the validation channel` });
      if (!location) return undefined;
      validation = s3UriOf(location);
    }
  }

  const outputPath =
    given.outputPath ??
    (await vscode.window.showInputBox({ title: `${title}: output path`, prompt: 'Where SageMaker writes the model (model.tar.gz)', value: `s3://${bucket}/models/`, validateInput: s3UriProblem }));
  if (!outputPath) return undefined;
  const checkpointUri =
    given.checkpointUri ??
    (await vscode.window.showInputBox({
      title: `${title}: checkpoint location`,
      prompt: 'SageMaker syncs /opt/ml/checkpoints here, so the job can be resumed from any checkpoint (empty: none)',
      value: defaultCheckpointUri(bucket, name),
      validateInput: (value) => (value === '' ? undefined : s3UriProblem(value)),
    }));
  if (checkpointUri === undefined) return undefined;

  const hyperText =
    given.hyperParameters !== undefined
      ? undefined
      : await vscode.window.showInputBox({
          title: `${title}: hyperparameters`,
          prompt: 'name=value pairs, separated by commas (values are passed as strings)',
          value: builtin ? formatHyperParameters(BUILTIN_GPT_HYPERPARAMETERS) : '',
          validateInput: (value) => (parseHyperParameters(value) ? undefined : 'name=value pairs separated by commas'),
        });
  if (given.hyperParameters === undefined && hyperText === undefined) return undefined;
  const hyperParameters = given.hyperParameters ?? parseHyperParameters(hyperText ?? '') ?? {};

  const roleArn = given.roleArn ?? (onEmulator ? EMULATOR_ROLE : await askRole(workbench));
  if (!roleArn) return undefined;
  const format = given.format ?? ((await vscode.window.showQuickPick([{ label: 'YAML', format: 'yaml' as const }, { label: 'JSON', format: 'json' as const }], { title: `${title}: file format` }))?.format);
  if (!format) return undefined;

  const spec = newTrainingSpec({ name, image, roleArn, instanceType, instanceCount: Number(countText), spot, train, validation, outputPath, checkpointUri: checkpointUri || undefined, hyperParameters, maxRuntimeSeconds: 86_400 });
  const folder = given.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `${name}.training.${format}`;
  let uri: vscode.Uri;
  if (folder) {
    uri = vscode.Uri.joinPath(folder, await freeFileName(folder.fsPath, name, format));
    await fs.writeFile(uri.fsPath, specText(spec, format));
  } else {
    uri = vscode.Uri.file(path.join(os.homedir(), fileName)).with({ scheme: 'untitled' });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), specText(spec, format));
    await vscode.workspace.applyEdit(edit);
  }
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return uri;
}

function s3UriProblem(value: string): string | undefined {
  return /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(value) ? undefined : 'An S3 URI: s3://bucket/prefix/';
}

/** `<name>.training.<ext>`, or `<name>-2.training.<ext>` … if that file exists. */
async function freeFileName(folder: string, name: string, format: SpecFormat): Promise<string> {
  const exists = (candidate: string) => fs.access(path.join(folder, `${candidate}.training.${format}`)).then(() => true, () => false);
  return `${await freeName(name, exists)}.training.${format}`;
}

/** On AWS: the role of the newest training job, as a default. */
async function askRole(workbench: Workbench): Promise<string | undefined> {
  const sageMaker = await workbench.connection.clients.sageMaker();
  const [newest] = (await listTrainingJobs(sageMaker, undefined, 1).catch(() => ({ jobs: [] }))).jobs;
  const value = newest ? (await describeTrainingJob(sageMaker, newest.name).catch(() => undefined))?.RoleArn : undefined;
  return vscode.window.showInputBox({
    title: 'New Training Job Spec: execution role',
    prompt: 'The IAM role SageMaker assumes to read the data, run the image and write the model',
    value: value ?? '',
    validateInput: (text) => (/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(text) ? undefined : 'An IAM role ARN: arn:aws:iam::<account>:role/<name>'),
  });
}
