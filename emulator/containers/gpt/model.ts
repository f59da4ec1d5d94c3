// The decoder-only transformer: token + position embeddings, pre-LayerNorm blocks (causal multi-head
// self-attention, then a GELU MLP, each added to the residual stream), a final LayerNorm and an output
// head tied to the token embedding. A GptModel owns the activation buffers of one pass over up to
// `maxSequences` sequences; the parameters and gradients are passed in as views, so one model serves
// any parameter array (shared memory in a worker, float64 copies in gradient checks). While generating,
// its per-layer qkv buffers are the KV cache of one sequence.
import { addAB, addABt, addAtB, type FloatArray, type FloatArrayConstructor } from './kernels';
import {
  causalAttentionBackward, causalAttentionForward, crossEntropy, embeddingBackward, embeddingForward,
  geluBackward, geluForward, layerNormBackward, layerNormForward, linearBackward, linearForward,
  type AttentionShape,
} from './layers';
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

export class GptModel {
  readonly config: ModelConfig;
  private readonly maxRows: number;
  private readonly inputs: Int32Array;
  private readonly targets: Int32Array;
  private readonly positions: Int32Array;
  private readonly blocks: BlockActivations[];
  private readonly finalInput: FloatArray;
  private readonly finalNorm: NormActivations;
  private readonly logits: FloatArray;
  // Gradients of activations, reused by every block during backward.
  private readonly dResidual: FloatArray;
  private readonly dNormOut: FloatArray;
  private readonly dAttention: FloatArray;
  private readonly dQkv: FloatArray;
  private readonly dActivated: FloatArray;
  private readonly dHidden: FloatArray;

  constructor(layout: ParameterLayout, readonly maxSequences: number, precision: FloatArrayConstructor = Float32Array) {
    this.config = layout.config;
    const { width, heads, context, vocabSize } = this.config;
    const rows = maxSequences * context;
    this.maxRows = rows;
    const floats = (count: number): FloatArray => new precision(count);
    const norm = (): NormActivations => ({ out: floats(rows * width), mean: floats(rows), inverseDeviation: floats(rows) });
    this.inputs = new Int32Array(rows);
    this.targets = new Int32Array(rows);
    this.positions = new Int32Array(rows);
    this.blocks = Array.from({ length: this.config.layers }, () => ({
      input: floats(rows * width),
      attentionNorm: norm(),
      qkv: floats(rows * 3 * width),
      probabilities: floats(maxSequences * heads * context * context),
      attention: floats(rows * width),
      middle: floats(rows * width),
      mlpNorm: norm(),
      hidden: floats(rows * 4 * width),
      activated: floats(rows * 4 * width),
    }));
    this.finalInput = floats(rows * width);
    this.finalNorm = norm();
    this.logits = floats(rows * vocabSize);
    this.dResidual = floats(rows * width);
    this.dNormOut = floats(rows * width);
    this.dAttention = floats(rows * width);
    this.dQkv = floats(rows * 3 * width);
    this.dActivated = floats(rows * 4 * width);
    this.dHidden = floats(rows * 4 * width);
  }

  /** The summed (not averaged) cross-entropy of the batch's targets. */
  loss(weights: ModelWeights, batch: TokenBatch): number {
    const rows = this.forward(weights, batch);
    return crossEntropy(this.logits, this.targets, rows, this.config.vocabSize);
  }

  /**
   * Generation with a KV cache: runs `tokens` at positions start…start+n−1 of a single sequence whose
   * positions 0…start−1 were run by earlier calls (their keys and values are still in the qkv buffers),
   * and returns the logits of the last position (valid until the next call).
   */
  forwardFrom(weights: ModelWeights, tokens: ArrayLike<number>, start: number): FloatArray {
    const { context, vocabSize } = this.config;
    const rows = tokens.length;
    if (rows < 1 || start < 0 || start + rows > context) {
      throw new RangeError(`positions ${start}…${start + rows - 1} are outside the context of ${context}`);
    }
    for (let r = 0; r < rows; r++) {
      if (!(tokens[r] >= 0 && tokens[r] < vocabSize)) {
        throw new RangeError(`token ${tokens[r]} is not in the vocabulary`);
      }
      this.inputs[r] = tokens[r];
      this.positions[r] = start + r;
    }
    this.run(weights, rows, { sequences: 1, length: start + rows, heads: this.config.heads, width: this.config.width, firstQuery: start });
    return this.logits.subarray((rows - 1) * vocabSize, rows * vocabSize);
  }

  /**
   * Forward and backward pass: adds d(gradientScale · summed loss)/dθ into `gradients` and returns the
   * summed loss. With gradientScale = 1/(tokens in the whole step), shard gradients simply add up.
   */
  forwardBackward(weights: ModelWeights, gradients: ModelWeights, batch: TokenBatch, gradientScale: number): number {
    const rows = this.forward(weights, batch);
    const { width, vocabSize } = this.config;
    const loss = crossEntropy(this.logits, this.targets, rows, vocabSize, this.logits, gradientScale);
    const dLogits = this.logits;

    // Tied output head: logits = finalNorm.out · tokenEmbeddingᵀ.
    const dFinalNormOut = zeroed(this.dNormOut, rows * width);
    addAB(dFinalNormOut, dLogits, weights.tokenEmbedding, rows, vocabSize, width);
    addAtB(gradients.tokenEmbedding, dLogits, this.finalNorm.out, vocabSize, rows, width);
    const dResidual = zeroed(this.dResidual, rows * width);
    layerNormBackward(
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
    this.run(weights, rows, this.attentionShape(batch));
    return rows;
  }

  /** Runs the network on the rows of this.inputs at this.positions, up to the logits. */
  private run(weights: ModelWeights, rows: number, shape: AttentionShape): void {
    const { width, vocabSize } = this.config;
    embeddingForward(this.blocks[0].input, this.inputs, this.positions, rows, width, weights.tokenEmbedding, weights.positionEmbedding);
    for (let layer = 0; layer < this.blocks.length; layer++) {
      const output = layer + 1 < this.blocks.length ? this.blocks[layer + 1].input : this.finalInput;
      this.blockForward(weights, layer, rows, shape, output);
    }
    const final = this.finalNorm;
    layerNormForward(final.out, final.mean, final.inverseDeviation, this.finalInput, weights.finalNorm.weight, weights.finalNorm.bias, rows, width);
    this.logits.fill(0, 0, rows * vocabSize);
    addABt(this.logits, final.out, weights.tokenEmbedding, rows, width, vocabSize);
  }

  /** Splits the windows into input and target tokens and their positions. */
  private unpack(batch: TokenBatch): number {
    const { sequences, length, tokens } = batch;
    const rows = sequences * length;
    if (length < 1 || length > this.config.context || rows > this.maxRows || tokens.length < sequences * (length + 1)) {
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

  /** With shape.firstQuery > 0 (one sequence), the rows are positions firstQuery… and qkv holds the earlier ones. */
  private blockForward(weights: ModelWeights, layer: number, rows: number, shape: AttentionShape, output: FloatArray): void {
    const { width } = this.config;
    const hidden = 4 * width;
    const w = weights.blocks[layer];
    const a = this.blocks[layer];
    layerNormForward(a.attentionNorm.out, a.attentionNorm.mean, a.attentionNorm.inverseDeviation, a.input, w.attentionNorm.weight, w.attentionNorm.bias, rows, width);
    linearForward(a.qkv.subarray(shape.firstQuery * 3 * width), a.attentionNorm.out, w.attentionInput.weight, w.attentionInput.bias, rows, width, 3 * width);
    causalAttentionForward(a.attention, a.probabilities, a.qkv, shape);
    linearForward(a.middle, a.attention, w.attentionOutput.weight, w.attentionOutput.bias, rows, width, width);
    addInto(a.middle, a.input, rows * width);
    layerNormForward(a.mlpNorm.out, a.mlpNorm.mean, a.mlpNorm.inverseDeviation, a.middle, w.mlpNorm.weight, w.mlpNorm.bias, rows, width);
    linearForward(a.hidden, a.mlpNorm.out, w.mlpUp.weight, w.mlpUp.bias, rows, width, hidden);
    geluForward(a.activated, a.hidden, rows * hidden);
    linearForward(output, a.activated, w.mlpDown.weight, w.mlpDown.bias, rows, hidden, width);
    addInto(output, a.middle, rows * width);
  }

  /** On entry dResidual holds d(loss)/d(block output); on exit d(loss)/d(block input). */
  private blockBackward(weights: ModelWeights, gradients: ModelWeights, layer: number, batch: TokenBatch, rows: number): void {
    const { width } = this.config;
    const hidden = 4 * width;
    const w = weights.blocks[layer];
    const g = gradients.blocks[layer];
    const a = this.blocks[layer];
    const dResidual = this.dResidual;

    // output = middle + mlpDown(gelu(mlpUp(mlpNorm(middle)))): the residual path passes dResidual through.
    const dActivated = zeroed(this.dActivated, rows * hidden);
    linearBackward(dActivated, g.mlpDown.weight, g.mlpDown.bias, dResidual, a.activated, w.mlpDown.weight, rows, hidden, width);
    const dHidden = zeroed(this.dHidden, rows * hidden);
    geluBackward(dHidden, dActivated, a.hidden, rows * hidden);
    const dMlpNormOut = zeroed(this.dNormOut, rows * width);
    linearBackward(dMlpNormOut, g.mlpUp.weight, g.mlpUp.bias, dHidden, a.mlpNorm.out, w.mlpUp.weight, rows, width, hidden);
    layerNormBackward(dResidual, g.mlpNorm.weight, g.mlpNorm.bias, dMlpNormOut, a.middle, a.mlpNorm.mean, a.mlpNorm.inverseDeviation, w.mlpNorm.weight, rows, width);

    // middle = input + attentionOutput(attention(attentionInput(attentionNorm(input)))).
    const dAttention = zeroed(this.dAttention, rows * width);
    linearBackward(dAttention, g.attentionOutput.weight, g.attentionOutput.bias, dResidual, a.attention, w.attentionOutput.weight, rows, width, width);
    const dQkv = zeroed(this.dQkv, rows * 3 * width);
    causalAttentionBackward(dQkv, dAttention, a.probabilities, a.qkv, this.attentionShape(batch));
    const dAttentionNormOut = zeroed(this.dNormOut, rows * width);
    linearBackward(dAttentionNormOut, g.attentionInput.weight, g.attentionInput.bias, dQkv, a.attentionNorm.out, w.attentionInput.weight, rows, width, 3 * width);
    layerNormBackward(dResidual, g.attentionNorm.weight, g.attentionNorm.bias, dAttentionNormOut, a.input, a.attentionNorm.mean, a.attentionNorm.inverseDeviation, w.attentionNorm.weight, rows, width);
  }
}

function zeroed(buffer: FloatArray, count: number): FloatArray {
  buffer.fill(0, 0, count);
  return buffer;
}

function addInto(target: FloatArray, addend: FloatArray, count: number): void {
  for (let i = 0; i < count; i++) {
    target[i] += addend[i];
  }
}
