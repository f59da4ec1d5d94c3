// `node out/bench/gpt.js`: the built-in GPT's figures, each against a baseline measured in the same
// run (these machines are noisy and shared): matmul kernels vs a naive triple loop, training tokens/s
// on one thread, the 2-thread speed-up against what two busy threads get from this machine, and
// generation tokens/s through the model server for 1 and 8 concurrent streams.
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DataParallelWorkers } from '../emulator/containers/gpt/dataParallel';
import { LocalGradientReducer } from '../emulator/containers/gpt/gradientReduction';
import { addAB, addABt, addAtB, naiveMatmul, type FloatArray } from '../emulator/containers/gpt/kernels';
import { saveModel } from '../emulator/containers/gpt/modelFiles';
import { AdamW, clipGradientNorm } from '../emulator/containers/gpt/optimizer';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../emulator/containers/gpt/parameters';
import { Random } from '../emulator/containers/gpt/random';
import { createModelServer } from '../emulator/containers/gpt/server';
import { BytePairTokenizer } from '../emulator/containers/gpt/tokenizer';
import { median } from './stats';

interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: string;
  budget: string;
}

const rows: Row[] = [];


type Matmul = (out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number) => void;

/** GFLOP/s of `kernel` on m×k×n, over repetitions filling about `milliseconds`. */
function gigaflops(kernel: Matmul, m: number, k: number, n: number, milliseconds: number): number {
  const random = Random.fromSeed(1);
  const a = Float32Array.from({ length: m * k }, () => random.nextFloat());
  const b = Float32Array.from({ length: k * n }, () => random.nextFloat());
  const out = new Float32Array(m * n);
  kernel(out, a, b, m, k, n);
  let repetitions = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    kernel(out, a, b, m, k, n);
    repetitions++;
    elapsed = performance.now() - started;
  } while (elapsed < milliseconds);
  return (2 * m * k * n * repetitions) / (elapsed * 1e6);
}

function matmulRows(): void {
  const [m, k, n] = [512, 128, 512]; // a linear layer of the benchmark model over four sequences
  const kernels: Array<[string, Matmul]> = [['A·B', addAB], ['A·Bᵀ', addABt], ['Aᵀ·B', addAtB]];
  const naive: number[] = [];
  const measured = new Map<string, number[]>(kernels.map(([name]) => [name, []]));
  for (let round = 0; round < 3; round++) {
    naive.push(gigaflops(naiveMatmul, m, k, n, 400)); // interleaved, so that both see the same load
    for (const [name, kernel] of kernels) {
      measured.get(name)!.push(gigaflops(kernel, m, k, n, 400));
    }
  }
  const baseline = median(naive);
  for (const [name] of kernels) {
    const value = median(measured.get(name)!);
    rows.push({
      figure: `matmul ${name} ${m}×${k}×${n}, 1 core`,
      measured: `${value.toFixed(2)} GFLOP/s`,
      baseline: `naive i-j-k ${baseline.toFixed(2)} GFLOP/s`,
      ratio: (value / baseline).toFixed(2),
      budget: value / baseline >= 2 ? '≥ 2 ✔' : '≥ 2 ✘',
    });
  }
}

interface TrainingRig {
  /** Training tokens/s over `steps` steps: gradients, fixed-order sum, clipping, AdamW. */
  tokensPerSecond(steps: number): Promise<number>;
  close(): Promise<void>;
}

/** Workers, reducer and optimizer for the benchmark model, warmed up by one step. */
async function trainingRig(config: ModelConfig, threads: number, batchSize: number): Promise<TrainingRig> {
  const layout = new ParameterLayout(config);
  const workers = new DataParallelWorkers({ config, threads, shards: batchSize, sequencesPerShard: 1, maxEvaluationSequences: 0 });
  initializeParameters(layout, workers.parameters, Random.fromSeed(1));
  const random = Random.fromSeed(2);
  workers.batch.forEach((_, i) => (workers.batch[i] = random.nextInt(config.vocabSize)));
  const reducer = new LocalGradientReducer(layout.size);
  const optimizer = new AdamW(layout);
  let stepCount = 0;
  const step = async (): Promise<void> => {
    const { gradient } = await reducer.reduce({ ...await workers.computeGradients(1 / (batchSize * config.context)), stopRequested: false });
    clipGradientNorm(gradient, 1);
    optimizer.update(workers.parameters, gradient, 1e-3, ++stepCount);
  };
  await step();
  return {
    async tokensPerSecond(steps) {
      const started = performance.now();
      for (let i = 0; i < steps; i++) {
        await step();
      }
      return (steps * batchSize * config.context) / ((performance.now() - started) / 1000);
    },
    close: () => workers.close(),
  };
}

/** Iterations per second of a fixed floating-point loop in each of `threads` concurrent threads, summed. */
async function busyLoopThroughput(threads: number): Promise<number> {
  const iterations = 100_000_000;
  const source = `
    const { parentPort } = require('node:worker_threads');
    parentPort.once('message', () => {
      let x = 0.5;
      for (let i = 0; i < ${iterations}; i++) x = x * 1.0000001 + 1e-9;
      parentPort.postMessage(x);
    });`;
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true }));
  try {
    await new Promise((resolve) => setTimeout(resolve, 200)); // let them start
    const started = performance.now();
    await Promise.all(workers.map((worker) => new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('go');
    })));
    return (threads * iterations) / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

const BENCH_MODEL: ModelConfig = { vocabSize: 512, layers: 4, heads: 4, width: 128, context: 128 };
/** Interleaved rounds of one step each; the figures keep their best (a noisy neighbour only ever slows a round). */
const TRAINING_ROUNDS = 5;

async function trainingRows(): Promise<void> {
  const config = BENCH_MODEL;
  const batchSize = 8;
  const oneThread = await trainingRig(config, 1, batchSize);
  const twoThreads = await trainingRig(config, 2, batchSize);
  // Rounds interleave every measurement, and each figure keeps its best round: other processes on this
  // shared machine only ever slow a measurement down.
  const best = { one: 0, two: 0, busyOne: 0, busyTwo: 0 };
  try {
    for (let round = 0; round < TRAINING_ROUNDS; round++) {
      best.one = Math.max(best.one, await oneThread.tokensPerSecond(1));
      best.two = Math.max(best.two, await twoThreads.tokensPerSecond(1));
      best.busyOne = Math.max(best.busyOne, await busyLoopThroughput(1));
      best.busyTwo = Math.max(best.busyTwo, await busyLoopThroughput(2));
    }
  } finally {
    await Promise.all([oneThread.close(), twoThreads.close()]);
  }
  const speedUp = best.two / best.one;
  const capacity = best.busyTwo / best.busyOne;
  rows.push({
    figure: `training, width 128, 4 layers, 4 heads, context 128, vocab 512, batch ${batchSize}, 1 thread`,
    measured: `${best.one.toFixed(0)} tokens/s`,
    baseline: '',
    ratio: '',
    budget: 'reported',
  });
  rows.push({
    figure: 'training speed-up, 2 threads vs 1, divided by machine 2-way capacity',
    measured: `${best.two.toFixed(0)} tokens/s = ×${speedUp.toFixed(2)}`,
    baseline: `2 busy threads vs 1: ×${capacity.toFixed(2)}`,
    ratio: (speedUp / capacity).toFixed(2),
    budget: speedUp / capacity >= 0.9 ? '≥ 0.9 ✔' : '≥ 0.9 ✘',
  });
}

/** Tokens/s summed over `streams` concurrent TGI streaming requests to the model server. */
async function generationTokensPerSecond(url: string, streams: number, tokens: number): Promise<number> {
  const started = performance.now();
  const generated = await Promise.all(Array.from({ length: streams }, async (_, stream) => {
    const response = await fetch(`${url}/invocations`, {
      method: 'POST',
      body: JSON.stringify({ inputs: 'Once upon a time', parameters: { max_new_tokens: tokens, seed: stream, do_sample: true }, stream: true }),
    });
    // The tokens a stream really generated: it ends early if the model draws <|endoftext|>.
    const events = (await response.text()).split('\n\n').filter(Boolean);
    return (JSON.parse(events.at(-1)!.replace(/^data:/, '')) as { details: { generated_tokens: number } }).details.generated_tokens;
  }));
  return generated.reduce((sum, count) => sum + count, 0) / ((performance.now() - started) / 1000);
}

async function generationRows(): Promise<void> {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-gpt-'));
  const tokenizer = BytePairTokenizer.train([Buffer.from('Once upon a time there was a tiny model.\n'.repeat(100))], BENCH_MODEL.vocabSize);
  const config = { ...BENCH_MODEL, vocabSize: Math.max(tokenizer.vocabSize, 256) };
  const layout = new ParameterLayout(config);
  const parameters = new Float32Array(layout.size);
  initializeParameters(layout, parameters, Random.fromSeed(1));
  await saveModel(directory, { config, tokenizer, parameters });
  const server = createModelServer({ modelDirectory: directory, maxConcurrentRequests: 16 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  while ((await fetch(`${url}/ping`)).status !== 200) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  try {
    await generationTokensPerSecond(url, 1, 16); // warm-up
    const one = await generationTokensPerSecond(url, 1, 100);
    const eight = await generationTokensPerSecond(url, 8, 100);
    rows.push({
      figure: 'generation over HTTP (TGI stream), same model, 1 stream',
      measured: `${one.toFixed(0)} tokens/s`,
      baseline: '',
      ratio: '',
      budget: 'reported',
    });
    rows.push({
      figure: 'generation over HTTP (TGI stream), 8 concurrent streams, summed',
      measured: `${eight.toFixed(0)} tokens/s`,
      baseline: `1 stream ${one.toFixed(0)} tokens/s`,
      ratio: (eight / one).toFixed(2),
      budget: 'reported',
    });
  } finally {
    server.close();
  }
}

async function main(): Promise<void> {
  matmulRows();
  await trainingRows();
  await generationRows();
  const columns: Array<keyof Row> = ['figure', 'measured', 'baseline', 'ratio', 'budget'];
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) {
    console.log(line(columns.map((column) => row[column])));
  }
}

void main();
