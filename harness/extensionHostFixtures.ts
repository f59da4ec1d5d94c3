// Fixture builders for the extension-host suites: SDK clients pointed at the emulator the user
// settings name, resources with unique names, and settings changes that are undone afterwards.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, SageMakerClient, type CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { failureText } from '../src/failures/classify';
import type { Workbench } from '../src/workbench';
import { BUILTIN_GPT_IMAGE, gptTrainingJobRequest } from './requests';

export const EXTENSION_ID = 'llm-workbench.sagemaker-llm-workbench';

export async function activateWorkbench(): Promise<Workbench> {
  const extension = vscode.extensions.getExtension<Workbench>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`extension ${EXTENSION_ID} is not installed`);
  }
  return extension.activate();
}

export function emulatorUrl(): string {
  return vscode.workspace.getConfiguration().get<string>('sagemaker.emulator.url')!;
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export function s3(): S3Client {
  return new S3Client({ endpoint: emulatorUrl(), region: 'us-east-1', credentials, forcePathStyle: true });
}

export function sageMaker(): SageMakerClient {
  return new SageMakerClient({ endpoint: emulatorUrl(), region: 'us-east-1', credentials });
}

/** `prefix-<time>-<4 letters>`: ends in letters, so a free name after it is `<name>-2` (an all-digit tail would be counted up instead). */
export function uniqueName(prefix: string): string {
  const letters = Array.from({ length: 4 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  return `${prefix}-${Date.now().toString(36)}-${letters}`;
}

export async function createDataset(bucket: string, objects: Record<string, string>): Promise<void> {
  const client = s3();
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [key, body] of Object.entries(objects)) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }
}

export function trainingJobInput(name: string, bucket = 'demo-output'): CreateTrainingJobCommandInput {
  return gptTrainingJobRequest(name, { output: `s3://${bucket}/output` });
}

export async function createTrainingJob(name: string): Promise<void> {
  await sageMaker().send(new CreateTrainingJobCommand(trainingJobInput(name)));
}

/**
 * What New Training Job Spec (`sagemaker.spec.new`) is given in place of its quick picks: the built-in
 * GPT on two ml.m5.xlarge instances, trained on `train` (a prefix of `bucket`) with no validation
 * channel, its models and checkpoints in `bucket`.
 */
export function gptSpecChoices(
  bucket: string,
  name: string,
  choices: { train: string; spot: boolean; hyperParameters: Record<string, string>; format: 'json' | 'yaml' },
): Record<string, unknown> {
  return {
    image: BUILTIN_GPT_IMAGE,
    name,
    instanceType: 'ml.m5.xlarge',
    instanceCount: 2,
    spot: choices.spot,
    train: `s3://${bucket}/${choices.train}`,
    validation: undefined,
    outputPath: `s3://${bucket}/models/`,
    checkpointUri: `s3://${bucket}/checkpoints/${name}/`,
    hyperParameters: choices.hyperParameters,
    format: choices.format,
  };
}

/** Sets a user setting for the duration of `body`, then restores it. */
export async function withSetting<T>(id: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const configuration = vscode.workspace.getConfiguration();
  const previous = configuration.inspect(id)?.globalValue;
  await configuration.update(id, value, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    await vscode.workspace.getConfiguration().update(id, previous, vscode.ConfigurationTarget.Global);
  }
}

export async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Label of a tree item as a plain string. */
export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/**
 * Resolves once `condition` holds (true; otherwise it says what it sees), checked every 250 ms;
 * fails after `boundMs` saying what was awaited and what was last seen.
 */
export async function until(what: string, condition: () => Promise<string | true> | string | true, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  let seen: string | true = 'nothing yet';
  for (;;) {
    seen = await condition();
    if (seen === true) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${boundMs} ms; last seen: ${seen}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The failures commands report while `body` runs, as the one error handler classifies them (no
 * notification is put on screen, so nothing waits for a click).
 */
export async function notified(workbench: Workbench, body: () => Thenable<unknown>): Promise<string[]> {
  const texts: string[] = [];
  const original = workbench.failures.notify.bind(workbench.failures);
  workbench.failures.notify = async (error, options) => {
    texts.push(failureText(workbench.failures.classify(error, options)));
    return undefined;
  };
  try {
    await body();
  } finally {
    workbench.failures.notify = original;
  }
  return texts;
}

/** The Datasets view's item of `s3://bucket/prefix/file` (the extension's own item: commands check its class). */
export async function objectItem(workbench: Workbench, url: string): Promise<vscode.TreeItem> {
  const [bucket, ...path] = url.replace(/^s3:\/\//, '').split('/');
  workbench.datasets.refresh();
  let item = (await workbench.datasets.getChildren()).find((candidate) => labelOf(candidate) === bucket);
  for (const [index, part] of path.entries()) {
    const label = index < path.length - 1 ? `${part}/` : part;
    item = (await workbench.datasets.getChildren(item)).find((candidate) => labelOf(candidate) === label);
    assert.ok(item, `${label} under ${url}`);
  }
  return item!;
}
