// Summing the gradients of the shards of a step. Floating-point addition is not associative, so the
// sum must always be formed in the same order for the weights to be bitwise reproducible: the step's
// batch is cut into a fixed number of shards — independent of how many threads or hosts compute
// them — and their gradients are folded left to right in shard order, ((0 + g0) + g1) + …
// Whoever computed a shard, and whenever it finished, the result is the same. (A float32 sum of two
// float32 values is the same bits in JavaScript and in WebAssembly SIMD, so the fold may run in either.)

export interface ShardResults {
  /** Gradient of each of this process's shards, in shard order. */
  gradients: readonly Float32Array[];
  /** Summed loss of each of this process's shards, in shard order. */
  losses: readonly number[];
}

/** What a host contributes to a step: its shards' results, and whether it was asked to stop. */
export interface StepContribution extends ShardResults {
  stopRequested: boolean;
}

export interface ReducedStep {
  /** The sum of every shard's gradient (owned by the reducer, valid until its next call). */
  gradient: Float32Array;
  lossSum: number;
  /** Whether any host was asked to stop: all then stop after the same step. */
  stopRequested: boolean;
}

/**
 * Where the shards' results are combined into the step's gradient — on one host (LocalGradientReducer)
 * or across hosts (TcpGradientReducer), always as the same fold in global shard order.
 */
export interface GradientReducer {
  reduce(local: StepContribution): Promise<ReducedStep>;
  close(): Promise<void>;
}

/** Element-wise addition in SIMD (SimdKernels), for arrays in its memory. */
export interface AddKernel {
  addInto(target: Float32Array, addend: Float32Array, count: number): void;
}

/** Continues the fold: sum += each shard's gradient, in order; returns lossSum plus each shard's loss, in order. */
export function foldShards(sum: Float32Array, lossSum: number, local: ShardResults, kernels?: AddKernel): number {
  let loss = lossSum;
  local.gradients.forEach((gradient, shard) => {
    if (kernels) {
      kernels.addInto(sum, gradient, sum.length);
    } else {
      for (let i = 0; i < sum.length; i++) {
        sum[i] += gradient[i];
      }
    }
    loss += local.losses[shard];
  });
  return loss;
}

export class LocalGradientReducer implements GradientReducer {
  private readonly gradient: Float32Array;

  /** Folds into `gradient` (or a new array of that many parameters), with `kernels` when given. */
  constructor(gradient: number | Float32Array, private readonly kernels?: AddKernel) {
    this.gradient = typeof gradient === 'number' ? new Float32Array(gradient) : gradient;
  }

  async reduce(local: StepContribution): Promise<ReducedStep> {
    this.gradient.fill(0);
    const lossSum = foldShards(this.gradient, 0, local, this.kernels);
    return { gradient: this.gradient, lossSum, stopRequested: local.stopRequested };
  }

  async close(): Promise<void> {
    // nothing to release
  }
}
