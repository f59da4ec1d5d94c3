// What a GptModel computes with and where its tensors live: a set of kernels and an allocator. Two
// backends implement it — the JavaScript reference (layers.ts, kernels.ts; any float precision, used
// by the gradient checks and as the baseline) and WebAssembly SIMD (simdKernels.ts; float32 tensors
// in one WebAssembly memory, used for training and serving).
import type { FloatArray, FloatArrayConstructor } from './kernels';

/** Shape of an attention call: `sequences` sequences of `length` positions, their rows consecutive. */
export interface AttentionShape {
  sequences: number;
  length: number;
  heads: number;
  width: number;
  /**
   * Positions before this one only provide keys and values (a KV cache while generating): outputs are
   * produced for positions firstQuery…length−1. Always 0 in training (backward requires it).
   */
  firstQuery: number;
}

export interface Kernels {
  /** out[m×n] += a[m×k] · b[k×n] */
  addAB(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void;
  /** out[m×n] += a[m×k] · bᵀ, b [n×k] */
  addABt(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void;
  /** out[m×n] += aᵀ · b, a [k×m], b [k×n] */
  addAtB(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void;
  /** out[n] += Σ over the rows of source [rows×n] (a bias gradient). */
  addColumnSums(out: FloatArray, source: FloatArray, rows: number, n: number): void;
  /** target[i] += addend[i], i < count */
  addInto(target: FloatArray, addend: FloatArray, count: number): void;
  layerNormForward(out: FloatArray, mean: FloatArray, inverseDeviation: FloatArray, input: FloatArray, weight: FloatArray, bias: FloatArray, rows: number, width: number): void;
  layerNormBackward(
    dInput: FloatArray, dWeight: FloatArray, dBias: FloatArray, dOut: FloatArray, input: FloatArray,
    mean: FloatArray, inverseDeviation: FloatArray, weight: FloatArray, rows: number, width: number,
  ): void;
  geluForward(out: FloatArray, input: FloatArray, count: number): void;
  geluBackward(dInput: FloatArray, dOut: FloatArray, input: FloatArray, count: number): void;
  attentionForward(out: FloatArray, probabilities: FloatArray, qkv: FloatArray, shape: AttentionShape): void;
  attentionBackward(dQkv: FloatArray, dOut: FloatArray, probabilities: FloatArray, qkv: FloatArray, shape: AttentionShape): void;
  /**
   * Row r is position positions[r] of the sequence in cache slot slots[r] (its qkv rows, `context` per
   * slot, already in `cache`); out gets one row [width] per row, attending over positions 0…positions[r].
   */
  cachedAttention(out: FloatArray, cache: FloatArray, slots: Int32Array, positions: Int32Array, rows: number, heads: number, width: number, context: number): void;
  /** Summed loss; with dLogits (may be logits), writes (softmax − onehot)·gradientScale. */
  crossEntropy(logits: FloatArray, targets: Int32Array, rows: number, vocabSize: number, dLogits?: FloatArray, gradientScale?: number): number;
}

/** Where the tensors of a model are allocated, and the kernels that run over them. */
export interface TensorBackend {
  readonly kernels: Kernels;
  floats(count: number): FloatArray;
  ints(count: number): Int32Array;
}

/** Ordinary typed arrays in the JavaScript heap, with the given kernels (the reference ones by default). */
export function typedArrayBackend(kernels: Kernels, precision: FloatArrayConstructor = Float32Array): TensorBackend {
  return { kernels, floats: (count) => new precision(count), ints: (count) => new Int32Array(count) };
}
