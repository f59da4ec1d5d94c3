// AdamW (Loshchilov & Hutter: weight decay decoupled from the adaptive step) and clipping by the global
// gradient norm. Both run over the flat parameter array in index order, so that they are deterministic.
// In JavaScript (the reference) or, given VectorKernels and moments in their memory, in WebAssembly SIMD.
import { isDecayed, type ParameterLayout } from './model/parameters';

/** The SIMD kernels the optimizer runs on (SimdKernels); the arrays must live in their memory. */
export interface VectorKernels {
  scale(values: Float32Array, count: number, factor: number): void;
  sumOfSquares(values: Float32Array, count: number): number;
  adamW(
    parameters: Float32Array, gradient: Float32Array, firstMoment: Float32Array, secondMoment: Float32Array,
    learningRate: number, beta1: number, beta2: number, epsilon: number, firstCorrection: number, secondCorrection: number,
  ): void;
}

/** Where AdamW keeps its moments and what it computes with, when not plain JavaScript arrays. */
export interface OptimizerStorage {
  firstMoment: Float32Array;
  secondMoment: Float32Array;
  kernels: VectorKernels;
}

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export const DEFAULT_ADAMW: AdamWOptions = { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1 };

export class AdamW {
  /** Running mean of gradients, laid out like the parameters. */
  readonly firstMoment: Float32Array;
  /** Running mean of squared gradients, laid out like the parameters. */
  readonly secondMoment: Float32Array;
  /** [start, end) index ranges of the parameters that are decayed. */
  private readonly decayedRanges: Array<[number, number]>;
  private readonly kernels: VectorKernels | undefined;

  constructor(layout: ParameterLayout, private readonly options: AdamWOptions = DEFAULT_ADAMW, storage?: OptimizerStorage) {
    this.firstMoment = storage?.firstMoment ?? new Float32Array(layout.size);
    this.secondMoment = storage?.secondMoment ?? new Float32Array(layout.size);
    this.kernels = storage?.kernels;
    this.decayedRanges = layout.tensors.filter((tensor) => isDecayed(tensor.role)).map(({ offset, size }) => [offset, offset + size]);
  }

  /** Applies update number `step` (1 for the first, for bias correction) with the given learning rate. */
  update(parameters: Float32Array, gradient: Float32Array, learningRate: number, step: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const decay = 1 - learningRate * weightDecay;
    const m = this.firstMoment;
    const v = this.secondMoment;
    const firstCorrection = 1 / (1 - beta1 ** step);
    const secondCorrection = 1 / (1 - beta2 ** step);
    if (this.kernels) {
      for (const [start, end] of this.decayedRanges) {
        this.kernels.scale(parameters.subarray(start, end), end - start, decay);
      }
      this.kernels.adamW(parameters, gradient, m, v, learningRate, beta1, beta2, epsilon, firstCorrection, secondCorrection);
      return;
    }
    for (const [start, end] of this.decayedRanges) {
      for (let i = start; i < end; i++) {
        parameters[i] *= decay;
      }
    }
    for (let i = 0; i < parameters.length; i++) {
      const g = gradient[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      parameters[i] -= (learningRate * m[i] * firstCorrection) / (Math.sqrt(v[i] * secondCorrection) + epsilon);
    }
  }
}

/** Scales `gradient` so that its L2 norm is at most maxNorm; returns the norm before clipping. */
export function clipGradientNorm(gradient: Float32Array, maxNorm: number, kernels?: VectorKernels): number {
  let squares = 0;
  if (kernels) {
    squares = kernels.sumOfSquares(gradient, gradient.length);
  } else {
    for (let i = 0; i < gradient.length; i++) {
      squares += gradient[i] * gradient[i];
    }
  }
  const norm = Math.sqrt(squares);
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    if (kernels) {
      kernels.scale(gradient, gradient.length, scale);
    } else {
      for (let i = 0; i < gradient.length; i++) {
        gradient[i] *= scale;
      }
    }
  }
  return norm;
}
