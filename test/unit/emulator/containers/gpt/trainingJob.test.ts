// Unit tests of training job contract.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Random } from '../../../../../emulator/containers/gpt/model/random';
import { loadModel } from '../../../../../emulator/containers/gpt/modelFiles';
import { ParameterLayout } from '../../../../../emulator/containers/gpt/model/parameters';
import { parseHyperparameters, readTrainingJobSettings } from '../../../../../emulator/containers/gpt/trainingJob';

const CLI = require.resolve('../../../../../emulator/containers/gpt/trainCli');

/** Loopback addresses on ports that were free a moment ago. */
async function loopbackAddresses(count: number): Promise<string[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => resolve(server));
  })));
  const addresses = servers.map((server) => `127.0.0.1:${(server.address() as net.AddressInfo).port}`);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return addresses;
}

function temporaryDirectory(): string {
  return mkdtempSync(path.join(tmpdir(), 'gpt-job-'));
}

/** A training channel directory with one small text file. */
function makeChannel(): string {
  const directory = temporaryDirectory();
  const random = Random.fromSeed(4);
  const words = ['one', 'two', 'three', 'four', 'five', 'and', 'then'];
  const lines = Array.from({ length: 2000 }, () => Array.from({ length: 4 + random.nextInt(5) }, () => words[random.nextInt(words.length)]).join(' '));
  writeFileSync(path.join(directory, 'train.txt'), lines.join('\n') + '\n');
  return directory;
}

const channel = makeChannel();

// SageMaker hands hyperparameters over as strings.
const hyperparameters = {
  vocab_size: '270', layers: '1', heads: '2', width: '16', context: '16', steps: '40', batch_size: '4', micro_batch_size: '2',
  warmup_steps: '2', learning_rate: '0.01', validation_interval: '10', validation_sequences: '4', eval_interval: '10',
  tokenizer_sample_bytes: '20000', checkpoint_interval: '3', keep_checkpoints: '2', log_interval: '1', threads: '2',
};

interface JobRun {
  modelDirectory: string;
  checkpointDirectory: string;
  outputDirectory: string;
}

function jobDirectories(): JobRun {
  const root = temporaryDirectory();
  return { modelDirectory: path.join(root, 'model'), checkpointDirectory: path.join(root, 'checkpoints'), outputDirectory: path.join(root, 'output') };
}

interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
}

/** Runs the CLI; `onLine` may kill it. Resolves with the exit code or signal and the stdout lines. */
function runCli(
  run: JobRun,
  hps: Record<string, string>,
  onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void,
  environment: Record<string, string> = {},
): Promise<CliExit> {
  const child = spawn(process.execPath, [CLI], {
    env: {
      PATH: process.env.PATH, SM_HPS: JSON.stringify(hps), SM_CHANNEL_TRAIN: channel, SM_MODEL_DIR: run.modelDirectory,
      SM_CHECKPOINT_DIR: run.checkpointDirectory, SM_OUTPUT_DIR: run.outputDirectory, ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      onLine?.(line, (signal) => child.kill(signal));
    }
  });
  child.stderr.resume();
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, lines })));
}

describe('training job contract', () => {
  it('parses SageMaker string hyperparameters and refuses unknown or malformed ones', () => {
    const parsed = parseHyperparameters({ ...hyperparameters, learning_rate: '"0.002"', sagemaker_region: '"us-east-1"' });
    assert.equal(parsed.vocabSize, 270);
    assert.equal(parsed.microBatchSize, 2);
    assert.equal(parsed.learningRate, 0.002);
    assert.throws(() => parseHyperparameters({ vocab_sise: '300' }), /unknown hyperparameter "vocab_sise"/);
    assert.throws(() => parseHyperparameters({ layers: '2.5' }), /layers must be a non-negative integer/);
    assert.throws(() => parseHyperparameters({ learning_rate: 'fast' }), /learning_rate must be a non-negative number/);
    assert.equal(parseHyperparameters({}).threads, availableParallelism(), 'a thread per CPU by default');
  });

  it('reads SM_HPS before hyperparameters.json, and checkpoint_dir before SM_CHECKPOINT_DIR', async () => {
    const configDirectory = temporaryDirectory();
    writeFileSync(path.join(configDirectory, 'hyperparameters.json'), JSON.stringify({ layers: '3', checkpoint_dir: '"/data/checkpoints"' }));
    const fromFile = await readTrainingJobSettings({ SM_INPUT_CONFIG_DIR: configDirectory, SM_CHECKPOINT_DIR: '/elsewhere', SM_CHANNEL_TRAIN: '/in', SM_MODEL_DIR: '/out' });
    assert.equal(fromFile.hyperparameters.layers, 3);
    assert.equal(fromFile.checkpointDirectory, '/data/checkpoints');
    assert.equal(fromFile.trainChannel, '/in');
    assert.equal(fromFile.modelDirectory, '/out');
    const fromEnvironment = await readTrainingJobSettings({ SM_HPS: '{"layers":"5"}', SM_INPUT_CONFIG_DIR: configDirectory, SM_CHECKPOINT_DIR: '/elsewhere' });
    assert.equal(fromEnvironment.hyperparameters.layers, 5);
    assert.equal(fromEnvironment.checkpointDirectory, '/elsewhere');
    const defaults = await readTrainingJobSettings({ SM_INPUT_CONFIG_DIR: temporaryDirectory() });
    assert.equal(defaults.checkpointDirectory, '/opt/ml/checkpoints');
    assert.equal(defaults.trainChannel, '/opt/ml/input/data/train');
  });

  it('trains from the channel, logs metrics and writes the model directory', async () => {
    const run = jobDirectories();
    const { code, lines } = await runCli(run, { ...hyperparameters, steps: '10' });
    assert.equal(code, 0);
    assert.ok(lines.some((line) => /^step=10 loss=[\d.]+ val_loss=[\d.]+ lr=\S+ grad_norm=[\d.]+ tokens_per_sec=\d+$/.test(line)), lines.join('\n'));
    assert.deepEqual(readdirSync(run.modelDirectory).sort(), ['config.json', 'model.safetensors', 'tokenizer.json']);
    const model = await loadModel(run.modelDirectory);
    assert.deepEqual({ ...model.config, vocabSize: 0 }, { vocabSize: 0, layers: 1, heads: 2, width: 16, context: 16 });
    assert.equal(model.config.vocabSize, model.tokenizer.vocabSize);
    assert.ok(model.config.vocabSize > 256 && model.config.vocabSize <= 270);
    assert.equal(model.parameters.length, new ParameterLayout(model.config).size);
  });

  it('is bitwise identical after a kill -9 and a restart, and stops cleanly on SIGTERM', async () => {
    const uninterrupted = jobDirectories();
    assert.equal((await runCli(uninterrupted, hyperparameters)).code, 0);

    const interrupted = jobDirectories();
    const killed = await runCli(interrupted, hyperparameters, (line, kill) => line.startsWith('step=7 ') && kill('SIGKILL'));
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(!existsSync(interrupted.modelDirectory), 'the run was killed before it finished');
    const restarted = await runCli(interrupted, hyperparameters);
    assert.equal(restarted.code, 0);
    assert.ok(restarted.lines.some((line) => /^resumed from the checkpoint of step [3-9]$/.test(line)), restarted.lines.join('\n'));
    const weights = (run: JobRun): Buffer => readFileSync(path.join(run.modelDirectory, 'model.safetensors'));
    assert.ok(weights(interrupted).equals(weights(uninterrupted)), 'the restarted run differs');

    const stopped = jobDirectories();
    const terminated = await runCli(stopped, hyperparameters, (line, kill) => line.startsWith('step=4 ') && kill('SIGTERM'));
    assert.equal(terminated.code, 0);
    const finalStep = Number(/^saved the model of step (\d+)/.exec(terminated.lines.at(-1)!)?.[1]);
    assert.ok(finalStep >= 4 && finalStep < 40, terminated.lines.at(-1));
    assert.ok(readdirSync(stopped.checkpointDirectory).includes(`checkpoint-${String(finalStep).padStart(8, '0')}.safetensors`), 'a checkpoint at the stop');
  });

  it('resumes a stopped 2-host job to bitwise the weights of the uninterrupted one', async () => {
    // As the runtime starts the hosts of a job: one process each, SM_HOSTS, and a loopback address each.
    const twoHosts = { ...hyperparameters, threads: '1' };
    const runHosts = async (runs: JobRun[], onLine?: (line: string, stopAll: () => void) => void): Promise<CliExit[]> => {
      const addresses = await loopbackAddresses(2);
      const kills: Array<(signal: NodeJS.Signals) => void> = [];
      const stopAll = () => kills.forEach((kill) => kill('SIGTERM')); // StopTrainingJob: SIGTERM to every host
      return Promise.all(runs.map((run, rank) => runCli(run, twoHosts, (line, kill) => {
        kills[rank] = kill;
        if (rank === 0) onLine?.(line, stopAll);
      }, { SM_HOSTS: '["algo-1","algo-2"]', SM_CURRENT_HOST: `algo-${rank + 1}`, SM_EMULATOR_HOST_ADDRESSES: JSON.stringify(addresses) })));
    };
    const weights = (run: JobRun): Buffer => readFileSync(path.join(run.modelDirectory, 'model.safetensors'));

    const uninterrupted = [jobDirectories(), jobDirectories()];
    assert.deepEqual((await runHosts(uninterrupted)).map(({ code }) => code), [0, 0]);
    assert.ok(weights(uninterrupted[1]).equals(weights(uninterrupted[0])), 'the hosts of one run differ');

    const stopped = [jobDirectories(), jobDirectories()];
    let stopAt = 0;
    const stops = await runHosts(stopped, (line, stopAll) => {
      if (line.startsWith('step=10 ')) {
        stopAt = 10;
        stopAll();
      }
    });
    assert.deepEqual(stops.map(({ code }) => code), [0, 0]);
    const stoppedSteps = stops.map(({ lines }) => Number(/^saved the model of step (\d+)/.exec(lines.at(-1)!)?.[1]));
    assert.ok(stopAt === 10 && stoppedSteps[0] === stoppedSteps[1] && stoppedSteps[0] >= 10 && stoppedSteps[0] < 40, `stopped at ${stoppedSteps.join(', ')}`);
    // SageMaker restores the job's checkpoints (host 0's uploads) into every host's checkpoint folder.
    assert.ok(!existsSync(stopped[1].checkpointDirectory), 'only host 0 writes checkpoints');
    cpSync(stopped[0].checkpointDirectory, stopped[1].checkpointDirectory, { recursive: true });
    const resumed = await runHosts(stopped);
    assert.deepEqual(resumed.map(({ code }) => code), [0, 0]);
    for (const { lines } of resumed) {
      assert.ok(lines.includes(`resumed from the checkpoint of step ${stoppedSteps[0]}`), lines.join('\n'));
    }
    for (const run of stopped) {
      assert.ok(weights(run).equals(weights(uninterrupted[0])), 'the resumed job differs from the uninterrupted one');
    }
  });

  it('reports a failure where SageMaker looks for it', async () => {
    const run = jobDirectories();
    mkdirSync(run.outputDirectory, { recursive: true });
    const { code } = await runCli(run, { ...hyperparameters, heads: '3' });
    assert.equal(code, 1);
    assert.match(readFileSync(path.join(run.outputDirectory, 'failure'), 'utf8'), /width 16 is not a multiple of heads 3/);
  });
});
