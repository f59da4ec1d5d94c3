// The differentiable building blocks of the GPT, each a forward function and its hand-written
// backward. Tensors are row-major; `rows` is the number of token positions in the batch. Backward
// functions ADD into every gradient they produce (inputs and parameters alike), so that a tensor used
// twice — the residual stream, the tied embedding — simply receives both contributions; the caller
// zeroes gradient buffers once per pass.
import type { Kernels } from './backend';
import { addAB, addABt, addAtB, type FloatArray } from './kernels';
import type { AttentionShape } from './backend';
export type { AttentionShape };

const LAYER_NORM_EPSILON = 1e-5;
const GELU_SCALE = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/** out[r] = tokenEmbedding[tokens[r]] + positionEmbedding[positions[r]] */
export function embeddingForward(
  out: FloatArray, tokens: Int32Array, positions: Int32Array, rows: number, width: number,
  tokenEmbedding: FloatArray, positionEmbedding: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    const token = tokens[r] * width;
    const position = positions[r] * width;
    const row = r * width;
    for (let i = 0; i < width; i++) {
      out[row + i] = tokenEmbedding[token + i] + positionEmbedding[position + i];
    }
  }
}

export function embeddingBackward(
  dOut: FloatArray, tokens: Int32Array, positions: Int32Array, rows: number, width: number,
  dTokenEmbedding: FloatArray, dPositionEmbedding: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    const token = tokens[r] * width;
    const position = positions[r] * width;
    const row = r * width;
    for (let i = 0; i < width; i++) {
      dTokenEmbedding[token + i] += dOut[row + i];
      dPositionEmbedding[position + i] += dOut[row + i];
    }
  }
}

/** Normalises each row to zero mean and unit variance, then scales and shifts; keeps mean and 1/σ for backward. */
export function layerNormForward(
  out: FloatArray, mean: FloatArray, inverseDeviation: FloatArray,
  input: FloatArray, weight: FloatArray, bias: FloatArray, rows: number, width: number,
): void {
  for (let r = 0; r < rows; r++) {
    const row = r * width;
    let sum = 0;
    for (let i = 0; i < width; i++) {
      sum += input[row + i];
    }
    const rowMean = sum / width;
    let squares = 0;
    for (let i = 0; i < width; i++) {
      const centred = input[row + i] - rowMean;
      squares += centred * centred;
    }
    const rowInverse = 1 / Math.sqrt(squares / width + LAYER_NORM_EPSILON);
    for (let i = 0; i < width; i++) {
      out[row + i] = (input[row + i] - rowMean) * rowInverse * weight[i] + bias[i];
    }
    mean[r] = rowMean;
    inverseDeviation[r] = rowInverse;
  }
}

export function layerNormBackward(
  dInput: FloatArray, dWeight: FloatArray, dBias: FloatArray,
  dOut: FloatArray, input: FloatArray, mean: FloatArray, inverseDeviation: FloatArray,
  weight: FloatArray, rows: number, width: number,
): void {
  for (let r = 0; r < rows; r++) {
    const row = r * width;
    const rowMean = mean[r];
    const rowInverse = inverseDeviation[r];
    // dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), with dx̂ = dy·weight
    let dNormalizedSum = 0;
    let dNormalizedDotNormalized = 0;
    for (let i = 0; i < width; i++) {
      const normalized = (input[row + i] - rowMean) * rowInverse;
      const dNormalized = dOut[row + i] * weight[i];
      dNormalizedSum += dNormalized;
      dNormalizedDotNormalized += dNormalized * normalized;
      dWeight[i] += dOut[row + i] * normalized;
      dBias[i] += dOut[row + i];
    }
    const meanDNormalized = dNormalizedSum / width;
    const meanDNormalizedDotNormalized = dNormalizedDotNormalized / width;
    for (let i = 0; i < width; i++) {
      const normalized = (input[row + i] - rowMean) * rowInverse;
      const dNormalized = dOut[row + i] * weight[i];
      dInput[row + i] += rowInverse * (dNormalized - meanDNormalized - normalized * meanDNormalizedDotNormalized);
    }
  }
}

/** out[rows×outputs] = input[rows×inputs]·weightᵀ + bias, weight stored [outputs×inputs]. */
export function linearForward(
  out: FloatArray, input: FloatArray, weight: FloatArray, bias: FloatArray,
  rows: number, inputs: number, outputs: number,
): void {
  for (let r = 0; r < rows; r++) {
    out.set(bias, r * outputs);
  }
  addABt(out, input, weight, rows, inputs, outputs);
}

export function linearBackward(
  dInput: FloatArray, dWeight: FloatArray, dBias: FloatArray,
  dOut: FloatArray, input: FloatArray, weight: FloatArray,
  rows: number, inputs: number, outputs: number,
): void {
  addAB(dInput, dOut, weight, rows, outputs, inputs);
  addAtB(dWeight, dOut, input, outputs, rows, inputs);
  addColumnSums(dBias, dOut, rows, outputs);
}

/** out[n] += Σ over the rows of source [rows×n], rows in order. */
export function addColumnSums(out: FloatArray, source: FloatArray, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const row = r * n;
    for (let o = 0; o < n; o++) {
      out[o] += source[row + o];
    }
  }
}

export function addInto(target: FloatArray, addend: FloatArray, count: number): void {
  for (let i = 0; i < count; i++) {
    target[i] += addend[i];
  }
}

/** GELU, tanh approximation (as in GPT-2). */
export function geluForward(out: FloatArray, input: FloatArray, count: number): void {
  for (let i = 0; i < count; i++) {
    const x = input[i];
    out[i] = 0.5 * x * (1 + Math.tanh(GELU_SCALE * (x + GELU_CUBIC * x * x * x)));
  }
}

export function geluBackward(dInput: FloatArray, dOut: FloatArray, input: FloatArray, count: number): void {
  for (let i = 0; i < count; i++) {
    const x = input[i];
    const tanh = Math.tanh(GELU_SCALE * (x + GELU_CUBIC * x * x * x));
    const derivative = 0.5 * (1 + tanh) + 0.5 * x * (1 - tanh * tanh) * GELU_SCALE * (1 + 3 * GELU_CUBIC * x * x);
    dInput[i] += dOut[i] * derivative;
  }
}

/**
 * Causal multi-head self-attention. qkv holds, per row, the queries, keys and values [3·width];
 * head h uses columns h·headSize…(h+1)·headSize of each. `probabilities` [sequences×heads×length×length]
 * keeps the softmax weights for backward (entries above the diagonal are never read). `out` has one
 * row per query position.
 */
export function causalAttentionForward(out: FloatArray, probabilities: FloatArray, qkv: FloatArray, shape: AttentionShape): void {
  const { sequences, length, heads, width, firstQuery } = shape;
  const headSize = width / heads;
  const scale = 1 / Math.sqrt(headSize);
  const qkvWidth = 3 * width;
  const queries = length - firstQuery;
  for (let s = 0; s < sequences; s++) {
    for (let h = 0; h < heads; h++) {
      const headColumn = h * headSize;
      for (let t = firstQuery; t < length; t++) {
        const query = (s * length + t) * qkvWidth + headColumn;
        const weights = ((s * heads + h) * length + t) * length;
        let max = -Infinity;
        for (let u = 0; u <= t; u++) {
          const key = (s * length + u) * qkvWidth + width + headColumn;
          let dot = 0;
          for (let i = 0; i < headSize; i++) {
            dot += qkv[query + i] * qkv[key + i];
          }
          const score = dot * scale;
          probabilities[weights + u] = score;
          max = Math.max(max, score);
        }
        let sum = 0;
        for (let u = 0; u <= t; u++) {
          const exponential = Math.exp(probabilities[weights + u] - max);
          probabilities[weights + u] = exponential;
          sum += exponential;
        }
        const output = (s * queries + t - firstQuery) * width + headColumn;
        out.fill(0, output, output + headSize);
        for (let u = 0; u <= t; u++) {
          const weight = probabilities[weights + u] / sum;
          probabilities[weights + u] = weight;
          const value = (s * length + u) * qkvWidth + 2 * width + headColumn;
          for (let i = 0; i < headSize; i++) {
            out[output + i] += weight * qkv[value + i];
          }
        }
      }
    }
  }
}

export function causalAttentionBackward(
  dQkv: FloatArray, dOut: FloatArray, probabilities: FloatArray, qkv: FloatArray, shape: AttentionShape,
): void {
  const { sequences, length, heads, width, firstQuery } = shape;
  if (firstQuery !== 0) {
    throw new RangeError('attention backward needs every position as a query');
  }
  const headSize = width / heads;
  const scale = 1 / Math.sqrt(headSize);
  const qkvWidth = 3 * width;
  const dWeights = new Float64Array(length);
  for (let s = 0; s < sequences; s++) {
    for (let h = 0; h < heads; h++) {
      const headColumn = h * headSize;
      for (let t = 0; t < length; t++) {
        const query = (s * length + t) * qkvWidth + headColumn;
        const output = (s * length + t) * width + headColumn;
        const weights = ((s * heads + h) * length + t) * length;
        // Through out = Σ p·v: gradients of the weights and of the values.
        let weightedSum = 0;
        for (let u = 0; u <= t; u++) {
          const value = (s * length + u) * qkvWidth + 2 * width + headColumn;
          const weight = probabilities[weights + u];
          let dWeight = 0;
          for (let i = 0; i < headSize; i++) {
            dWeight += dOut[output + i] * qkv[value + i];
            dQkv[value + i] += weight * dOut[output + i];
          }
          dWeights[u] = dWeight;
          weightedSum += weight * dWeight;
        }
        // Through the softmax, then the scaled dot products: gradients of the query and the keys.
        for (let u = 0; u <= t; u++) {
          const key = (s * length + u) * qkvWidth + width + headColumn;
          const dScore = probabilities[weights + u] * (dWeights[u] - weightedSum) * scale;
          for (let i = 0; i < headSize; i++) {
            dQkv[query + i] += dScore * qkv[key + i];
            dQkv[key + i] += dScore * qkv[query + i];
          }
        }
      }
    }
  }
}

/**
 * Softmax cross-entropy of each row of logits against its target; returns the summed loss.
 * When `dLogits` is given (it may be `logits` itself), writes (softmax − onehot)·gradientScale into it.
 */
export function crossEntropy(
  logits: FloatArray, targets: Int32Array, rows: number, vocabSize: number,
  dLogits?: FloatArray, gradientScale = 1,
): number {
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const row = r * vocabSize;
    let max = -Infinity;
    for (let v = 0; v < vocabSize; v++) {
      max = Math.max(max, logits[row + v]);
    }
    let sum = 0;
    for (let v = 0; v < vocabSize; v++) {
      sum += Math.exp(logits[row + v] - max);
    }
    const target = targets[r];
    loss += Math.log(sum) + max - logits[row + target];
    if (dLogits) {
      for (let v = 0; v < vocabSize; v++) {
        dLogits[row + v] = (Math.exp(logits[row + v] - max) / sum) * gradientScale;
      }
      dLogits[row + target] -= gradientScale;
    }
  }
  return loss;
}

/**
 * Attention of rows of cached sequences: row r is position positions[r] of the sequence in slot
 * slots[r], whose qkv rows (`context` per slot) are in `cache`; it attends over positions 0…positions[r].
 */
export function cachedAttentionForward(
  out: FloatArray, cache: FloatArray, slots: Int32Array, positions: Int32Array, rows: number, heads: number, width: number, context: number,
): void {
  const headSize = width / heads;
  const scale = 1 / Math.sqrt(headSize);
  const qkvWidth = 3 * width;
  const weights = new Float64Array(context);
  for (let r = 0; r < rows; r++) {
    const first = slots[r] * context;
    const t = positions[r];
    for (let h = 0; h < heads; h++) {
      const headColumn = h * headSize;
      const query = (first + t) * qkvWidth + headColumn;
      let max = -Infinity;
      for (let u = 0; u <= t; u++) {
        const key = (first + u) * qkvWidth + width + headColumn;
        let dot = 0;
        for (let i = 0; i < headSize; i++) {
          dot += cache[query + i] * cache[key + i];
        }
        weights[u] = dot * scale;
        max = Math.max(max, weights[u]);
      }
      let sum = 0;
      for (let u = 0; u <= t; u++) {
        weights[u] = Math.exp(weights[u] - max);
        sum += weights[u];
      }
      const output = r * width + headColumn;
      out.fill(0, output, output + headSize);
      for (let u = 0; u <= t; u++) {
        const value = (first + u) * qkvWidth + 2 * width + headColumn;
        const weight = weights[u] / sum;
        for (let i = 0; i < headSize; i++) {
          out[output + i] += weight * cache[value + i];
        }
      }
    }
  }
}

/** The JavaScript kernels: the reference every other backend is tested against. */
export const referenceKernels: Kernels = {
  addAB, addABt, addAtB, addColumnSums, addInto, layerNormForward, layerNormBackward, geluForward, geluBackward,
  attentionForward: causalAttentionForward,
  attentionBackward: causalAttentionBackward,
  cachedAttention: cachedAttentionForward,
  crossEntropy,
};
