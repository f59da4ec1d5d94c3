// The WebAssembly SIMD backend: one shared WebAssembly memory per process holds the weights, the
// gradients, the optimizer state and every activation (laid out by Arena, a bump allocator, so that the
// kernels get plain addresses and nothing is copied in or out per step); worker threads attach to the
// same memory. SimdKernels runs the kernels of simd/assembly/kernels.ts over float32 views into it.
import type { Kernels, TensorBackend } from './backend';
import type { FloatArray } from './kernels';
import type { AttentionShape } from './layers';
import type { ModelConfig } from './parameters';
import { KERNELS_WASM_BASE64 } from '../simd/kernelsWasm';

/** The exports of simd/assembly/kernels.ts; every tensor argument is a byte address. */
interface KernelExports {
  pack(packed: number, b: number, innerStride: number, columnStride: number, k: number, n: number): void;
  multiplyPacked(out: number, a: number, rowStride: number, innerStride: number, packed: number, m: number, k: number, n: number): void;
  /** Register-resident multiplies and adds only: 48 floating-point operations per iteration (a benchmark's ceiling). */
  peakMultiplyAdd(iterations: number, factor: number): number;
  addColumnSums(out: number, source: number, rows: number, n: number): void;
  addInto(target: number, addend: number, count: number): void;
  scale(values: number, count: number, factor: number): void;
  sumOfSquares(values: number, count: number): number;
  geluForward(out: number, input: number, count: number): void;
  geluBackward(dInput: number, dOut: number, input: number, count: number): void;
  layerNormForward(out: number, mean: number, inverseDeviation: number, input: number, weight: number, bias: number, rows: number, width: number): void;
  layerNormBackward(dInput: number, dWeight: number, dBias: number, dOut: number, input: number, mean: number, inverseDeviation: number, weight: number, rows: number, width: number): void;
  attentionForward(out: number, probabilities: number, qkv: number, sequences: number, length: number, heads: number, width: number, firstQuery: number): void;
  attentionBackward(dQkv: number, dOut: number, probabilities: number, qkv: number, sequences: number, length: number, heads: number, width: number, scratch: number): void;
  cachedAttention(out: number, cache: number, slots: number, positions: number, rows: number, heads: number, width: number, context: number, scratch: number): void;
  crossEntropy(logits: number, targets: number, rows: number, vocabSize: number, dLogits: number, gradientScale: number): number;
  adamW(
    parameters: number, gradient: number, firstMoment: number, secondMoment: number, count: number,
    learningRate: number, beta1: number, beta2: number, epsilon: number, firstCorrection: number, secondCorrection: number,
  ): void;
}

const PAGE_BYTES = 65536;
/** The module's own constants (its data segments) sit in the first page; tensors start above. */
const RESERVED_BYTES = PAGE_BYTES;
/** Tensors start on 16-byte boundaries (one SIMD vector). */
const ALIGNMENT = 16;
const PANEL = 8;

const MAX_PAGES = 65536;

function pagesFor(bytes: number): number {
  const pages = Math.ceil(bytes / PAGE_BYTES);
  if (pages > MAX_PAGES) {
    throw new RangeError(`the model needs ${bytes} bytes of WebAssembly memory, more than its 4 GiB`);
  }
  return pages;
}

let compiledModule: WebAssembly.Module | undefined;

function kernelModule(): WebAssembly.Module {
  compiledModule ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  return compiledModule;
}

/** A shared WebAssembly memory with the kernels instantiated over it. */
export class WasmMemory {
  readonly exports: KernelExports;
  /**
   * The memory's current buffer, kept because asking WebAssembly.Memory for it is a call into the
   * engine (a shared memory's may have grown elsewhere); only `ensure` grows the memory.
   */
  buffer: ArrayBuffer | SharedArrayBuffer;

  private constructor(readonly memory: WebAssembly.Memory) {
    this.exports = new WebAssembly.Instance(kernelModule(), { env: { memory } }).exports as unknown as KernelExports;
    this.buffer = memory.buffer;
  }

  /**
   * A memory with room for `bytes` bytes of tensors (allocated by an Arena from `WasmMemory.start`);
   * `growable`: it may grow later, up to WebAssembly's 4 GiB (an Arena grows it as it needs).
   */
  static create(bytes: number, growable = false): WasmMemory {
    const pages = pagesFor(RESERVED_BYTES + bytes);
    return new WasmMemory(new WebAssembly.Memory({ initial: pages, maximum: growable ? MAX_PAGES : pages, shared: true }));
  }

  /** Grows the memory to at least `bytes` bytes in all. Views made before stay valid but are of the old buffer object. */
  ensure(bytes: number): void {
    const pages = pagesFor(bytes) - this.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) {
      this.memory.grow(pages);
      this.buffer = this.memory.buffer;
    }
  }

  /** Instantiates the kernels over a memory made by another thread. */
  static attach(memory: WebAssembly.Memory): WasmMemory {
    return new WasmMemory(memory);
  }

  static readonly start = RESERVED_BYTES;
}

/** Hands out aligned, consecutive regions of a byte range; `WasmMemory` undefined only counts (for sizing). */
export class Arena {
  private next: number;

  constructor(readonly memory: WasmMemory | undefined, start = WasmMemory.start, private readonly end = Number.POSITIVE_INFINITY) {
    this.next = start;
  }

  /** Bytes handed out so far (from the start given). */
  get used(): number {
    return this.next;
  }

  floats(count: number): Float32Array {
    const at = this.take(count * 4);
    return this.memory ? new Float32Array(this.memory.buffer, at, count) : new Float32Array(0);
  }

  ints(count: number): Int32Array {
    const at = this.take(count * 4);
    return this.memory ? new Int32Array(this.memory.buffer, at, count) : new Int32Array(0);
  }

  private take(bytes: number): number {
    const at = this.next;
    this.next = Math.ceil((at + bytes) / ALIGNMENT) * ALIGNMENT;
    if (this.next > this.end) {
      throw new RangeError(`the WebAssembly memory region is full (${this.end} bytes)`);
    }
    this.memory?.ensure(this.next);
    return at;
  }
}

/** Floats of scratch a SimdKernels needs for products of `maxRows` rows of a model: packed panels, and attention weights (two rows of them when cached rows run in pairs). */
export function simdScratchFloats(config: ModelConfig, maxRows: number): number {
  const { width, vocabSize, context } = config;
  const panelled = (n: number): number => Math.ceil(n / PANEL) * PANEL;
  // (k, n) of every packed B: forward weights, backward weights, backward inputs.
  const packs: Array<[number, number]> = [
    [width, 3 * width], [width, width], [width, 4 * width], [4 * width, width], [width, vocabSize],
    [3 * width, width], [vocabSize, width], [maxRows, width], [maxRows, 4 * width],
  ];
  return Math.max(2 * context, ...packs.map(([k, n]) => k * panelled(n)));
}

/** A weight matrix packed once: the address of b, and of its panels. */
export interface PrepackedMatrix {
  b: number;
  panels: number;
  k: number;
  n: number;
}

/** The kernels of simd/assembly/kernels.ts over float32 tensors that live in `memory`. */
export class SimdKernels implements Kernels {
  private readonly exports: KernelExports;
  /** Weight matrices packed once (serving): address of b → its panels, for A·Bᵀ with that b. */
  private readonly prepacked = new Map<number, { panels: number; k: number; n: number }>();

  /** `scratch` (simdScratchFloats of the largest model it serves) must be in `memory` too. */
  constructor(private readonly memory: WasmMemory, private readonly scratch: Float32Array) {
    this.exports = memory.exports;
  }

  addAB(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
    this.multiply(out, a, k, 1, b, n, 1, m, k, n);
  }

  addABt(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
    const packed = this.prepacked.get(this.address(b));
    if (packed && packed.k === k && packed.n === n) {
      this.exports.multiplyPacked(this.address(out), this.address(a), k, 1, packed.panels, m, k, n);
      return;
    }
    this.multiply(out, a, k, 1, b, 1, k, m, k, n);
  }

  /**
   * Packs b [n×k] once, in memory from `arena`, for every later A·Bᵀ with it: for weights that no
   * longer change (serving), so that a pass of a few rows does not repack every weight matrix.
   */
  prepackTransposed(b: Float32Array, k: number, n: number, arena: Arena): void {
    const panels = arena.floats(Math.ceil(n / PANEL) * PANEL * k);
    this.exports.pack(panels.byteOffset, this.address(b), 1, k, k, n);
    this.prepacked.set(this.address(b), { panels: panels.byteOffset, k, n });
  }

  /** The matrices packed so far, for the kernels of another thread over the same memory (adoptPrepacked). */
  prepackedMatrices(): PrepackedMatrix[] {
    return [...this.prepacked].map(([b, { panels, k, n }]) => ({ b, panels, k, n }));
  }

  /** Uses matrices another thread's kernels packed in this memory. */
  adoptPrepacked(matrices: readonly PrepackedMatrix[]): void {
    for (const { b, panels, k, n } of matrices) {
      this.prepacked.set(b, { panels, k, n });
    }
  }

  addAtB(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
    this.multiply(out, a, 1, m, b, n, 1, m, k, n);
  }

  /** out[m×n] += A·B, A(i,p) = a[i·aRowStride + p·aInnerStride], B(p,j) = b[p·bInnerStride + j·bColumnStride]. */
  private multiply(
    out: FloatArray, a: FloatArray, aRowStride: number, aInnerStride: number,
    b: FloatArray, bInnerStride: number, bColumnStride: number, m: number, k: number, n: number,
  ): void {
    if (m === 0 || n === 0) {
      return;
    }
    if (Math.ceil(n / PANEL) * PANEL * k > this.scratch.length) {
      throw new RangeError(`a ${k}×${n} operand does not fit the kernels' scratch of ${this.scratch.length} floats`);
    }
    const packed = this.scratch.byteOffset;
    this.exports.pack(packed, this.address(b), bInnerStride, bColumnStride, k, n);
    this.exports.multiplyPacked(this.address(out), this.address(a), aRowStride, aInnerStride, packed, m, k, n);
  }

  addColumnSums(out: FloatArray, source: FloatArray, rows: number, n: number): void {
    this.exports.addColumnSums(this.address(out), this.address(source), rows, n);
  }

  addInto(target: FloatArray, addend: FloatArray, count: number): void {
    this.exports.addInto(this.address(target), this.address(addend), count);
  }

  scale(values: FloatArray, count: number, factor: number): void {
    this.exports.scale(this.address(values), count, factor);
  }

  sumOfSquares(values: FloatArray, count: number): number {
    return this.exports.sumOfSquares(this.address(values), count);
  }

  layerNormForward(out: FloatArray, mean: FloatArray, inverseDeviation: FloatArray, input: FloatArray, weight: FloatArray, bias: FloatArray, rows: number, width: number): void {
    this.exports.layerNormForward(this.address(out), this.address(mean), this.address(inverseDeviation), this.address(input), this.address(weight), this.address(bias), rows, width);
  }

  layerNormBackward(
    dInput: FloatArray, dWeight: FloatArray, dBias: FloatArray, dOut: FloatArray, input: FloatArray,
    mean: FloatArray, inverseDeviation: FloatArray, weight: FloatArray, rows: number, width: number,
  ): void {
    this.exports.layerNormBackward(
      this.address(dInput), this.address(dWeight), this.address(dBias), this.address(dOut), this.address(input),
      this.address(mean), this.address(inverseDeviation), this.address(weight), rows, width,
    );
  }

  geluForward(out: FloatArray, input: FloatArray, count: number): void {
    this.exports.geluForward(this.address(out), this.address(input), count);
  }

  geluBackward(dInput: FloatArray, dOut: FloatArray, input: FloatArray, count: number): void {
    this.exports.geluBackward(this.address(dInput), this.address(dOut), this.address(input), count);
  }

  attentionForward(out: FloatArray, probabilities: FloatArray, qkv: FloatArray, shape: AttentionShape): void {
    const { sequences, length, heads, width, firstQuery } = shape;
    this.exports.attentionForward(this.address(out), this.address(probabilities), this.address(qkv), sequences, length, heads, width, firstQuery);
  }

  attentionBackward(dQkv: FloatArray, dOut: FloatArray, probabilities: FloatArray, qkv: FloatArray, shape: AttentionShape): void {
    const { sequences, length, heads, width, firstQuery } = shape;
    if (firstQuery !== 0) {
      throw new RangeError('attention backward needs every position as a query');
    }
    this.requireScratch(length);
    this.exports.attentionBackward(this.address(dQkv), this.address(dOut), this.address(probabilities), this.address(qkv), sequences, length, heads, width, this.scratch.byteOffset);
  }

  cachedAttention(out: FloatArray, cache: FloatArray, slots: Int32Array, positions: Int32Array, rows: number, heads: number, width: number, context: number): void {
    this.requireScratch(2 * context);
    this.exports.cachedAttention(this.address(out), this.address(cache), this.address(slots), this.address(positions), rows, heads, width, context, this.scratch.byteOffset);
  }

  crossEntropy(logits: FloatArray, targets: Int32Array, rows: number, vocabSize: number, dLogits?: FloatArray, gradientScale = 1): number {
    return this.exports.crossEntropy(this.address(logits), this.address(targets), rows, vocabSize, dLogits ? this.address(dLogits) : 0, gradientScale);
  }

  adamW(
    parameters: Float32Array, gradient: Float32Array, firstMoment: Float32Array, secondMoment: Float32Array,
    learningRate: number, beta1: number, beta2: number, epsilon: number, firstCorrection: number, secondCorrection: number,
  ): void {
    this.exports.adamW(
      this.address(parameters), this.address(gradient), this.address(firstMoment), this.address(secondMoment), parameters.length,
      learningRate, beta1, beta2, epsilon, firstCorrection, secondCorrection,
    );
  }

  private requireScratch(floats: number): void {
    if (floats > this.scratch.length) {
      throw new RangeError(`${floats} attention weights do not fit the kernels' scratch of ${this.scratch.length} floats`);
    }
  }

  /**
   * The byte address of a tensor, which must be a view into this memory. (A view made before the
   * memory grew is of an older buffer object over the same memory: any shared buffer it fits is taken.)
   */
  private address(array: FloatArray | Int32Array): number {
    const buffer = array.buffer;
    const inMemory = buffer === this.memory.buffer
      || (buffer instanceof SharedArrayBuffer && array.byteOffset + array.byteLength <= this.memory.buffer.byteLength && buffer.byteLength <= this.memory.buffer.byteLength);
    if (!inMemory || array instanceof Float64Array) {
      throw new TypeError('the SIMD kernels take float32 tensors in their WebAssembly memory');
    }
    return array.byteOffset;
  }
}

/** A backend whose tensors are allocated from `arena` in `memory`, with kernels using `scratch`. */
export function simdBackend(memory: WasmMemory, arena: Arena, scratch: Float32Array): TensorBackend & { kernels: SimdKernels } {
  const kernels = new SimdKernels(memory, scratch);
  return { kernels, floats: (count) => arena.floats(count), ints: (count) => arena.ints(count) };
}
