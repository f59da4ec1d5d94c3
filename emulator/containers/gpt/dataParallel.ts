// Data parallelism over worker threads. The step's batch is cut into a fixed number of shards of
// `sequencesPerShard` sequences; each thread owns a fixed, contiguous range of shards and writes each
// shard's gradient into that shard's own slot of a SharedArrayBuffer. The parameters, the batch and the
// slots are shared, never copied. Because a shard's gradient does not depend on which thread computed
// it, and the slots are summed in shard order afterwards (gradientReduction.ts), the weights do not
// depend on the number of threads.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ShardResults } from './gradientReduction';
import { ParameterLayout, type ModelConfig } from './parameters';

export interface DataParallelOptions {
  config: ModelConfig;
  threads: number;
  /** Shards this process computes per step; its batch holds shards × sequencesPerShard sequences. */
  shards: number;
  sequencesPerShard: number;
  /** Room for this many sequences in one `evaluate` call. */
  maxEvaluationSequences: number;
}

/** What a worker is given once, at start. */
export interface WorkerSetup {
  config: ModelConfig;
  sequencesPerShard: number;
  firstShard: number;
  endShard: number;
  parameters: SharedArrayBuffer;
  gradients: SharedArrayBuffer;
  batch: SharedArrayBuffer;
  evaluation: SharedArrayBuffer;
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
    const parameters = new SharedArrayBuffer(layout.size * 4);
    const gradients = new SharedArrayBuffer(shards * layout.size * 4);
    const batch = new SharedArrayBuffer(shards * sequencesPerShard * window * 4);
    const evaluation = new SharedArrayBuffer(Math.max(1, maxEvaluationSequences * window) * 4);
    this.parameters = new Float32Array(parameters);
    this.batch = new Int32Array(batch);
    this.evaluationTokens = new Int32Array(evaluation);
    this.shardGradients = Array.from({ length: shards }, (_, shard) => new Float32Array(gradients, shard * layout.size * 4, layout.size));
    for (const [firstShard, endShard] of splitEvenly(shards, threads)) {
      const setup: WorkerSetup = { config, sequencesPerShard, firstShard, endShard, parameters, gradients, batch, evaluation };
      const worker = new Worker(path.join(__dirname, 'dataParallelWorker.js'), { workerData: setup });
      worker.on('error', (error) => (this.failure ??= error));
      worker.on('exit', (code) => (this.failure ??= new Error(`a training worker exited with code ${code}`)));
      this.workers.push(worker);
    }
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

/** [start, end) ranges cutting 0…count into `parts` contiguous ranges whose sizes differ by at most one. */
export function splitEvenly(count: number, parts: number): Array<[number, number]> {
  return Array.from({ length: parts }, (_, part) => [Math.floor((part * count) / parts), Math.floor(((part + 1) * count) / parts)]);
}
