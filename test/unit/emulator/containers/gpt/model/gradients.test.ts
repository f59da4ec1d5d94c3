// Finite-difference checks of every hand-written backward pass, in float64 so that the tolerance can
// be tight enough to catch a wrong term: central differences with h = 1e-5 are accurate to ~1e-9 here.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  causalAttentionBackward, causalAttentionForward, crossEntropy, embeddingBackward, embeddingForward,
  geluBackward, geluForward, layerNormBackward, layerNormForward, linearBackward, linearForward,
  type AttentionShape,
} from '../../../../../../emulator/containers/gpt/model/layers';
import { GptModel, type TokenBatch } from '../../../../../../emulator/containers/gpt/model/model';
import { initializeParameters, ParameterLayout, type ModelConfig } from '../../../../../../emulator/containers/gpt/model/parameters';
import { Random } from '../../../../../../emulator/containers/gpt/model/random';

const STEP = 1e-5;
const RELATIVE_TOLERANCE = 1e-6;
const ABSOLUTE_TOLERANCE = 1e-9;

type Arrays = Record<string, Float64Array>;

function randomArray(random: Random, length: number, scale = 1): Float64Array {
  return Float64Array.from({ length }, () => scale * random.nextGaussian());
}

/** Compares `analytic` with central differences of `loss` with respect to every element of `values`. */
function assertGradient(label: string, values: Float64Array, analytic: Float64Array, loss: () => number): void {
  let checkedNonZero = 0;
  for (let i = 0; i < values.length; i++) {
    const original = values[i];
    values[i] = original + STEP;
    const above = loss();
    values[i] = original - STEP;
    const below = loss();
    values[i] = original;
    const numeric = (above - below) / (2 * STEP);
    const error = Math.abs(numeric - analytic[i]);
    const allowed = RELATIVE_TOLERANCE * (Math.abs(numeric) + Math.abs(analytic[i])) + ABSOLUTE_TOLERANCE;
    assert.ok(error <= allowed, `${label}[${i}]: analytic ${analytic[i]} vs numeric ${numeric}`);
    if (Math.abs(numeric) > 1e-6) {
      checkedNonZero++;
    }
  }
  assert.ok(checkedNonZero > 0, `${label}: every gradient is zero, the check proves nothing`);
}

interface LayerCase {
  inputs: Arrays;
  outputSize: number;
  forward(inputs: Arrays, out: Float64Array): void;
  /** Adds into `gradients` the gradient of Σ out·dOut with respect to each input. */
  backward(inputs: Arrays, dOut: Float64Array, gradients: Arrays): void;
}

/** Checks a layer through the scalar Σ forward(inputs)·R for a random R. */
function assertLayerGradients(layer: LayerCase, random: Random): void {
  const projection = randomArray(random, layer.outputSize);
  const loss = (): number => {
    const out = new Float64Array(layer.outputSize);
    layer.forward(layer.inputs, out);
    return out.reduce((sum, value, i) => sum + value * projection[i], 0);
  };
  const gradients: Arrays = {};
  for (const [name, values] of Object.entries(layer.inputs)) {
    gradients[name] = new Float64Array(values.length);
  }
  layer.backward(layer.inputs, projection, gradients);
  for (const [name, values] of Object.entries(layer.inputs)) {
    assertGradient(name, values, gradients[name], loss);
  }
}

describe('gradient checks of each layer (float64, finite differences)', () => {
  const rows = 6;
  const width = 8;

  it('token + position embedding', () => {
    const random = Random.fromSeed(1);
    const tokens = Int32Array.of(3, 1, 3, 0, 2, 3);
    const positions = Int32Array.of(0, 1, 2, 0, 1, 2);
    assertLayerGradients({
      inputs: { tokenEmbedding: randomArray(random, 4 * width), positionEmbedding: randomArray(random, 3 * width) },
      outputSize: rows * width,
      forward: (x, out) => embeddingForward(out, tokens, positions, rows, width, x.tokenEmbedding, x.positionEmbedding),
      backward: (_x, dOut, g) => embeddingBackward(dOut, tokens, positions, rows, width, g.tokenEmbedding, g.positionEmbedding),
    }, random);
  });

  it('layer norm', () => {
    const random = Random.fromSeed(2);
    const mean = new Float64Array(rows);
    const inverse = new Float64Array(rows);
    assertLayerGradients({
      inputs: { input: randomArray(random, rows * width, 2), weight: randomArray(random, width), bias: randomArray(random, width) },
      outputSize: rows * width,
      forward: (x, out) => layerNormForward(out, mean, inverse, x.input, x.weight, x.bias, rows, width),
      backward: (x, dOut, g) => {
        layerNormForward(new Float64Array(rows * width), mean, inverse, x.input, x.weight, x.bias, rows, width);
        layerNormBackward(g.input, g.weight, g.bias, dOut, x.input, mean, inverse, x.weight, rows, width);
      },
    }, random);
  });

  it('linear layer (both kernels of its backward pass)', () => {
    const random = Random.fromSeed(3);
    const outputs = 5;
    assertLayerGradients({
      inputs: { input: randomArray(random, rows * width), weight: randomArray(random, outputs * width), bias: randomArray(random, outputs) },
      outputSize: rows * outputs,
      forward: (x, out) => linearForward(out, x.input, x.weight, x.bias, rows, width, outputs),
      backward: (x, dOut, g) => linearBackward(g.input, g.weight, g.bias, dOut, x.input, x.weight, rows, width, outputs),
    }, random);
  });

  it('GELU', () => {
    const random = Random.fromSeed(4);
    const count = rows * width;
    assertLayerGradients({
      inputs: { input: randomArray(random, count, 2) },
      outputSize: count,
      forward: (x, out) => geluForward(out, x.input, count),
      backward: (x, dOut, g) => geluBackward(g.input, dOut, x.input, count),
    }, random);
  });

  it('causal multi-head self-attention', () => {
    const random = Random.fromSeed(5);
    const shape: AttentionShape = { sequences: 2, length: 3, heads: 2, width, firstQuery: 0 };
    const probabilities = new Float64Array(2 * 2 * 3 * 3);
    assertLayerGradients({
      inputs: { qkv: randomArray(random, rows * 3 * width) },
      outputSize: rows * width,
      forward: (x, out) => causalAttentionForward(out, probabilities, x.qkv, shape),
      backward: (x, dOut, g) => {
        causalAttentionForward(new Float64Array(rows * width), probabilities, x.qkv, shape);
        causalAttentionBackward(g.qkv, dOut, probabilities, x.qkv, shape);
      },
    }, random);
  });

  it('attention is causal: a position never sees a later one', () => {
    const random = Random.fromSeed(6);
    const shape: AttentionShape = { sequences: 1, length: 4, heads: 2, width, firstQuery: 0 };
    const qkv = randomArray(random, 4 * 3 * width);
    const before = new Float64Array(4 * width);
    causalAttentionForward(before, new Float64Array(2 * 16), qkv, shape);
    qkv.fill(9, 3 * 3 * width); // change everything of the last position
    const after = new Float64Array(4 * width);
    causalAttentionForward(after, new Float64Array(2 * 16), qkv, shape);
    assert.deepEqual(after.subarray(0, 3 * width), before.subarray(0, 3 * width));
    assert.notDeepEqual(after.subarray(3 * width), before.subarray(3 * width));
  });

  it('softmax cross-entropy', () => {
    const random = Random.fromSeed(7);
    const vocabSize = 5;
    const targets = Int32Array.of(0, 4, 2, 2, 1, 3);
    const logits = randomArray(random, rows * vocabSize, 3);
    const gradient = new Float64Array(logits.length);
    const scale = 0.37;
    crossEntropy(Float64Array.from(logits), targets, rows, vocabSize, gradient, scale);
    assertGradient('logits', logits, gradient, () => scale * crossEntropy(logits, targets, rows, vocabSize));
  });
});

describe('gradient check of the whole model (float64)', () => {
  const config: ModelConfig = { vocabSize: 7, layers: 2, heads: 2, width: 8, context: 4 };
  const layout = new ParameterLayout(config);
  const batch: TokenBatch = { tokens: Int32Array.of(1, 5, 2, 6, 0, 3, 3, 4, 1, 2), sequences: 2, length: 4 };

  function setup(): { parameters: Float64Array; model: GptModel } {
    const parameters = new Float64Array(layout.size);
    initializeParameters(layout, parameters, Random.fromSeed(11));
    // Perturb norms and biases too, so that no gradient is checked only at a special point.
    const random = Random.fromSeed(12);
    parameters.forEach((value, i) => (parameters[i] = value + 0.1 * random.nextGaussian()));
    return { parameters, model: new GptModel(layout, 2, Float64Array) };
  }

  it('matches finite differences for every parameter, the tied embedding/head included', () => {
    const { parameters, model } = setup();
    const gradient = new Float64Array(layout.size);
    const scale = 1 / 8;
    model.forwardBackward(layout.views(parameters), layout.views(gradient), batch, scale);
    const weights = layout.views(parameters);
    for (const tensor of layout.tensors) {
      assertGradient(
        tensor.name,
        parameters.subarray(tensor.offset, tensor.offset + tensor.size),
        gradient.subarray(tensor.offset, tensor.offset + tensor.size),
        () => scale * model.loss(weights, batch),
      );
    }
  });

  it('returns the summed loss and adds to the gradients it is given', () => {
    const { parameters, model } = setup();
    const weights = layout.views(parameters);
    const once = new Float64Array(layout.size);
    const loss = model.forwardBackward(weights, layout.views(once), batch, 1);
    assert.equal(loss, model.loss(weights, batch));
    const twice = new Float64Array(layout.size);
    model.forwardBackward(weights, layout.views(twice), batch, 1);
    model.forwardBackward(weights, layout.views(twice), batch, 1);
    twice.forEach((value, i) => assert.ok(Math.abs(value - 2 * once[i]) <= 1e-12 * (1 + Math.abs(value))));
  });

  it('starts near the loss of a uniform guess', () => {
    const parameters = new Float64Array(layout.size);
    initializeParameters(layout, parameters, Random.fromSeed(3));
    const loss = new GptModel(layout, 2, Float64Array).loss(layout.views(parameters), batch) / 8;
    assert.ok(Math.abs(loss - Math.log(config.vocabSize)) < 0.1, `initial loss ${loss}`);
  });
});
