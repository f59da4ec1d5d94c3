// The model's parameters live in one flat array (so that gradients are summed, clipped and updated in
// single passes, and shared between threads as one SharedArrayBuffer); named views give each tensor
// its place. One function, `buildWeights`, describes the tensors: the layout, the views and the names
// written to safetensors all come from it.
import type { FloatArray } from './kernels';
import type { Random } from './random';
import type { NamedTensor } from '../safetensors';

export interface ModelConfig {
  vocabSize: number;
  layers: number;
  heads: number;
  /** Width of the residual stream (model dimension); a multiple of `heads`. */
  width: number;
  /** Longest sequence the model attends over (number of position embeddings). */
  context: number;
}

/** How a tensor is initialised and whether AdamW decays it. */
export type ParameterRole = 'embedding' | 'weight' | 'residualWeight' | 'bias' | 'normWeight' | 'normBias';

export interface TensorSpec {
  name: string;
  shape: number[];
  offset: number;
  size: number;
  role: ParameterRole;
}

/** A linear layer y = x·Wᵀ + b with W stored [out×in], as in PyTorch. */
export interface LinearWeights {
  weight: FloatArray;
  bias: FloatArray;
}

export interface NormWeights {
  weight: FloatArray;
  bias: FloatArray;
}

export interface BlockWeights {
  attentionNorm: NormWeights;
  /** Query, key and value projections stacked: [3·width × width]. */
  attentionInput: LinearWeights;
  attentionOutput: LinearWeights;
  mlpNorm: NormWeights;
  mlpUp: LinearWeights;
  mlpDown: LinearWeights;
}

export interface ModelWeights {
  /** [vocabSize × width], also the output head (tied). */
  tokenEmbedding: FloatArray;
  /** [context × width] */
  positionEmbedding: FloatArray;
  blocks: BlockWeights[];
  finalNorm: NormWeights;
}

export function validateModelConfig(config: ModelConfig): void {
  for (const key of ['vocabSize', 'layers', 'heads', 'width', 'context'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) {
      throw new RangeError(`model config ${key} must be a positive integer, got ${config[key]}`);
    }
  }
  if (config.width % config.heads !== 0) {
    throw new RangeError(`width ${config.width} is not a multiple of heads ${config.heads}`);
  }
}

type TensorFactory = (name: string, shape: number[], role: ParameterRole) => FloatArray;

function buildWeights(config: ModelConfig, tensor: TensorFactory): ModelWeights {
  const { vocabSize, width, context } = config;
  const hidden = 4 * width;
  const norm = (name: string): NormWeights => ({
    weight: tensor(`${name}.weight`, [width], 'normWeight'),
    bias: tensor(`${name}.bias`, [width], 'normBias'),
  });
  const linear = (name: string, outputs: number, inputs: number, role: ParameterRole): LinearWeights => ({
    weight: tensor(`${name}.weight`, [outputs, inputs], role),
    bias: tensor(`${name}.bias`, [outputs], 'bias'),
  });
  const tokenEmbedding = tensor('token_embedding.weight', [vocabSize, width], 'embedding');
  const positionEmbedding = tensor('position_embedding.weight', [context, width], 'embedding');
  const blocks: BlockWeights[] = [];
  for (let layer = 0; layer < config.layers; layer++) {
    const prefix = `blocks.${layer}`;
    blocks.push({
      attentionNorm: norm(`${prefix}.attention_norm`),
      attentionInput: linear(`${prefix}.attention.qkv`, 3 * width, width, 'weight'),
      attentionOutput: linear(`${prefix}.attention.output`, width, width, 'residualWeight'),
      mlpNorm: norm(`${prefix}.mlp_norm`),
      mlpUp: linear(`${prefix}.mlp.up`, hidden, width, 'weight'),
      mlpDown: linear(`${prefix}.mlp.down`, width, hidden, 'residualWeight'),
    });
  }
  return { tokenEmbedding, positionEmbedding, blocks, finalNorm: norm('final_norm') };
}

export class ParameterLayout {
  readonly tensors: readonly TensorSpec[];
  /** Total number of parameters. */
  readonly size: number;

  constructor(readonly config: ModelConfig) {
    validateModelConfig(config);
    const tensors: TensorSpec[] = [];
    let offset = 0;
    buildWeights(config, (name, shape, role) => {
      const size = shape.reduce((product, dimension) => product * dimension, 1);
      tensors.push({ name, shape, offset, size, role });
      offset += size;
      return new Float32Array(0);
    });
    this.tensors = tensors;
    this.size = offset;
  }

  /** The tensors of `array` (laid out like the parameters) under their names, optionally prefixed. */
  namedTensors(array: Float32Array, prefix = ''): NamedTensor[] {
    return this.tensors.map(({ name, shape, offset, size }) => ({ name: prefix + name, shape, data: array.subarray(offset, offset + size) }));
  }

  /** Copies the tensors named like the parameters (optionally prefixed) into `array`; all must be present. */
  readNamedTensors(tensors: ReadonlyMap<string, NamedTensor>, array: Float32Array, prefix = ''): void {
    for (const { name, shape, offset } of this.tensors) {
      const tensor = tensors.get(prefix + name);
      if (!tensor || tensor.shape.join('×') !== shape.join('×')) {
        throw new Error(`tensor "${prefix + name}" of shape [${shape.join(', ')}] is missing or has another shape`);
      }
      array.set(tensor.data, offset);
    }
  }

  /**
   * The parameters from named tensors: a view of the tensors' own memory when they lie back to back in
   * layout order (as saveModel writes them, so loading a model copies nothing), otherwise a copy.
   */
  parametersFromTensors(tensors: ReadonlyMap<string, NamedTensor>): Float32Array {
    const first = tensors.get(this.tensors[0].name)?.data;
    const contiguous = first !== undefined && this.tensors.every(({ name, shape, offset }) => {
      const tensor = tensors.get(name);
      return tensor !== undefined && tensor.data.buffer === first.buffer && tensor.data.byteOffset === first.byteOffset + offset * 4
        && tensor.shape.join('×') === shape.join('×');
    });
    if (contiguous) {
      return new Float32Array(first.buffer, first.byteOffset, this.size);
    }
    const parameters = new Float32Array(this.size);
    this.readNamedTensors(tensors, parameters);
    return parameters;
  }

  /** Named views into `array` (parameters, gradients or optimizer moments laid out like the parameters). */
  views(array: FloatArray): ModelWeights {
    if (array.length !== this.size) {
      throw new RangeError(`expected ${this.size} values, got ${array.length}`);
    }
    let index = 0;
    return buildWeights(this.config, () => {
      const { offset, size } = this.tensors[index++];
      return array.subarray(offset, offset + size);
    });
  }
}

/** GPT-2's initialisation: N(0, 0.02) weights, residual projections scaled by 1/√(2·layers), unit norms. */
export function initializeParameters(layout: ParameterLayout, parameters: FloatArray, random: Random): void {
  const residualScale = 1 / Math.sqrt(2 * layout.config.layers);
  for (const { offset, size, role } of layout.tensors) {
    const tensor = parameters.subarray(offset, offset + size);
    switch (role) {
      case 'embedding':
      case 'weight':
        fillGaussian(tensor, 0.02, random);
        break;
      case 'residualWeight':
        fillGaussian(tensor, 0.02 * residualScale, random);
        break;
      case 'normWeight':
        tensor.fill(1);
        break;
      case 'bias':
      case 'normBias':
        tensor.fill(0);
        break;
    }
  }
}

function fillGaussian(tensor: FloatArray, standardDeviation: number, random: Random): void {
  for (let i = 0; i < tensor.length; i++) {
    tensor[i] = standardDeviation * random.nextGaussian();
  }
}

/** Whether AdamW's weight decay applies: to matrices and embeddings, not to biases or norms. */
export function isDecayed(role: ParameterRole): boolean {
  return role === 'embedding' || role === 'weight' || role === 'residualWeight';
}
