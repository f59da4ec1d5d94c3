// Job spec files in the extension host: problems on their lines as typed, the Launch and Validate
// lenses, Launch (the job created, revealed and selected, its log opened; a taken name replaced by
// a free one; AWS's validation errors on the spec's lines), Validate's service checks, New Training
// Job Spec and Clone Job to Spec File writing specs that launch, a processing spec launched.
import { AddTagsCommand, CreateModelCommand, CreateTrainingJobCommand, DescribeProcessingJobCommand, DescribeTrainingJobCommand, DescribeTransformJobCommand } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LOGS_SCHEME } from '../../../src/documents/trainingJobLogs';
import { parseSpec } from '../../../src/pipeline/specs/specDocument';
import type { TrainingJobTreeItem } from '../../../src/trees/trainingJobsTree';
import { until } from '../../../harness/waiting';
import { activateWorkbench, createDataset, gptSpecChoices, labelOf, sageMaker, trainingJobInput, uniqueName } from '../../../harness/extensionHostFixtures';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace has a folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function openSpec(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceFile(name);
  await fs.writeFile(uri.fsPath, text);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

/** The document's diagnostics once `accept` holds for them (they arrive after a short debounce). */
function diagnosticsOf(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return until(what, async () => {
    const diagnostics = vscode.languages.getDiagnostics(uri);
    return accept(diagnostics) ? diagnostics : undefined;
  }, 15_000);
}

/** `line: message` of each diagnostic (1-based lines) in line order, for assertions that read like the editor. */
const lines = (diagnostics: readonly vscode.Diagnostic[]) =>
  [...diagnostics]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.message.localeCompare(b.message))
    .map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`);

function trainingSpecYaml(name: string, bucket: string, extra = ''): string {
  return `TrainingJobName: ${name}
AlgorithmSpecification:
  TrainingImage: sagemaker-emulator/builtin-gpt:latest
  TrainingInputMode: File
RoleArn: arn:aws:iam::000000000000:role/SageMakerRole
HyperParameters:
  steps: "20"
InputDataConfig:
  - ChannelName: train
    DataSource:
      S3DataSource:
        S3DataType: S3Prefix
        S3Uri: s3://${bucket}/train/
OutputDataConfig:
  S3OutputPath: s3://${bucket}/models/
ResourceConfig:
  InstanceType: ml.m5.xlarge
  InstanceCount: 2
  VolumeSizeInGB: 10
StoppingCondition:
  MaxRuntimeInSeconds: 3600
${extra}`;
}

/** Keeps accepting the input box a command shows (its proposed value) until the command is done. */
async function acceptPrompts<T>(running: Thenable<T>): Promise<T> {
  let done = false;
  const result = Promise.resolve(running).finally(() => (done = true));
  await until('the command to finish after its prompt was accepted', async () => {
    if (done) return true;
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    return undefined;
  }, 20_000);
  return result;
}

describe('Job spec files', () => {
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('reports what the schema cannot say on the right lines as the spec is typed, and offers Launch and Validate', async () => {
    await activateWorkbench();
    const document = await openSpec(
      `${uniqueName('problems')}.training.yaml`,
      trainingSpecYaml('gpt-problems', 'data', 'EnableManagedSpotTraining: true\n').replace('s3://data/train/', 'https://data.s3.amazonaws.com/train/').replace('steps: "20"', 'steps: 20'),
    );
    const diagnostics = await diagnosticsOf(document.uri, (found) => found.length >= 3, 'the spec\'s problems');
    assert.deepEqual(lines(diagnostics), [
      '7: Hyperparameter values are strings: write "20" (quoted).',
      '13: A channel\'s S3Uri must be an S3 URI, s3://bucket/prefix (not an https:// URL).',
      '20: Managed spot training needs StoppingCondition.MaxWaitTimeInSeconds: how long to wait for spot capacity plus run (at least MaxRuntimeInSeconds, 3600).',
      '22: Without CheckpointConfig, a job whose spot instance is reclaimed starts again from step 0. Add a checkpoint location (s3://…) that the script saves to /opt/ml/checkpoints.',
    ]);
    // Fixed as typed: the problem goes away.
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.replace(document.lineAt(6).range, '  steps: "20"'));
    await diagnosticsOf(document.uri, (found) => !found.some((diagnostic) => diagnostic.message.startsWith('Hyperparameter')), 'the fixed line to lose its problem');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.deepEqual(lenses.map((lens) => lens.command?.title).sort(), ['$(check) Validate', '$(rocket) Launch training job']);
  });

  it('Launch creates the job from the spec, reveals and selects it in Training Jobs and opens its log; launched again, it takes the free name proposed', async function () {
    this.timeout(60_000);
    const workbench = await activateWorkbench();
    const bucket = uniqueName('launch');
    await createDataset(bucket, { 'train/a.jsonl': '{"text":"a"}\n' });
    const name = uniqueName('gpt');
    const document = await openSpec(`${name}.training.yaml`, trainingSpecYaml(name, bucket));
    const launched = await vscode.commands.executeCommand<string>('sagemaker.spec.launch', document.uri);
    assert.equal(launched, name);
    const job = await sageMaker().send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    assert.equal(job.ResourceConfig?.InstanceCount, 2);
    assert.deepEqual(job.HyperParameters, { steps: '20' });
    // (The extension's classes are its bundle's: items are recognised by their members, not instanceof.)
    const selected = workbench.trainingJobsView.selection as Partial<TrainingJobTreeItem>[];
    assert.ok(selected.length === 1 && selected[0].job?.name === name, 'the new job is selected in Training Jobs');
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, LOGS_SCHEME, 'its log is open');
    assert.equal(workbench.checkpoints.job, name, 'the Checkpoints view follows it');

    const again = await acceptPrompts(vscode.commands.executeCommand<string>('sagemaker.spec.launch', document.uri));
    assert.equal(again, `${name}-2`);
    assert.equal((await sageMaker().send(new DescribeTrainingJobCommand({ TrainingJobName: `${name}-2` }))).TrainingJobStatus, 'InProgress');
  });

  it('puts AWS\'s own validation errors on the spec\'s lines', async () => {
    const workbench = await activateWorkbench();
    const name = uniqueName('refused');
    const document = await openSpec(`${name}.training.yaml`, trainingSpecYaml(name, 'data').replace('arn:aws:iam::000000000000:role/SageMakerRole', 'not-a-role').replace('VolumeSizeInGB: 10', 'VolumeSizeInGB: 10\n  KeepAlivePeriodInSeconds: 99999'));
    assert.equal(await vscode.commands.executeCommand('sagemaker.spec.launch', document.uri), undefined);
    const fromAws = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === 'SageMaker');
    assert.deepEqual(lines(fromAws).map((line) => line.replace(/ \(value .*$/, '').slice(0, 80)), [
      '5: SageMaker: Member must have length greater than or equal to 20',
      '5: SageMaker: Member must satisfy regular expression pattern: ^arn:aws[a-z\\-]*:i',
      '20: SageMaker: Member must have value less than or equal to 21600',
    ]);
    await assert.rejects(sageMaker().send(new DescribeTrainingJobCommand({ TrainingJobName: name })), /not found/i, 'nothing was created');
    void workbench;
  });

  it('Validate finds what only the service knows: an input with no data, a bucket that does not exist, a taken name', async () => {
    await activateWorkbench();
    const bucket = uniqueName('validate');
    await createDataset(bucket, { 'other/x': 'x' });
    const taken = uniqueName('taken');
    await sageMaker().send(new CreateTrainingJobCommand(trainingJobInput(taken)));
    const document = await openSpec(`${taken}.training.yaml`, trainingSpecYaml(taken, bucket).replace(`s3://${bucket}/models/`, 's3://no-such-bucket-here/models/'));
    const diagnostics = await vscode.commands.executeCommand<vscode.Diagnostic[]>('sagemaker.spec.validate', document.uri);
    assert.deepEqual(lines(diagnostics), [
      `1: A training job named ${taken} already exists (names are used once per account and region): Launch will propose a free name.`,
      `13: No objects under s3://${bucket}/train/: the job would have no data here.`,
      '15: The bucket no-such-bucket-here does not exist (or is not yours) in this account.',
    ]);
  });

  it('New Training Job Spec writes a spec that is valid and launches', async function () {
    this.timeout(30_000);
    await activateWorkbench();
    const bucket = uniqueName('new');
    await createDataset(bucket, { 'train/a.jsonl': '{"text":"a"}\n' });
    const name = uniqueName('fresh');
    const uri = await vscode.commands.executeCommand<vscode.Uri>(
      'sagemaker.spec.new',
      gptSpecChoices(bucket, name, { train: 'train/', spot: true, hyperParameters: { steps: '30' }, format: 'json' }),
    );
    assert.equal(path.basename(uri.fsPath), `${name}.training.json`);
    const spec = parseSpec(await fs.readFile(uri.fsPath, 'utf8'), 'json').value as { StoppingCondition: unknown; CheckpointConfig: unknown };
    assert.deepEqual(spec.StoppingCondition, { MaxRuntimeInSeconds: 86400, MaxWaitTimeInSeconds: 172800 });
    assert.deepEqual(spec.CheckpointConfig, { S3Uri: `s3://${bucket}/checkpoints/${name}/` });
    assert.equal(await vscode.commands.executeCommand('sagemaker.spec.launch', uri), name);
    const job = await sageMaker().send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    assert.equal(job.EnableManagedSpotTraining, true);
  });

  it('Clone Job to Spec File writes the job\'s request (its members only, its tags) under a free name', async () => {
    await activateWorkbench();
    const name = uniqueName('cloned');
    const input = { ...trainingJobInput(name), HyperParameters: { steps: '10' }, CheckpointConfig: { S3Uri: `s3://demo-output/checkpoints/${name}/` } };
    const { TrainingJobArn } = await sageMaker().send(new CreateTrainingJobCommand(input));
    await sageMaker().send(new AddTagsCommand({ ResourceArn: TrainingJobArn, Tags: [{ Key: 'team', Value: 'nlp' }] }));
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = await vscode.commands.executeCommand<vscode.Uri>('sagemaker.trainingJob.cloneToSpec', { job: { name } }, { format: 'yaml', folder });
    assert.equal(path.basename(uri.fsPath), `${name}-2.training.yaml`);
    const spec = parseSpec(await fs.readFile(uri.fsPath, 'utf8'), 'yaml').value as Record<string, unknown>;
    assert.equal(spec.TrainingJobName, `${name}-2`);
    assert.deepEqual(spec.Tags, [{ Key: 'team', Value: 'nlp' }]);
    assert.deepEqual(spec.HyperParameters, { steps: '10' });
    assert.deepEqual(Object.keys(spec).filter((member) => /Status|Time|Arn$|Artifacts|Transitions/.test(member) && member !== 'RoleArn'), [], 'none of the job\'s state');
    assert.equal(await vscode.commands.executeCommand('sagemaker.spec.launch', uri), `${name}-2`);
  });

  it('launches a processing spec as CreateProcessingJob', async () => {
    await activateWorkbench();
    const name = uniqueName('tokenize');
    const bucket = uniqueName('processing');
    await createDataset(bucket, { 'raw/a.txt': 'a' });
    const document = await openSpec(
      `${name}.processing.json`,
      JSON.stringify(
        {
          ProcessingJobName: name,
          RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
          AppSpecification: { ImageUri: 'sagemaker-emulator/python', ContainerEntrypoint: ['python3', '-c', 'print(1)'] },
          ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 10 } },
          ProcessingInputs: [{ InputName: 'raw', S3Input: { S3Uri: `s3://${bucket}/raw/`, LocalPath: '/opt/ml/processing/raw', S3DataType: 'S3Prefix', S3InputMode: 'File' } }],
        },
        null,
        2,
      ),
    );
    assert.equal(await vscode.commands.executeCommand('sagemaker.spec.launch', document.uri), name);
    const job = await sageMaker().send(new DescribeProcessingJobCommand({ ProcessingJobName: name }));
    assert.equal(job.ProcessingInputs?.[0].S3Input?.S3Uri, `s3://${bucket}/raw/`);
  });

  it('validates a batch transform spec against the service (a model that does not exist, on its line) and launches it as CreateTransformJob, listed in Batch Transform Jobs', async () => {
    const workbench = await activateWorkbench();
    const name = uniqueName('score');
    const bucket = uniqueName('transform');
    const model = uniqueName('echo');
    await createDataset(bucket, { 'prompts/a.jsonl': '{"inputs":"hello there"}\n' });
    const document = await openSpec(
      `${name}.transform.yaml`,
      `TransformJobName: ${name}
ModelName: ${model}
TransformInput:
  ContentType: application/jsonlines
  SplitType: Line
  DataSource:
    S3DataSource:
      S3DataType: S3Prefix
      S3Uri: s3://${bucket}/prompts/
TransformOutput:
  S3OutputPath: s3://${bucket}/answers/
  AssembleWith: Line
TransformResources:
  InstanceType: ml.m5.xlarge
  InstanceCount: 1
`,
    );
    const diagnostics = await vscode.commands.executeCommand<vscode.Diagnostic[]>('sagemaker.spec.validate', document.uri);
    assert.deepEqual(lines(diagnostics), [
      `2: There is no model named ${model} in this region: SageMaker runs a transform with an existing model (Run Batch Transform on a model version in the Models view creates one).`,
    ]);
    await sageMaker().send(
      new CreateModelCommand({
        ModelName: model,
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerExecutionRole',
        PrimaryContainer: { Image: 'sagemaker-emulator/format-echo:latest', Environment: { SM_EMULATOR_FORMAT: 'tgi' } },
      }),
    );
    assert.deepEqual(await vscode.commands.executeCommand<vscode.Diagnostic[]>('sagemaker.spec.validate', document.uri), []);
    assert.equal(await vscode.commands.executeCommand('sagemaker.spec.launch', document.uri), name);
    // This emulator runs no jobs (no slots): the request is what is checked; the serving suite runs a transform.
    const job = await sageMaker().send(new DescribeTransformJobCommand({ TransformJobName: name }));
    assert.equal(job.ModelName, model);
    assert.equal(job.TransformInput?.SplitType, 'Line');
    assert.equal(job.TransformInput?.DataSource?.S3DataSource?.S3Uri, `s3://${bucket}/prompts/`);
    assert.equal(job.TransformOutput?.S3OutputPath, `s3://${bucket}/answers/`);
    await until('the job listed in Batch Transform Jobs', async () => {
      const items = await workbench.transformJobs.getChildren();
      return items.some((item) => labelOf(item) === name) || undefined;
    }, 15_000);
  });
});
