// What the GPT benchmarks share (bench/gpt.ts, bench/gptVsTorch.ts): the benchmark model, a training
// rig that runs the trainer's own step (data-parallel gradients, fixed-order sum, clipping, AdamW), a
// matmul timer for either set of kernels, the kernels' measured ceiling (register-resident
// multiply-adds) and a timer of single serving passes, and the table the figures are printed in.
import { performance } from 'node:perf_hooks';
import { prepackWeights } from '../../emulator/containers/gpt/batcher';
import { DataParallelWorkers } from '../../emulator/containers/gpt/dataParallel';
import { LocalGradientReducer } from '../../emulator/containers/gpt/gradientReduction';
import type { Kernels } from '../../emulator/containers/gpt/model/backend';
import { referenceKernels } from '../../emulator/containers/gpt/model/layers';
import { GptModel } from '../../emulator/containers/gpt/model/model';
import { AdamW, clipGradientNorm } from '../../emulator/containers/gpt/optimizer';
import { initializeParameters, ParameterLayout, type ModelConfig, type ModelWeights } from '../../emulator/containers/gpt/model/parameters';
import { Random } from '../../emulator/containers/gpt/model/random';
import { Arena, simdBackend, simdScratchFloats, SimdKernels, WasmMemory } from '../../emulator/containers/gpt/model/simdKernels';
import { median } from '../stats';

/** The model of the comparison: vocab 512, 4 layers, 4 heads, width 128, context 128. */
export const BENCH_MODEL: ModelConfig = { vocabSize: 512, layers: 4, heads: 4, width: 128, context: 128 };
export const BENCH_BATCH = 8;

export interface TrainingRig {
  /** Training tokens/s over `steps` steps. */
  tokensPerSecond(steps: number): Promise<number>;
  close(): Promise<void>;
}

/** Workers, reducer and optimizer for the benchmark model (random tokens, one sequence per shard), warmed up by one step. */
export async function trainingRig(threads: number, javascriptKernels = false, config = BENCH_MODEL, batchSize = BENCH_BATCH): Promise<TrainingRig> {
  const layout = new ParameterLayout(config);
  const workers = new DataParallelWorkers({ config, threads, shards: batchSize, sequencesPerShard: 1, maxEvaluationSequences: 0, javascriptKernels });
  initializeParameters(layout, workers.parameters, Random.fromSeed(1));
  const random = Random.fromSeed(2);
  workers.batch.forEach((_, i) => (workers.batch[i] = random.nextInt(config.vocabSize)));
  const reducer = new LocalGradientReducer(workers.gradient, workers.kernels);
  const optimizer = new AdamW(layout, undefined, workers.optimizerStorage);
  let stepCount = 0;
  const step = async (): Promise<void> => {
    const { gradient } = await reducer.reduce({ ...await workers.computeGradients(1 / (batchSize * config.context)), stopRequested: false });
    clipGradientNorm(gradient, 1, workers.kernels);
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

export type MatmulLayout = 'A·B' | 'A·Bᵀ' | 'Aᵀ·B';

/** Times out += A·B products of one layout with the SIMD kernels or the JavaScript ones. */
export class MatmulTimer {
  private readonly arena: Arena;
  private readonly simd: SimdKernels;
  private readonly operands = new Map<string, { a: Float32Array; b: Float32Array; out: Float32Array }>();

  constructor(largestFloats: number) {
    this.arena = new Arena(WasmMemory.create(0, true));
    this.simd = new SimdKernels(this.arena.memory!, this.arena.floats(largestFloats));
  }

  /** GFLOP/s over repetitions filling about `milliseconds`. */
  gigaflops(javascript: boolean, layout: MatmulLayout, m: number, k: number, n: number, milliseconds: number): number {
    const kernels: Kernels = javascript ? referenceKernels : this.simd;
    const { a, b, out } = this.operandsOf(m, k, n);
    const run = layout === 'A·B' ? kernels.addAB : layout === 'A·Bᵀ' ? kernels.addABt : kernels.addAtB;
    run.call(kernels, out, a, b, m, k, n);
    let repetitions = 0;
    const started = performance.now();
    let elapsed = 0;
    do {
      run.call(kernels, out, a, b, m, k, n);
      repetitions++;
      elapsed = performance.now() - started;
    } while (elapsed < milliseconds);
    return (2 * m * k * n * repetitions) / (elapsed * 1e6);
  }

  private operandsOf(m: number, k: number, n: number): { a: Float32Array; b: Float32Array; out: Float32Array } {
    const key = `${m}×${k}×${n}`;
    let operands = this.operands.get(key);
    if (!operands) {
      const random = Random.fromSeed(1);
      const a = this.arena.floats(m * k);
      const b = this.arena.floats(k * n);
      a.forEach((_, i) => (a[i] = random.nextFloat()));
      b.forEach((_, i) => (b[i] = random.nextFloat()));
      operands = { a, b, out: this.arena.floats(m * n) };
      this.operands.set(key, operands);
    }
    return operands;
  }
}

/** A figure measured over rounds: its median, and its spread. */
export function summary(values: readonly number[], digits = 0): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${median(values).toFixed(digits)} (${sorted[0].toFixed(digits)}–${sorted.at(-1)!.toFixed(digits)})`;
}

export interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
}

/** A row comparing medians: ratio = measured / baseline, checked against `atLeast`. */
export function ratioRow(figure: string, measured: number[], baseline: number[], unit: string, baselineName: string, atLeast: number, digits = 0): Row {
  const ratio = median(measured) / median(baseline);
  return {
    figure,
    measured: `${summary(measured, digits)} ${unit}`,
    baseline: `${baselineName} ${summary(baseline, digits)} ${unit}`,
    ratio: ratio.toFixed(2),
    target: `≥ ${atLeast} ${ratio >= atLeast ? '✔' : '✘'}`,
  };
}

export function printTable(rows: readonly Row[]): void {
  const columns: Array<keyof Row> = ['figure', 'measured', 'baseline', 'ratio', 'target'];
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) {
    console.log(line(columns.map((column) => row[column])));
  }
  console.log('\nFigures: median (min–max) over interleaved rounds; the ratio is of the medians.');
}

const peakExports = WasmMemory.create(0).exports;

/** GFLOP/s of `iterations` rounds of the SIMD kernels' register-resident multiply-add loop: this thread's ceiling for any kernel. */
export function peakGigaflops(iterations: number): number {
  const started = performance.now();
  peakExports.peakMultiplyAdd(iterations, 1);
  return (48 * iterations) / ((performance.now() - started) * 1e6);
}

/** A pass of the serving model: rows of KV-cache slots at positions, and the rows whose logits are asked for. */
export interface ServingPass {
  rows: Array<{ slot: number; position: number }>;
  logitRows: number[];
}

/** The serving model as the batcher sets it up (SIMD kernels, weights packed once), for timing single passes. */
export class ServingPassTimer {
  private readonly model: GptModel;
  private readonly weights: ModelWeights;

  constructor(private readonly config: ModelConfig, slots: number, maxRows: number) {
    const layout = new ParameterLayout(config);
    const arena = new Arena(WasmMemory.create(0, true));
    const parameters = arena.floats(layout.size);
    initializeParameters(layout, parameters, Random.fromSeed(1));
    const backend = simdBackend(arena.memory!, arena, arena.floats(simdScratchFloats(config, maxRows)));
    this.model = new GptModel(layout, { sequences: slots, rows: maxRows }, backend);
    this.weights = layout.views(parameters);
    prepackWeights(backend.kernels, this.weights, config, arena);
  }

  /**
   * Floating-point operations of a pass as the model runs it: the matrix products (12·width² multiply-adds
   * a layer a row) and attention, except that in the last layer only the rows whose logits are asked
   * for go past the qkv projection (3·width² a row); and the head's for those rows.
   */
  flops({ rows, logitRows }: ServingPass): number {
    const { width, layers, vocabSize } = this.config;
    const attentionOf = (position: number): number => 4 * (position + 1) * width;
    const attention = rows.reduce((sum, { position }) => sum + attentionOf(position), 0);
    const fullRow = 2 * 12 * width * width;
    const qkvRow = 2 * 3 * width * width;
    const lastLayer = rows.length * qkvRow + logitRows.reduce((sum, row) => sum + fullRow - qkvRow + attentionOf(rows[row].position), 0);
    return (layers - 1) * (rows.length * fullRow + attention) + lastLayer + logitRows.length * 2 * width * vocabSize;
  }

  /** Seconds taken by `count` passes (the cache positions before each row hold what earlier passes left). */
  secondsFor(pass: ServingPass, count: number): number {
    pass.rows.forEach(({ slot, position }, row) => this.model.setRow(row, row % this.config.vocabSize, position, slot));
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      this.model.forwardCached(this.weights, pass.rows.length, pass.logitRows);
    }
    return (performance.now() - started) / 1000;
  }
}
