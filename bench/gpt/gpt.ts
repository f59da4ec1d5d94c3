// `node out/bench/gpt.js`: the built-in GPT's figures, each against a baseline measured in the same
// run, in interleaved rounds (these machines are noisy and shared): the SIMD matmul kernels against the
// JavaScript ones; training tokens/s on the SIMD kernels against the JavaScript-kernel trainer, and
// the 2-thread speed-up against what two busy threads get from this machine; generation through the
// model server — one stream against the JavaScript-kernel server, eight concurrent streams against
// one, and the prefill of a 512-token prompt against one stream's generation.
import { mkdtempSync, rmSync } from 'node:fs';
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { saveModel } from '../../emulator/containers/gpt/modelFiles';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../../emulator/containers/gpt/model/parameters';
import { Random } from '../../emulator/containers/gpt/model/random';
import { createModelServer } from '../../emulator/containers/gpt/server';
import { BytePairTokenizer } from '../../emulator/containers/gpt/tokenizer';
import { BENCH_MODEL, MatmulTimer, printTable, ratioRow, trainingRig, type MatmulLayout, type Row } from './gptRigs';
import { median } from '../stats';

const rows: Row[] = [];
const ROUNDS = 5;

function matmulRows(): void {
  // A linear layer of the benchmark model over one shard (one sequence of 128 rows), in its three layouts.
  const [m, k, n] = [128, 128, 512];
  const timer = new MatmulTimer(k * n);
  const layouts: MatmulLayout[] = ['A·B', 'A·Bᵀ', 'Aᵀ·B'];
  const simd = new Map<MatmulLayout, number[]>(layouts.map((layout) => [layout, []]));
  const javascript = new Map<MatmulLayout, number[]>(layouts.map((layout) => [layout, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const layout of layouts) {
      simd.get(layout)!.push(timer.gigaflops(false, layout, m, k, n, 200));
      javascript.get(layout)!.push(timer.gigaflops(true, layout, m, k, n, 200));
    }
  }
  for (const layout of layouts) {
    rows.push(ratioRow(`matmul ${layout} ${m}×${k}×${n}, 1 thread, SIMD`, simd.get(layout)!, javascript.get(layout)!, 'GFLOP/s', 'JavaScript kernels', 4, 1));
  }
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

async function trainingRows(): Promise<void> {
  const simdOne = await trainingRig(1);
  const simdTwo = await trainingRig(2);
  const javascriptOne = await trainingRig(1, true);
  const figures = { simdOne: [] as number[], simdTwo: [] as number[], javascriptOne: [] as number[], speedUp: [] as number[], capacity: [] as number[] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const one = await simdOne.tokensPerSecond(2);
      const two = await simdTwo.tokensPerSecond(2);
      figures.simdOne.push(one);
      figures.simdTwo.push(two);
      figures.speedUp.push(two / one);
      figures.javascriptOne.push(await javascriptOne.tokensPerSecond(1));
      figures.capacity.push((await busyLoopThroughput(2)) / (await busyLoopThroughput(1)));
    }
  } finally {
    await Promise.all([simdOne.close(), simdTwo.close(), javascriptOne.close()]);
  }
  const model = 'width 128, 4 layers, 4 heads, context 128, vocab 512, batch 8';
  rows.push(ratioRow(`training tokens/s, ${model}, 1 thread, SIMD`, figures.simdOne, figures.javascriptOne, 'tokens/s', 'JavaScript kernels', 3));
  const speedUp = median(figures.speedUp);
  const capacity = median(figures.capacity);
  rows.push({
    figure: 'training speed-up, 2 threads vs 1 (SIMD), divided by the machine\'s 2-way capacity',
    measured: `${median(figures.simdTwo).toFixed(0)} tokens/s = ×${speedUp.toFixed(2)}`,
    baseline: `2 busy threads vs 1: ×${capacity.toFixed(2)}`,
    ratio: (speedUp / capacity).toFixed(2),
    target: `reported (others load the machine)`,
  });
}

interface Generation {
  tokens: number;
  seconds: number;
}

/** One TGI request (not streamed), with its generated token count and its time. */
async function generate(url: string, inputs: string, maxNewTokens: number, seed: number): Promise<Generation> {
  const started = performance.now();
  const response = await fetch(`${url}/invocations`, {
    method: 'POST',
    body: JSON.stringify({ inputs, parameters: { max_new_tokens: maxNewTokens, seed, do_sample: true, details: true } }),
  });
  const [answer] = await response.json() as Array<{ details: { generated_tokens: number } }>;
  return { tokens: answer.details.generated_tokens, seconds: (performance.now() - started) / 1000 };
}

/** Tokens/s summed over `streams` concurrent requests (a stream ends early if the model draws <|endoftext|>). */
async function tokensPerSecond(url: string, streams: number, maxNewTokens: number): Promise<number> {
  const started = performance.now();
  const runs = await Promise.all(Array.from({ length: streams }, (_, stream) => generate(url, 'Once upon a time', maxNewTokens, stream)));
  return runs.reduce((sum, run) => sum + run.tokens, 0) / ((performance.now() - started) / 1000);
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (let attempt = 0; (await fetch(`${url}/ping`)).status !== 200; attempt++) {
    if (attempt > 3000) {
      throw new Error('the model server did not load its model');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return url;
}

async function generationRows(): Promise<void> {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-gpt-'));
  const tokenizer = BytePairTokenizer.train([Buffer.from('Once upon a time there was a tiny model.\n'.repeat(100))], BENCH_MODEL.vocabSize);
  // The benchmark model with a context of 512, so that a 512-token prompt fits whole.
  const config: ModelConfig = { ...BENCH_MODEL, vocabSize: BENCH_MODEL.vocabSize, context: 512 };
  const layout = new ParameterLayout(config);
  const parameters = new Float32Array(layout.size);
  initializeParameters(layout, parameters, Random.fromSeed(1));
  await saveModel(directory, { config, tokenizer, parameters });
  // A prompt of 512 tokens exactly: tokens (bytes) the tokenizer has not merged.
  const longPrompt = tokenizer.decodeText(Array.from({ length: 512 }, (_, i) => 0x30 + (i % 10)));
  if (tokenizer.encodeText(longPrompt).length !== 512) {
    throw new Error(`the long prompt is ${tokenizer.encodeText(longPrompt).length} tokens, not 512`);
  }
  const simdServer = createModelServer({ modelDirectory: directory, maxConcurrentRequests: 16 });
  const javascriptServer = createModelServer({ modelDirectory: directory, maxConcurrentRequests: 16, javascriptKernels: true });
  try {
    const [simd, javascript] = [await listen(simdServer), await listen(javascriptServer)];
    await tokensPerSecond(simd, 1, 16); // warm-up
    await tokensPerSecond(javascript, 1, 16);
    const figures = { one: [] as number[], eight: [] as number[], javascript: [] as number[], prefill: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      figures.one.push(await tokensPerSecond(simd, 1, 100));
      figures.eight.push(await tokensPerSecond(simd, 8, 100));
      figures.javascript.push(await tokensPerSecond(javascript, 1, 30));
      // Time to the first token of a 512-token prompt (prompt tokens/s), less one token's generation.
      const first = await generate(simd, longPrompt, 1, round);
      figures.prefill.push(512 / Math.max(1e-6, first.seconds - 1 / median(figures.one)));
    }
    rows.push(ratioRow('generation, 1 stream, SIMD server (HTTP, TGI)', figures.one, figures.javascript, 'tokens/s', 'JavaScript-kernel server', 3));
    rows.push(ratioRow('generation, 8 concurrent streams, summed (continuous batching)', figures.eight, figures.one, 'tokens/s', '1 stream', 4));
    rows.push(ratioRow('prefill of a 512-token prompt (prompt tokens/s to the first token)', figures.prefill, figures.one, 'tokens/s', '1 stream generating', 10));
  } finally {
    simdServer.close();
    javascriptServer.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  matmulRows();
  await trainingRows();
  await generationRows();
  printTable(rows);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
