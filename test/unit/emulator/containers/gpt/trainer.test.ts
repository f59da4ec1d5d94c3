// Unit tests of learning-rate schedule.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DataParallelWorkers } from '../../../../../emulator/containers/gpt/dataParallel';
import { AdamW, clipGradientNorm } from '../../../../../emulator/containers/gpt/optimizer';
import { ParameterLayout } from '../../../../../emulator/containers/gpt/model/parameters';
import { Random } from '../../../../../emulator/containers/gpt/model/random';
import { learningRateAt } from '../../../../../emulator/containers/gpt/schedule';
import { DEFAULT_HYPERPARAMETERS, train, type TrainingHyperparameters } from '../../../../../emulator/containers/gpt/trainer';

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function temporaryDirectory(): string {
  return mkdtempSync(path.join(tmpdir(), 'gpt-training-'));
}

/** A small corpus with structure to learn: sentences over a tiny vocabulary. */
function writeCorpus(): string {
  const random = Random.fromSeed(9);
  const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran', 'to', 'red', 'house', 'and'];
  const lines = Array.from({ length: 3000 }, () => Array.from({ length: 3 + random.nextInt(6) }, () => words[random.nextInt(words.length)]).join(' ') + '.');
  const file = path.join(temporaryDirectory(), 'corpus.txt');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const corpus = writeCorpus();

const tiny: TrainingHyperparameters = {
  ...DEFAULT_HYPERPARAMETERS,
  vocabSize: 280, layers: 2, heads: 2, width: 16, context: 16,
  steps: 12, batchSize: 4, microBatchSize: 1, learningRate: 1e-2, minLearningRate: 1e-3, warmupSteps: 3,
  validationInterval: 10, validationSequences: 8, evalInterval: 4, shuffleBuffer: 16, tokenizerSampleBytes: 20_000,
  checkpointInterval: 5, keepCheckpoints: 2, logInterval: 1, threads: 1,
};

describe('learning-rate schedule', () => {
  const schedule = { peak: 1, minimum: 0.1, warmupSteps: 10, totalSteps: 110 };

  it('warms up linearly, then decays along a cosine to the minimum', () => {
    assert.equal(learningRateAt(1, schedule), 0.1);
    assert.equal(learningRateAt(5, schedule), 0.5);
    assert.equal(learningRateAt(10, schedule), 1);
    assert.ok(Math.abs(learningRateAt(60, schedule) - 0.55) < 1e-12, 'halfway down at half the decay');
    assert.ok(Math.abs(learningRateAt(110, schedule) - 0.1) < 1e-12);
    assert.ok(Math.abs(learningRateAt(500, schedule) - 0.1) < 1e-12, 'stays at the minimum after the last step');
    for (let step = 11; step <= 110; step++) {
      assert.ok(learningRateAt(step, schedule) <= learningRateAt(step - 1, schedule));
    }
  });
});

describe('AdamW and gradient clipping', () => {
  const layout = new ParameterLayout({ vocabSize: 5, layers: 1, heads: 1, width: 4, context: 3 });

  it('clips by the global norm and reports the norm before clipping', () => {
    const gradient = Float32Array.of(3, 4);
    assert.equal(clipGradientNorm(gradient, 1), 5);
    assert.deepEqual(gradient, Float32Array.of(0.6, 0.8));
    const small = Float32Array.of(0.3, 0.4);
    assert.ok(Math.abs(clipGradientNorm(small, 1) - 0.5) < 1e-7);
    assert.deepEqual(small, Float32Array.of(0.3, 0.4));
  });

  it('takes a first step of about the learning rate against the gradient sign', () => {
    const optimizer = new AdamW(layout, { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0 });
    const parameters = new Float32Array(layout.size);
    const gradient = Float32Array.from({ length: layout.size }, (_, i) => (i % 2 === 0 ? 1e-3 : -5));
    optimizer.update(parameters, gradient, 0.01, 1);
    parameters.forEach((value, i) => assert.ok(Math.abs(value - (i % 2 === 0 ? -0.01 : 0.01)) < 1e-6, `parameter ${i}: ${value}`));
  });

  it('decays matrices and embeddings but not biases or norms', () => {
    const optimizer = new AdamW(layout, { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.5 });
    const parameters = new Float32Array(layout.size).fill(1);
    optimizer.update(parameters, new Float32Array(layout.size), 0.1, 1);
    for (const { name, offset, role } of layout.tensors) {
      const expected = role === 'bias' || role === 'normWeight' || role === 'normBias' ? 1 : Math.fround(0.95);
      assert.equal(parameters[offset], expected, name);
    }
  });
});

describe('training', () => {
  it('lowers training and validation loss on a small corpus', async () => {
    const lines: string[] = [];
    await train({ files: [corpus], hyperparameters: { ...tiny, steps: 40, evalInterval: 10 }, log: (line) => lines.push(line) });
    const losses = lines.filter((line) => line.startsWith('step=')).map((line) => Number(/ loss=([\d.]+)/.exec(line)![1]));
    const validationLosses = lines.flatMap((line) => /val_loss=([\d.]+)/.exec(line)?.[1] ?? []).map(Number);
    assert.equal(losses.length, 40);
    assert.ok(losses[0] > 5, `first loss ${losses[0]} should be near ln(vocabulary)`);
    assert.ok(losses.at(-1)! < 0.6 * losses[0], `loss went from ${losses[0]} to ${losses.at(-1)}`);
    assert.equal(validationLosses.length, 4);
    assert.ok(validationLosses.every((loss, i) => i === 0 || loss < validationLosses[i - 1]), `validation loss ${validationLosses.join(' → ')}`);
    assert.ok(validationLosses.at(-1)! < 0.6 * losses[0], `validation loss ${validationLosses.join(' → ')}`);
    assert.match(lines.find((line) => line.startsWith('step=10 '))!, /^step=10 loss=[\d.]+ val_loss=[\d.]+ lr=\S+ grad_norm=[\d.]+ tokens_per_sec=\d+$/);
  });

  it('gives bitwise-identical weights on 1 and 2 threads', async () => {
    const one = await train({ files: [corpus], hyperparameters: { ...tiny, threads: 1 }, log: () => undefined });
    const two = await train({ files: [corpus], hyperparameters: { ...tiny, threads: 2 }, log: () => undefined });
    assert.equal(one.step, tiny.steps);
    assert.ok(sameBits(one.parameters, two.parameters), '1 and 2 threads differ');
    const otherSeed = await train({ files: [corpus], hyperparameters: { ...tiny, seed: 2 }, log: () => undefined });
    assert.ok(!sameBits(one.parameters, otherSeed.parameters), 'the seed should matter');
  });

  it('resumes a stopped run bit for bit, also from an older checkpoint than the last', async () => {
    const uninterrupted = await train({ files: [corpus], hyperparameters: tiny, log: () => undefined });

    for (const discardStopCheckpoint of [false, true]) {
      const checkpointDirectory = temporaryDirectory();
      const stop = new AbortController();
      // Asked to stop after step 7, the run stops at the end of the step whose reduction sees the request: 8.
      const stopped = await train({
        files: [corpus], hyperparameters: tiny, checkpointDirectory, signal: stop.signal,
        log: (line) => line.startsWith('step=7 ') && stop.abort(),
      });
      assert.equal(stopped.step, 8);
      assert.deepEqual(readdirSync(checkpointDirectory).sort(), ['checkpoint-00000005.safetensors', 'checkpoint-00000008.safetensors']);
      if (discardStopCheckpoint) {
        // As if killed before the checkpoint on stop: the run resumes from step 5 and redoes 6 to 8.
        rmSync(path.join(checkpointDirectory, 'checkpoint-00000008.safetensors'));
      }
      const lines: string[] = [];
      const resumed = await train({ files: [corpus], hyperparameters: tiny, checkpointDirectory, log: (line) => lines.push(line) });
      assert.ok(lines.includes(`resumed from the checkpoint of step ${discardStopCheckpoint ? 5 : 8}`), lines.join('\n'));
      assert.equal(resumed.step, tiny.steps);
      assert.ok(sameBits(resumed.parameters, uninterrupted.parameters), 'resumed run differs from the uninterrupted one');
    }
  });

  it('reports a failure inside a worker thread instead of hanging', async () => {
    const workers = new DataParallelWorkers({ config: { vocabSize: 10, layers: 1, heads: 1, width: 4, context: 3 }, threads: 2, shards: 2, sequencesPerShard: 1, maxEvaluationSequences: 0 });
    try {
      workers.batch.fill(99);
      await assert.rejects(workers.computeGradients(1), /worker \d: RangeError: token out of vocabulary/);
      workers.batch.fill(1);
      const { losses } = await workers.computeGradients(1);
      assert.equal(losses.length, 2);
    } finally {
      await workers.close();
    }
  });

  it('refuses to resume a checkpoint of another model shape', async () => {
    const checkpointDirectory = temporaryDirectory();
    await train({ files: [corpus], hyperparameters: { ...tiny, steps: 2 }, checkpointDirectory, log: () => undefined });
    await assert.rejects(train({ files: [corpus], hyperparameters: { ...tiny, width: 32 }, checkpointDirectory, log: () => undefined }), /another model/);
  });
});
