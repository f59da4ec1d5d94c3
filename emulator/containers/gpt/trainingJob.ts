// The built-in trainer under the SageMaker training container contract: hyperparameters from SM_HPS or
// <SM_INPUT_CONFIG_DIR>/hyperparameters.json (values are strings there), data from SM_CHANNEL_TRAIN,
// checkpoints in the checkpoint_dir hyperparameter, SM_CHECKPOINT_DIR or /opt/ml/checkpoints, and the
// model written to SM_MODEL_DIR (modelFiles.ts), which SageMaker packs into model.tar.gz. A plain function, so that the job runtime can also call it in-process.
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { listChannelFiles } from './data';
import { saveModel } from './modelFiles';
import type { HostRing } from './tcpGradientReducer';
import { DEFAULT_HYPERPARAMETERS, train, type TrainedModel, type TrainingHyperparameters } from './trainer';

export interface TrainingJobSettings {
  hyperparameters: TrainingHyperparameters;
  trainChannel: string;
  modelDirectory: string;
  checkpointDirectory: string;
}

/** Hyperparameters that are not whole numbers. */
const REAL_HYPERPARAMETERS = new Set<keyof TrainingHyperparameters>(['learningRate', 'minLearningRate', 'weightDecay', 'beta1', 'beta2', 'gradientClip']);
const CHECKPOINT_DIR = 'checkpoint_dir';

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** SageMaker passes every value as a string, sometimes JSON-quoted. */
function unquote(value: unknown): string {
  const text = String(value);
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'string' ? parsed : text;
  } catch {
    return text;
  }
}

/**
 * Typed hyperparameters from their snake_case names (vocab_size, micro_batch_size, …); unknown names
 * are refused (except SageMaker's own sagemaker_*), so that a typo does not silently train the default.
 * Without `threads`, one thread per CPU.
 */
export function parseHyperparameters(raw: Record<string, unknown>): TrainingHyperparameters {
  const hyperparameters = { ...DEFAULT_HYPERPARAMETERS };
  const names = new Map((Object.keys(hyperparameters) as Array<keyof TrainingHyperparameters>).map((key) => [snakeCase(key), key]));
  for (const [name, value] of Object.entries(raw)) {
    if (name === CHECKPOINT_DIR || name.startsWith('sagemaker_')) {
      continue;
    }
    const key = names.get(name);
    if (!key) {
      throw new Error(`unknown hyperparameter "${name}"; known: ${[...names.keys(), CHECKPOINT_DIR].join(', ')}`);
    }
    const number = Number(unquote(value));
    if (!Number.isFinite(number) || (!REAL_HYPERPARAMETERS.has(key) && !Number.isInteger(number)) || number < 0) {
      throw new Error(`hyperparameter ${name} must be a non-negative ${REAL_HYPERPARAMETERS.has(key) ? 'number' : 'integer'}, got "${String(value)}"`);
    }
    hyperparameters[key] = number;
  }
  if (!('threads' in raw)) {
    hyperparameters.threads = availableParallelism(); // the trainer uses no more than the shards it has
  }
  return hyperparameters;
}

async function readRawHyperparameters(env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  let text = env.SM_HPS;
  if (text === undefined) {
    const file = path.join(env.SM_INPUT_CONFIG_DIR ?? '/opt/ml/input/config', 'hyperparameters.json');
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
      text = '{}'; // a job without hyperparameters trains with the defaults
    }
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('hyperparameters must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export async function readTrainingJobSettings(env: NodeJS.ProcessEnv): Promise<TrainingJobSettings> {
  const raw = await readRawHyperparameters(env);
  return {
    hyperparameters: parseHyperparameters(raw),
    trainChannel: env.SM_CHANNEL_TRAIN ?? '/opt/ml/input/data/train',
    modelDirectory: env.SM_MODEL_DIR ?? '/opt/ml/model',
    checkpointDirectory: raw[CHECKPOINT_DIR] !== undefined ? unquote(raw[CHECKPOINT_DIR]) : env.SM_CHECKPOINT_DIR ?? '/opt/ml/checkpoints',
  };
}

/**
 * The job's hosts from SM_HOSTS / SM_CURRENT_HOST. On SageMaker each host has its own address and
 * they share a port (MASTER_PORT); the emulator runs every host on loopback, so it names each one's
 * address in SM_EMULATOR_HOST_ADDRESSES instead.
 */
export function hostRing(env: NodeJS.ProcessEnv): HostRing | undefined {
  const hosts = JSON.parse(env.SM_HOSTS ?? '[]') as string[];
  if (hosts.length < 2) return undefined;
  const rank = hosts.indexOf(env.SM_CURRENT_HOST ?? '');
  if (rank < 0) throw new Error(`SM_CURRENT_HOST "${env.SM_CURRENT_HOST}" is not one of SM_HOSTS ${env.SM_HOSTS}`);
  const addresses = env.SM_EMULATOR_HOST_ADDRESSES
    ? (JSON.parse(env.SM_EMULATOR_HOST_ADDRESSES) as string[])
    : hosts.map((host) => `${host}:${env.MASTER_PORT ?? '29500'}`);
  return { rank, addresses };
}

export async function runTrainingJob(env: NodeJS.ProcessEnv, log: (line: string) => void, signal?: AbortSignal): Promise<TrainedModel> {
  const settings = await readTrainingJobSettings(env);
  const files = await listChannelFiles(settings.trainChannel);
  if (files.length === 0) {
    throw new Error(`the training channel ${settings.trainChannel} holds no files`);
  }
  const model = await train({
    files,
    hyperparameters: settings.hyperparameters,
    checkpointDirectory: settings.checkpointDirectory,
    log,
    signal,
    hosts: hostRing(env),
  });
  await saveModel(settings.modelDirectory, model);
  log(`saved the model of step ${model.step} to ${settings.modelDirectory}`);
  return model;
}
