// The Checkpoints view in the extension host: a job's checkpoints, read from its CheckpointConfig,
// grouped by step for each layout training code writes (the built-in GPT, Hugging Face Trainer,
// PyTorch Lightning, numbered files, else by time), the latest marked; Resume From This Checkpoint
// copying exactly the chosen (older) checkpoint to a fresh location for a new job; Download; Delete.
import { CreateTrainingJobCommand, DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CheckpointTreeItem } from '../../../src/trees/checkpointsTree';
import type { Workbench } from '../../../src/workbench';
import { until } from '../../../harness/waiting';
import { activateWorkbench, createDataset, labelOf, s3, sageMaker, trainingJobInput, uniqueName } from '../../../harness/extensionHostFixtures';

/** A job (it stays queued: this emulator runs none) whose checkpoint location holds `files`. */
async function jobWithCheckpoints(files: Record<string, string>): Promise<{ name: string; bucket: string }> {
  const name = uniqueName('ckpt');
  const bucket = uniqueName('ckpts');
  await createDataset(bucket, Object.fromEntries(Object.entries(files).map(([relative, body]) => [`checkpoints/${name}/${relative}`, body])));
  await sageMaker().send(new CreateTrainingJobCommand({ ...trainingJobInput(name, bucket), CheckpointConfig: { S3Uri: `s3://${bucket}/checkpoints/${name}/` } }));
  return { name, bucket };
}

/** The view's checkpoints of `name`: label, description's parts other than the time, files. */
async function shown(workbench: Workbench, name: string): Promise<{ items: CheckpointTreeItem[]; rows: string[][] }> {
  workbench.checkpoints.showJob(name);
  // The extension's classes are its bundle's: a checkpoint item is recognised by its members.
  const items = (await workbench.checkpoints.getChildren()) as CheckpointTreeItem[];
  assert.ok(items.every((item) => item.checkpoint !== undefined), items.map(labelOf).join(', '));
  const rows = await Promise.all(
    items.map(async (item) => [
      labelOf(item),
      String(item.description).replace(/ · (just now|\d+ min ago)/, ''),
      (await workbench.checkpoints.getChildren(item)).map(labelOf).join(' '),
    ]),
  );
  return { items, rows };
}

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const { Contents = [] } = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return Contents.map((object) => object.Key!.slice(prefix.length)).sort();
}

describe('Checkpoints view', () => {
  it('groups the built-in GPT\'s checkpoint files by step, the latest first and marked', async () => {
    const workbench = await activateWorkbench();
    const { name } = await jobWithCheckpoints({ 'checkpoint-00000020.safetensors': 'a'.repeat(20), 'checkpoint-00000040.safetensors': 'b'.repeat(40), 'checkpoint-00000060.safetensors': 'c'.repeat(60) });
    const { items, rows } = await shown(workbench, name);
    assert.deepEqual(rows, [
      ['step 60', '60 B · latest', 'checkpoint-00000060.safetensors'],
      ['step 40', '40 B', 'checkpoint-00000040.safetensors'],
      ['step 20', '20 B', 'checkpoint-00000020.safetensors'],
    ]);
    assert.equal((items[0].iconPath as vscode.ThemeIcon).id, 'star-full');
  });

  it('groups Hugging Face Trainer\'s checkpoint-<step>/ folders', async () => {
    const workbench = await activateWorkbench();
    const { name } = await jobWithCheckpoints({
      'checkpoint-500/model.safetensors': 'm'.repeat(100),
      'checkpoint-500/trainer_state.json': '{}',
      'checkpoint-1000/model.safetensors': 'm'.repeat(100),
      'checkpoint-1000/optimizer.pt': 'o'.repeat(200),
    });
    assert.deepEqual((await shown(workbench, name)).rows, [
      ['step 1000', '300 B · latest', 'checkpoint-1000/model.safetensors checkpoint-1000/optimizer.pt'],
      ['step 500', '102 B', 'checkpoint-500/model.safetensors checkpoint-500/trainer_state.json'],
    ]);
  });

  it('groups PyTorch Lightning\'s epoch=E-step=S.ckpt files, with their epoch', async () => {
    const workbench = await activateWorkbench();
    const { name } = await jobWithCheckpoints({ 'epoch=0-step=100.ckpt': 'x', 'epoch=1-step=200.ckpt': 'yy', 'last.ckpt': 'yy' });
    assert.deepEqual((await shown(workbench, name)).rows, [
      ['step 200 (epoch 1)', '2 B · latest', 'epoch=1-step=200.ckpt'],
      ['step 100 (epoch 0)', '1 B', 'epoch=0-step=100.ckpt'],
      ['last.ckpt', '2 B', 'last.ckpt'],
    ]);
  });

  it('groups any files with a step number, a model and its optimizer state as one checkpoint', async () => {
    const workbench = await activateWorkbench();
    const { name } = await jobWithCheckpoints({ 'model_step_900.pt': 'm', 'optim_step_900.pt': 'oo', 'model_step_1200.pt': 'm', 'optim_step_1200.pt': 'oo' });
    assert.deepEqual((await shown(workbench, name)).rows, [
      ['step 1200', '3 B · latest', 'model_step_1200.pt optim_step_1200.pt'],
      ['step 900', '3 B', 'model_step_900.pt optim_step_900.pt'],
    ]);
  });

  it('lists anything else by time, the newest marked', async () => {
    const workbench = await activateWorkbench();
    const { name, bucket } = await jobWithCheckpoints({ 'initial.pt': 'a' });
    // Written later: newer. S3 times have whole seconds, so the test waits until the clock has moved on.
    const first = (await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: `checkpoints/${name}/initial.pt` }))).LastModified!.getTime();
    await until('the next second', async () => (Math.floor(Date.now() / 1000) * 1000 > first ? true : undefined), 5000);
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: `checkpoints/${name}/best/model.bin`, Body: 'bb' }));
    assert.deepEqual((await shown(workbench, name)).rows, [
      ['best/', '2 B · latest', 'best/model.bin'],
      ['initial.pt', '1 B', 'initial.pt'],
    ]);
  });

  it('says when a job has no checkpoint location', async () => {
    const workbench = await activateWorkbench();
    const name = uniqueName('nockpt');
    await sageMaker().send(new CreateTrainingJobCommand(trainingJobInput(name)));
    workbench.checkpoints.showJob(name);
    assert.deepEqual((await workbench.checkpoints.getChildren()).map(labelOf), [`${name} saves no checkpoints to S3`]);
  });

  it('Resume From This Checkpoint copies exactly the chosen older checkpoint to a fresh location and starts a job there', async function () {
    this.timeout(30_000);
    const workbench = await activateWorkbench();
    const { name, bucket } = await jobWithCheckpoints({ 'checkpoint-500/model.safetensors': 'old', 'checkpoint-500/trainer_state.json': '{"global_step":500}', 'checkpoint-1000/model.safetensors': 'new' });
    const older = (await shown(workbench, name)).items.find((item) => labelOf(item) === 'step 500')!;
    const resumed = await vscode.commands.executeCommand<string>('sagemaker.checkpoint.resume', older, `${name}-from-500`);
    assert.equal(resumed, `${name}-from-500`);
    const job = await sageMaker().send(new DescribeTrainingJobCommand({ TrainingJobName: resumed }));
    assert.equal(job.CheckpointConfig?.S3Uri, `s3://${bucket}/checkpoints/${resumed}/`);
    assert.deepEqual(await keysUnder(bucket, `checkpoints/${resumed}/`), ['checkpoint-500/model.safetensors', 'checkpoint-500/trainer_state.json'], 'only the chosen checkpoint, in its layout');
    const { Body } = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: `checkpoints/${resumed}/checkpoint-500/trainer_state.json` }));
    assert.equal(await Body!.transformToString(), '{"global_step":500}');
    assert.deepEqual(await keysUnder(bucket, `checkpoints/${name}/`), ['checkpoint-1000/model.safetensors', 'checkpoint-500/model.safetensors', 'checkpoint-500/trainer_state.json'], 'the old location is as it was');
    assert.equal(workbench.checkpoints.job, resumed, 'the view moves to the new job');
  });

  it('Download writes a checkpoint\'s files keeping their paths; Delete removes them after confirmation', async () => {
    const workbench = await activateWorkbench();
    const { name, bucket } = await jobWithCheckpoints({ 'checkpoint-7/a.bin': 'aaa', 'checkpoint-7/sub/b.json': '{}', 'checkpoint-9/a.bin': 'x' });
    const [latest, seven] = (await shown(workbench, name)).items;
    const folder = mkdtempSync(path.join(tmpdir(), 'checkpoint-download-'));
    const written = await vscode.commands.executeCommand<string[]>('sagemaker.checkpoint.download', seven, vscode.Uri.file(folder));
    assert.deepEqual(written.map((file) => path.relative(folder, file)).sort(), ['checkpoint-7/a.bin', 'checkpoint-7/sub/b.json']);
    assert.equal(readFileSync(path.join(folder, 'checkpoint-7', 'a.bin'), 'utf8'), 'aaa');
    assert.equal(await vscode.commands.executeCommand('sagemaker.checkpoint.delete', seven, true), true);
    assert.deepEqual(await keysUnder(bucket, `checkpoints/${name}/`), ['checkpoint-9/a.bin']);
    assert.deepEqual((await shown(workbench, name)).rows.map((row) => row[0]), [labelOf(latest)]);
  });
});
