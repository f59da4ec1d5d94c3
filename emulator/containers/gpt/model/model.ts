// The decoder-only transformer: token + position embeddings, pre-LayerNorm blocks (causal multi-head
// self-attention, then a GELU MLP, each added to the residual stream), a final LayerNorm and an output
// head tied to the token embedding. A GptModel owns the activation buffers of its passes, allocated by
// its backend (backend.ts: JavaScript typed arrays, or WebAssembly memory with the SIMD kernels); the
// parameters and gradients are passed in as views, so one model serves any parameter array (shared
// memory in a worker, float64 copies in gradient checks). Its per-layer qkv buffers are also the KV
// cache of generation: `sequences` cache slots of `context` positions each, which forwardCached fills
// row by row for rows of any slots at once (batched serving).
import { typedArrayBackend, type Kernels, type TensorBackend } from './backend';
import type { FloatArray, FloatArrayConstructor } from './kernels';
import { embeddingBackward, embeddingForward, referenceKernels, type AttentionShape } from './layers';
import type { ModelConfig, ModelWeights, ParameterLayout } from './parameters';

/** `sequences` windows of `length + 1` consecutive tokens: inputs are tokens 0…length−1, targets 1…length. */
export interface TokenBatch {
  tokens: Int32Array;
  sequences: number;
  length: number;
}

interface NormActivations {
  out: FloatArray;
  mean: FloatArray;
  inverseDeviation: FloatArray;
}

interface BlockActivations {
  /** The residual stream entering the block. */
  input: FloatArray;
  attentionNorm: NormActivations;
  qkv: FloatArray;
  probabilities: FloatArray;
  /** The heads' outputs, concatenated, before the output projection. */
  attention: FloatArray;
  /** The residual stream after attention, entering the MLP. */
  middle: FloatArray;
  mlpNorm: NormActivations;
  /** The MLP's hidden layer before and after GELU. */
  hidden: FloatArray;
  activated: FloatArray;
}

/** How much a model holds: KV-cache slots (sequences) and rows per pass. */
export interface ModelCapacity {
  sequences: number;
  rows: number;
}

/** A thread's share of a cached pass: rows from…to−1, and the logit rows (their index among them) logitFrom…logitTo−1. */
export interface PassShare {
  from: number;
  to: number;
  logitFrom: number;
  logitTo: number;
}

/** Runs a share of a cached pass on another thread, the rest on this one (passThreads.ts). */
export interface PassPartner {
  run(here: PassShare, there: PassShare, runHere: (share: PassShare) => void): void;
}

export class GptModel {
  readonly config: ModelConfig;
  readonly maxSequences: number;
  readonly maxRows: number;
  private readonly kernels: Kernels;
  private readonly inputs: Int32Array;
  private readonly targets: Int32Array;
  private readonly positions: Int32Array;
  private readonly slots: Int32Array;
  private readonly blocks: BlockActivations[];
  /** One pass's qkv rows before they go to their cache positions (forwardCached). */
  private readonly rowQkv: FloatArray;
  private readonly finalInput: FloatArray;
  /**
   * forwardCached's last block runs in full only for the rows whose logits are asked for: their
   * residual rows entering it, and their cache slots and positions, gathered here.
   */
  private readonly lastRows: FloatArray;
  private readonly lastSlots: Int32Array;
  private readonly lastPositions: Int32Array;
  /** The rows whose logits a cached pass asks for (where a second thread can read them). */
  private readonly logitRowList: Int32Array;
  private readonly finalNorm: NormActivations;
  private readonly logits: FloatArray;
  // Gradients of activations, reused by every block during backward.
  private readonly dResidual: FloatArray;
  private readonly dNormOut: FloatArray;
  private readonly dAttention: FloatArray;
  private readonly dQkv: FloatArray;
  private readonly dActivated: FloatArray;
  private readonly dHidden: FloatArray;

  /**
   * `capacity`: a number of sequences for training passes (rows = sequences × context, with the
   * attention weights kept for backward), or cache slots and rows per pass for serving.
   */
  constructor(layout: ParameterLayout, capacity: number | ModelCapacity, backend: FloatArrayConstructor | TensorBackend = Float32Array) {
    this.config = layout.config;
    const { width, heads, context, vocabSize } = this.config;
    const training = typeof capacity === 'number';
    this.maxSequences = training ? capacity : capacity.sequences;
    const rows = training ? capacity * context : capacity.rows;
    this.maxRows = rows;
    const tensors = typeof backend === 'function' ? typedArrayBackend(referenceKernels, backend) : backend;
    this.kernels = tensors.kernels;
    const floats = (count: number): FloatArray => tensors.floats(count);
    const norm = (): NormActivations => ({ out: floats(rows * width), mean: floats(rows), inverseDeviation: floats(rows) });
    this.inputs = tensors.ints(rows);
    this.targets = tensors.ints(rows);
    this.positions = tensors.ints(rows);
    this.slots = tensors.ints(rows);
    this.blocks = Array.from({ length: this.config.layers }, () => ({
      input: floats(rows * width),
      attentionNorm: norm(),
      qkv: floats(this.maxSequences * context * 3 * width),
      probabilities: floats(training ? this.maxSequences * heads * context * context : 0),
      attention: floats(rows * width),
      middle: floats(rows * width),
      mlpNorm: norm(),
      hidden: floats(rows * 4 * width),
      activated: floats(rows * 4 * width),
    }));
    this.rowQkv = floats(rows * 3 * width);
    this.finalInput = floats(rows * width);
    this.lastRows = floats(rows * width);
    this.lastSlots = tensors.ints(rows);
    this.lastPositions = tensors.ints(rows);
    this.logitRowList = tensors.ints(rows);
    this.finalNorm = norm();
    this.logits = floats(rows * vocabSize);
    this.dResidual = floats(training ? rows * width : 0);
    this.dNormOut = floats(training ? rows * width : 0);
    this.dAttention = floats(training ? rows * width : 0);
    this.dQkv = floats(training ? rows * 3 * width : 0);
    this.dActivated = floats(training ? rows * 4 * width : 0);
    this.dHidden = floats(training ? rows * 4 * width : 0);
  }

  /** The summed (not averaged) cross-entropy of the batch's targets. */
  loss(weights: ModelWeights, batch: TokenBatch): number {
    const rows = this.forward(weights, batch);
    return this.kernels.crossEntropy(this.logits, this.targets, rows, this.config.vocabSize);
  }

  /**
   * Generation with a KV cache, one sequence (slot 0): runs `tokens` at positions start…start+n−1,
   * whose positions 0…start−1 were run by earlier calls, and returns the logits of the last position
   * (valid until the next call).
   */
  forwardFrom(weights: ModelWeights, tokens: ArrayLike<number>, start: number): FloatArray {
    const rows = tokens.length;
    if (rows < 1 || rows > this.maxRows) {
      throw new RangeError(`${rows} tokens do not fit one pass of ${this.maxRows} rows`);
    }
    for (let r = 0; r < rows; r++) {
      this.setRow(r, tokens[r], start + r, 0);
    }
    return this.forwardCached(weights, rows, [rows - 1]);
  }

  /** Sets row r of the next forwardCached: `token` at `position` of the sequence in cache slot `slot`. */
  setRow(row: number, token: number, position: number, slot: number): void {
    const { context, vocabSize } = this.config;
    if (!(row >= 0 && row < this.maxRows)) {
      throw new RangeError(`row ${row} is outside the ${this.maxRows} rows of a pass`);
    }
    if (!(position >= 0 && position < context)) {
      throw new RangeError(`position ${position} is outside the context of ${context}`);
    }
    if (!(token >= 0 && token < vocabSize)) {
      throw new RangeError(`token ${token} is not in the vocabulary`);
    }
    if (!(slot >= 0 && slot < this.maxSequences)) {
      throw new RangeError(`cache slot ${slot} is not one of the ${this.maxSequences}`);
    }
    this.inputs[row] = token;
    this.positions[row] = position;
    this.slots[row] = slot;
  }

  /**
   * Runs rows 0…rows−1 as set by setRow — rows of any cache slots, each attending over its own slot's
   * positions up to its own, earlier positions already in the cache (a slot's rows in position order)
   * — and returns the logits [logitRows.length × vocabSize] of the rows asked for, valid until the
   * next call. A row's results do not depend on the other rows of the pass.
   *
   * The other rows (a prompt's but its last) only have to leave their keys and values in the cache:
   * in the last block they stop there, and only the rows asked for go on through attention, the MLP
   * and the head — each by the same float32 operations as in a full pass, so the logits are the same
   * bits (a sixth of a prompt chunk's work saved with 4 layers).
   */
  forwardCached(weights: ModelWeights, rows: number, logitRows: ArrayLike<number>, partner?: PassPartner): FloatArray {
    const count = logitRows.length;
    for (let i = 0; i < count; i++) {
      const row = logitRows[i];
      if (!(row >= 0 && row < rows) || (i > 0 && !(row > logitRows[i - 1]))) {
        throw new RangeError(`logit rows must be rows of the pass in increasing order, got ${Array.from(logitRows).join(', ')} of ${rows}`);
      }
      this.logitRowList[i] = row;
    }
    const split = partner ? this.splitRow(rows) : 0;
    if (partner && split > 0) {
      let logitSplit = 0;
      while (logitSplit < count && logitRows[logitSplit] < split) {
        logitSplit++;
      }
      partner.run({ from: 0, to: split, logitFrom: 0, logitTo: logitSplit }, { from: split, to: rows, logitFrom: logitSplit, logitTo: count }, (share) => this.runCachedShare(weights, share));
    } else {
      this.runCachedShare(weights, { from: 0, to: rows, logitFrom: 0, logitTo: count });
    }
    return this.logits.subarray(0, count * this.config.vocabSize);
  }

  /** Runs every stage of a cached pass for a share of its rows (whose slots no other share's rows are of). */
  runCachedShare(weights: ModelWeights, { from, to, logitFrom, logitTo }: PassShare): void {
    for (let stage = 0; stage < this.blocks.length; stage++) {
      this.runCachedStage(weights, stage, from, to);
    }
    this.runCachedStage(weights, this.blocks.length, logitFrom, logitTo);
  }

  /**
   * Where a pass's rows split in two shares that touch different cache slots, so that the two can
   * run apart from start to end (a row attends only over its own slot): the slot boundary nearest
   * the middle, or 0 when there is none (one prompt's rows).
   */
  private splitRow(rows: number): number {
    let best = 0;
    for (let r = 1; r < rows; r++) {
      if (this.slots[r] !== this.slots[r - 1] && Math.abs(2 * r - rows) < Math.abs(2 * best - rows)) {
        const before = new Set(this.slots.subarray(0, r));
        if (!this.slots.subarray(r, rows).some((slot) => before.has(slot))) {
          best = r;
        }
      }
    }
    return best;
  }

  /**
   * A cached pass runs in stages over a range of rows, each reading the keys and values the stage
   * before left in the cache. Stage 0: the rows' embeddings and the first block's keys and values.
   * Stage l: block l−1 from attention on, then block l's keys and values. The last (stage `layers`):
   * the logit rows from…to−1 (their index among them) through the rest of the last block and the head.
   * A row's work reads and writes only that row's activations and its own slot's cache.
   */
  private runCachedStage(weights: ModelWeights, stage: number, from: number, to: number): void {
    if (to <= from) {
      return;
    }
    const { width } = this.config;
    const last = this.blocks.length - 1;
    if (stage === 0) {
      embeddingForward(this.blocks[0].input.subarray(from * width), this.inputs.subarray(from), this.positions.subarray(from), to - from, width, weights.tokenEmbedding, weights.positionEmbedding);
      this.cacheKeysAndValues(weights, 0, from, to);
    } else if (stage <= last) {
      this.attendAndMlp(weights, stage - 1, from, to, this.blocks[stage - 1].input, this.slots, this.positions, this.blocks[stage].input);
      this.cacheKeysAndValues(weights, stage, from, to);
    } else {
      const input = this.blocks[last].input;
      for (let i = from; i < to; i++) {
        const row = this.logitRowList[i];
        this.lastRows.set(input.subarray(row * width, (row + 1) * width), i * width);
        this.lastSlots[i] = this.slots[row];
        this.lastPositions[i] = this.positions[row];
      }
      this.attendAndMlp(weights, last, from, to, this.lastRows, this.lastSlots, this.lastPositions, this.finalInput);
      this.head(weights, this.finalInput, from, to);
    }
  }

  /**
   * Forward and backward pass: adds d(gradientScale · summed loss)/dθ into `gradients` and returns the
   * summed loss. With gradientScale = 1/(tokens in the whole step), shard gradients simply add up.
   */
  forwardBackward(weights: ModelWeights, gradients: ModelWeights, batch: TokenBatch, gradientScale: number): number {
    const rows = this.forward(weights, batch);
    const { width, vocabSize } = this.config;
    const kernels = this.kernels;
    const loss = kernels.crossEntropy(this.logits, this.targets, rows, vocabSize, this.logits, gradientScale);
    const dLogits = this.logits;

    // Tied output head: logits = finalNorm.out · tokenEmbeddingᵀ.
    const dFinalNormOut = zeroed(this.dNormOut, rows * width);
    kernels.addAB(dFinalNormOut, dLogits, weights.tokenEmbedding, rows, vocabSize, width);
    kernels.addAtB(gradients.tokenEmbedding, dLogits, this.finalNorm.out, vocabSize, rows, width);
    const dResidual = zeroed(this.dResidual, rows * width);
    kernels.layerNormBackward(
      dResidual, gradients.finalNorm.weight, gradients.finalNorm.bias, dFinalNormOut,
      this.finalInput, this.finalNorm.mean, this.finalNorm.inverseDeviation, weights.finalNorm.weight, rows, width,
    );
    for (let layer = this.config.layers - 1; layer >= 0; layer--) {
      this.blockBackward(weights, gradients, layer, batch, rows);
    }
    embeddingBackward(dResidual, this.inputs, this.positions, rows, width, gradients.tokenEmbedding, gradients.positionEmbedding);
    return loss;
  }

  /** Runs a training batch up to the logits; returns the number of rows (token positions). */
  private forward(weights: ModelWeights, batch: TokenBatch): number {
    const rows = this.unpack(batch);
    this.runBlocks(weights, rows, this.attentionShape(batch));
    this.head(weights, this.finalInput, 0, rows);
    return rows;
  }

  /** Runs a training batch's rows of this.inputs at this.positions through the blocks, into this.finalInput. */
  private runBlocks(weights: ModelWeights, rows: number, shape: AttentionShape): void {
    embeddingForward(this.blocks[0].input, this.inputs, this.positions, rows, this.config.width, weights.tokenEmbedding, weights.positionEmbedding);
    for (let layer = 0; layer < this.blocks.length; layer++) {
      const output = layer + 1 < this.blocks.length ? this.blocks[layer + 1].input : this.finalInput;
      this.blockForward(weights, layer, rows, shape, output);
    }
  }

  /** The final norm and the tied output head over rows from…to−1 of `input`: those rows of this.logits. */
  private head(weights: ModelWeights, input: FloatArray, from: number, to: number): void {
    const { width, vocabSize } = this.config;
    const final = this.finalNorm;
    const rows = to - from;
    const out = final.out.subarray(from * width);
    this.kernels.layerNormForward(out, final.mean.subarray(from), final.inverseDeviation.subarray(from), input.subarray(from * width), weights.finalNorm.weight, weights.finalNorm.bias, rows, width);
    const logits = this.logits.subarray(from * vocabSize);
    logits.fill(0, 0, rows * vocabSize);
    this.kernels.addABt(logits, out, weights.tokenEmbedding, rows, width, vocabSize);
  }

  /** Splits the windows into input and target tokens and their positions. */
  private unpack(batch: TokenBatch): number {
    const { sequences, length, tokens } = batch;
    const rows = sequences * length;
    if (length < 1 || length > this.config.context || sequences > this.maxSequences || rows > this.maxRows || tokens.length < sequences * (length + 1)) {
      throw new RangeError(`batch of ${sequences}×${length} tokens does not fit the model (context ${this.config.context}, ${this.maxSequences} sequences)`);
    }
    for (let s = 0; s < sequences; s++) {
      for (let t = 0; t < length; t++) {
        const token = tokens[s * (length + 1) + t];
        const target = tokens[s * (length + 1) + t + 1];
        if (!(token >= 0 && token < this.config.vocabSize && target >= 0 && target < this.config.vocabSize)) {
          throw new RangeError(`token out of vocabulary in sequence ${s} at ${t}`);
        }
        this.inputs[s * length + t] = token;
        this.targets[s * length + t] = target;
        this.positions[s * length + t] = t;
      }
    }
    return rows;
  }

  private attentionShape(batch: TokenBatch): AttentionShape {
    return { sequences: batch.sequences, length: batch.length, heads: this.config.heads, width: this.config.width, firstQuery: 0 };
  }

  /** A training batch's block, its rows its sequences one after the other. */
  private blockForward(weights: ModelWeights, layer: number, rows: number, shape: AttentionShape, output: FloatArray): void {
    const { width } = this.config;
    const w = weights.blocks[layer];
    const a = this.blocks[layer];
    this.kernels.layerNormForward(a.attentionNorm.out, a.attentionNorm.mean, a.attentionNorm.inverseDeviation, a.input, w.attentionNorm.weight, w.attentionNorm.bias, rows, width);
    this.linearForward(a.qkv, a.attentionNorm.out, w.attentionInput.weight, w.attentionInput.bias, rows, width, 3 * width);
    this.kernels.attentionForward(a.attention, a.probabilities, a.qkv, shape);
    this.outputAndMlp(weights, layer, 0, rows, a.input, output);
  }

  /** Rows from…to−1 of cache slots: their queries, keys and values, into their slots' cache positions. */
  private cacheKeysAndValues(weights: ModelWeights, layer: number, from: number, to: number): void {
    const { width, context } = this.config;
    const w = weights.blocks[layer];
    const a = this.blocks[layer];
    const norm = a.attentionNorm;
    const rows = to - from;
    this.kernels.layerNormForward(norm.out.subarray(from * width), norm.mean.subarray(from), norm.inverseDeviation.subarray(from), a.input.subarray(from * width), w.attentionNorm.weight, w.attentionNorm.bias, rows, width);
    this.linearForward(this.rowQkv.subarray(from * 3 * width), norm.out.subarray(from * width), w.attentionInput.weight, w.attentionInput.bias, rows, width, 3 * width);
    for (let r = from; r < to; r++) {
      a.qkv.set(this.rowQkv.subarray(r * 3 * width, (r + 1) * 3 * width), (this.slots[r] * context + this.positions[r]) * 3 * width);
    }
  }

  /** Rows from…to−1 of cache slots (already in the cache) entering as `input`: attention over their slots, then the rest of the block. */
  private attendAndMlp(weights: ModelWeights, layer: number, from: number, to: number, input: FloatArray, slots: Int32Array, positions: Int32Array, output: FloatArray): void {
    const { width, heads, context } = this.config;
    const a = this.blocks[layer];
    this.kernels.cachedAttention(a.attention.subarray(from * width), a.qkv, slots.subarray(from), positions.subarray(from), to - from, heads, width, context);
    this.outputAndMlp(weights, layer, from, to, input, output);
  }

  /** Rows from…to−1 after attention: output projection and residual, then the MLP and its residual, into `output`. */
  private outputAndMlp(weights: ModelWeights, layer: number, from: number, to: number, blockInput: FloatArray, blockOutput: FloatArray): void {
    const { width } = this.config;
    const kernels = this.kernels;
    const hidden = 4 * width;
    const rows = to - from;
    const w = weights.blocks[layer];
    const all = this.blocks[layer];
    const input = blockInput.subarray(from * width);
    const output = blockOutput.subarray(from * width);
    const a = {
      attention: all.attention.subarray(from * width),
      middle: all.middle.subarray(from * width),
      mlpNorm: { out: all.mlpNorm.out.subarray(from * width), mean: all.mlpNorm.mean.subarray(from), inverseDeviation: all.mlpNorm.inverseDeviation.subarray(from) },
      hidden: all.hidden.subarray(from * hidden),
      activated: all.activated.subarray(from * hidden),
    };
    this.linearForward(a.middle, a.attention, w.attentionOutput.weight, w.attentionOutput.bias, rows, width, width);
    kernels.addInto(a.middle, input, rows * width);
    kernels.layerNormForward(a.mlpNorm.out, a.mlpNorm.mean, a.mlpNorm.inverseDeviation, a.middle, w.mlpNorm.weight, w.mlpNorm.bias, rows, width);
    this.linearForward(a.hidden, a.mlpNorm.out, w.mlpUp.weight, w.mlpUp.bias, rows, width, hidden);
    kernels.geluForward(a.activated, a.hidden, rows * hidden);
    this.linearForward(output, a.activated, w.mlpDown.weight, w.mlpDown.bias, rows, hidden, width);
    kernels.addInto(output, a.middle, rows * width);
  }

  /** On entry dResidual holds d(loss)/d(block output); on exit d(loss)/d(block input). */
  private blockBackward(weights: ModelWeights, gradients: ModelWeights, layer: number, batch: TokenBatch, rows: number): void {
    const { width } = this.config;
    const kernels = this.kernels;
    const hidden = 4 * width;
    const w = weights.blocks[layer];
    const g = gradients.blocks[layer];
    const a = this.blocks[layer];
    const dResidual = this.dResidual;

    // output = middle + mlpDown(gelu(mlpUp(mlpNorm(middle)))): the residual path passes dResidual through.
    const dActivated = zeroed(this.dActivated, rows * hidden);
    this.linearBackward(dActivated, g.mlpDown.weight, g.mlpDown.bias, dResidual, a.activated, w.mlpDown.weight, rows, hidden, width);
    const dHidden = zeroed(this.dHidden, rows * hidden);
    kernels.geluBackward(dHidden, dActivated, a.hidden, rows * hidden);
    const dMlpNormOut = zeroed(this.dNormOut, rows * width);
    this.linearBackward(dMlpNormOut, g.mlpUp.weight, g.mlpUp.bias, dHidden, a.mlpNorm.out, w.mlpUp.weight, rows, width, hidden);
    kernels.layerNormBackward(dResidual, g.mlpNorm.weight, g.mlpNorm.bias, dMlpNormOut, a.middle, a.mlpNorm.mean, a.mlpNorm.inverseDeviation, w.mlpNorm.weight, rows, width);

    // middle = input + attentionOutput(attention(attentionInput(attentionNorm(input)))).
    const dAttention = zeroed(this.dAttention, rows * width);
    this.linearBackward(dAttention, g.attentionOutput.weight, g.attentionOutput.bias, dResidual, a.attention, w.attentionOutput.weight, rows, width, width);
    const dQkv = zeroed(this.dQkv, rows * 3 * width);
    kernels.attentionBackward(dQkv, dAttention, a.probabilities, a.qkv, this.attentionShape(batch));
    const dAttentionNormOut = zeroed(this.dNormOut, rows * width);
    this.linearBackward(dAttentionNormOut, g.attentionInput.weight, g.attentionInput.bias, dQkv, a.attentionNorm.out, w.attentionInput.weight, rows, width, 3 * width);
    kernels.layerNormBackward(dResidual, g.attentionNorm.weight, g.attentionNorm.bias, dAttentionNormOut, a.input, a.attentionNorm.mean, a.attentionNorm.inverseDeviation, w.attentionNorm.weight, rows, width);
  }

  /** out[rows×outputs] = input[rows×inputs]·weightᵀ + bias, weight stored [outputs×inputs]. */
  private linearForward(out: FloatArray, input: FloatArray, weight: FloatArray, bias: FloatArray, rows: number, inputs: number, outputs: number): void {
    for (let r = 0; r < rows; r++) {
      out.set(bias, r * outputs);
    }
    this.kernels.addABt(out, input, weight, rows, inputs, outputs);
  }

  private linearBackward(
    dInput: FloatArray, dWeight: FloatArray, dBias: FloatArray, dOut: FloatArray, input: FloatArray, weight: FloatArray,
    rows: number, inputs: number, outputs: number,
  ): void {
    this.kernels.addAB(dInput, dOut, weight, rows, outputs, inputs);
    this.kernels.addAtB(dWeight, dOut, input, outputs, rows, inputs);
    this.kernels.addColumnSums(dBias, dOut, rows, outputs);
  }
}

function zeroed(buffer: FloatArray, count: number): FloatArray {
  buffer.fill(0, 0, count);
  return buffer;
}
