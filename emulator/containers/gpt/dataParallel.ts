// Data parallelism over worker threads. The step's batch is cut into a fixed number of shards of
// `sequencesPerShard` sequences; each thread owns a fixed, contiguous range of shards and writes each
// shard's gradient into that shard's own slot. Everything lives in one shared WebAssembly memory —
// the parameters, the batch, the slots, the summed gradient, the optimizer's moments and each thread's
// activations — so nothing is copied per step, and the SIMD kernels work on it in place. Because a
// shard's gradient does not depend on which thread computed it (nor where that thread's buffers are),
// and the slots are summed in shard order afterwards (gradientReduction.ts), the weights do not depend
// on the number of threads.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ShardResults } from './gradientReduction';
import { referenceKernels } from './model/layers';
import { GptModel } from './model/model';
import type { OptimizerStorage } from './optimizer';
import { ParameterLayout, type ModelConfig } from './model/parameters';
import { Arena, simdScratchFloats, SimdKernels, WasmMemory } from './model/simdKernels';

export interface DataParallelOptions {
  config: ModelConfig;
  threads: number;
  /** Shards this process computes per step; its batch holds shards × sequencesPerShard sequences. */
  shards: number;
  sequencesPerShard: number;
  /** Room for this many sequences in one `evaluate` call. */
  maxEvaluationSequences: number;
  /** The JavaScript reference kernels instead of WebAssembly SIMD (a benchmark's baseline). */
  javascriptKernels?: boolean;
}

/** What a worker is given once, at start: the memory, and where things are in it (byte offsets). */
export interface WorkerSetup {
  config: ModelConfig;
  sequencesPerShard: number;
  firstShard: number;
  endShard: number;
  memory: WebAssembly.Memory;
  parameters: number;
  /** Shard i's gradient slot is at gradients + i × parameter bytes. */
  gradients: number;
  batch: number;
  evaluation: number;
  /** The thread's own region [regionStart, regionEnd): its kernels' scratch, then its model's buffers. */
  regionStart: number;
  regionEnd: number;
  javascriptKernels: boolean;
}

export type WorkerRequest =
  | { kind: 'gradients'; gradientScale: number }
  | { kind: 'evaluate'; chunks: Array<[start: number, sequences: number]> };

export type WorkerReply =
  | { kind: 'gradients'; losses: number[] }
  | { kind: 'evaluate'; losses: number[] }
  | { kind: 'error'; message: string };

export class DataParallelWorkers {
  /** The parameters, shared with the workers; update them only between calls. */
  readonly parameters: Float32Array;
  /** The step's batch: fill with shards × sequencesPerShard windows of context + 1 tokens before `computeGradients`. */
  readonly batch: Int32Array;
  /** Room for the step's summed gradient, in the same memory (for the reducer to fold into). */
  readonly gradient: Float32Array;
  /** The SIMD kernels over the same memory, for the reduction and the optimizer; none with JavaScript kernels. */
  readonly kernels: SimdKernels | undefined;
  /** AdamW's moments and kernels (SIMD), in the same memory; undefined with JavaScript kernels. */
  readonly optimizerStorage: OptimizerStorage | undefined;
  private readonly shardGradients: Float32Array[];
  private readonly evaluationTokens: Int32Array;
  private readonly workers: Worker[] = [];
  /** The first crash of any worker, also between requests: every later request fails with it. */
  private failure: Error | undefined;

  constructor(private readonly options: DataParallelOptions) {
    const { config, threads, shards, sequencesPerShard, maxEvaluationSequences } = options;
    if (!Number.isInteger(threads) || threads < 1 || threads > shards) {
      throw new RangeError(`threads must be between 1 and the number of shards (${shards}), got ${threads}`);
    }
    const layout = new ParameterLayout(config);
    const window = config.context + 1;
    const threadBytes = workerRegionBytes(config, sequencesPerShard);
    // Laid out twice: once to measure, once in the memory made to that size.
    const lay = (arena: Arena) => ({
      parameters: arena.floats(layout.size),
      gradients: arena.floats(shards * layout.size),
      gradient: arena.floats(layout.size),
      firstMoment: arena.floats(layout.size),
      secondMoment: arena.floats(layout.size),
      batch: arena.ints(shards * sequencesPerShard * window),
      evaluation: arena.ints(Math.max(1, maxEvaluationSequences * window)),
      regions: Array.from({ length: threads }, () => arena.floats(threadBytes / 4)),
    });
    const measuring = new Arena(undefined);
    lay(measuring);
    const memory = WasmMemory.create(measuring.used - WasmMemory.start);
    const laid = lay(new Arena(memory));
    this.parameters = laid.parameters;
    this.batch = laid.batch;
    this.gradient = laid.gradient;
    this.evaluationTokens = laid.evaluation;
    // The element-wise kernels of the main thread need no scratch.
    this.kernels = options.javascriptKernels ? undefined : new SimdKernels(memory, new Float32Array(memory.buffer, 0, 0));
    this.optimizerStorage = this.kernels && { firstMoment: laid.firstMoment, secondMoment: laid.secondMoment, kernels: this.kernels };
    this.shardGradients = Array.from({ length: shards }, (_, shard) => laid.gradients.subarray(shard * layout.size, (shard + 1) * layout.size));
    splitEvenly(shards, threads).forEach(([firstShard, endShard], thread) => {
      const region = laid.regions[thread];
      const setup: WorkerSetup = {
        config, sequencesPerShard, firstShard, endShard, memory: memory.memory,
        parameters: laid.parameters.byteOffset, gradients: laid.gradients.byteOffset, batch: laid.batch.byteOffset, evaluation: laid.evaluation.byteOffset,
        regionStart: region.byteOffset, regionEnd: region.byteOffset + region.byteLength, javascriptKernels: options.javascriptKernels === true,
      };
      const worker = new Worker(path.join(__dirname, 'dataParallelWorker.js'), { workerData: setup });
      worker.on('error', (error) => (this.failure ??= error));
      worker.on('exit', (code) => (this.failure ??= new Error(`a training worker exited with code ${code}`)));
      this.workers.push(worker);
    });
  }

  /** Each shard's gradient of gradientScale × its summed loss, and each shard's summed loss. */
  async computeGradients(gradientScale: number): Promise<ShardResults> {
    const replies = await this.requestAll(() => ({ kind: 'gradients', gradientScale }));
    return { gradients: this.shardGradients, losses: replies.flat() };
  }

  /** Summed loss over `sequences` windows of context + 1 tokens, computed in parallel chunks. */
  async evaluate(tokens: Int32Array, sequences: number): Promise<number> {
    const { sequencesPerShard, threads } = this.options;
    this.evaluationTokens.set(tokens.subarray(0, sequences * (this.options.config.context + 1)));
    // Fixed chunks, summed in order: the figure does not depend on the number of threads either.
    const chunks: Array<[number, number]> = [];
    for (let start = 0; start < sequences; start += sequencesPerShard) {
      chunks.push([start, Math.min(sequencesPerShard, sequences - start)]);
    }
    const chunkRanges = splitEvenly(chunks.length, threads);
    const replies = await this.requestAll((thread) => ({ kind: 'evaluate', chunks: chunks.slice(...chunkRanges[thread]) }));
    return replies.flat().reduce((sum, loss) => sum + loss, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /**
   * Sends each worker its request and waits for all replies, in worker order. A failed step still
   * waits for every worker's reply, so that no late reply of it is taken for one of the next step.
   */
  private async requestAll(request: (thread: number) => WorkerRequest): Promise<number[][]> {
    if (this.failure) {
      throw this.failure;
    }
    const settled = await Promise.allSettled(this.workers.map((worker, thread) => new Promise<number[]>((resolve, reject) => {
      const onMessage = (reply: WorkerReply): void => {
        cleanUp();
        if (reply.kind === 'error') {
          reject(new Error(`worker ${thread}: ${reply.message}`));
        } else {
          resolve(reply.losses);
        }
      };
      const onError = (error: Error): void => {
        cleanUp();
        reject(error);
      };
      const onExit = (code: number): void => {
        cleanUp();
        reject(new Error(`worker ${thread} exited with code ${code}`));
      };
      const cleanUp = (): void => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage(request(thread));
    })));
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
    return settled.map((result) => (result as PromiseFulfilledResult<number[]>).value);
  }
}

/** Bytes of a worker thread's region: its kernels' scratch, then its model's buffers (as the worker allocates them). */
function workerRegionBytes(config: ModelConfig, sequencesPerShard: number): number {
  const arena = new Arena(undefined, 0);
  arena.floats(simdScratchFloats(config, sequencesPerShard * config.context));
  new GptModel(new ParameterLayout(config), sequencesPerShard, { kernels: referenceKernels, floats: (count) => arena.floats(count), ints: (count) => arena.ints(count) });
  return arena.used;
}

/** [start, end) ranges cutting 0…count into `parts` contiguous ranges whose sizes differ by at most one. */
export function splitEvenly(count: number, parts: number): Array<[number, number]> {
  return Array.from({ length: parts }, (_, part) => [Math.floor((part * count) / parts), Math.floor(((part + 1) * count) / parts)]);
}
