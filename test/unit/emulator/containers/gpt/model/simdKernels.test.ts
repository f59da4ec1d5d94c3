// Every WebAssembly SIMD kernel against the JavaScript reference (run in float64 on the same float32
// inputs), on random shapes with odd sizes and tails. Tolerances: a product or sum of k terms within
// 1e-6·k·Σ|terms| (float32's sequential-sum bound, with room); element-wise functions within
// 1e-5·(1 + |value|); additions, scalings and the optimizer's steps within float32 rounding — and
// exactly where the design promises bits (element-wise sums, a row's product whatever rows are beside it).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addAB } from '../../../../../../emulator/containers/gpt/model/kernels';
import {
  addColumnSums, cachedAttentionForward, causalAttentionBackward, causalAttentionForward, crossEntropy, geluBackward, geluForward,
  layerNormBackward, layerNormForward, type AttentionShape,
} from '../../../../../../emulator/containers/gpt/model/layers';
import { GptModel, type TokenBatch } from '../../../../../../emulator/containers/gpt/model/model';
import { AdamW, clipGradientNorm } from '../../../../../../emulator/containers/gpt/optimizer';
import { initializeParameters, ParameterLayout } from '../../../../../../emulator/containers/gpt/model/parameters';
import { Random } from '../../../../../../emulator/containers/gpt/model/random';
import { Arena, simdBackend, simdScratchFloats, SimdKernels, WasmMemory } from '../../../../../../emulator/containers/gpt/model/simdKernels';

const memory = WasmMemory.create(64 * 1024 * 1024);
const arena = new Arena(memory);
const kernels = new SimdKernels(memory, arena.floats(1024 * 1024));
const random = Random.fromSeed(2024);

/** A float32 tensor in the WebAssembly memory with uniform values in [-scale, scale). */
function tensor(count: number, scale = 1): Float32Array {
  const values = arena.floats(count);
  for (let i = 0; i < count; i++) {
    values[i] = scale * (2 * random.nextFloat() - 1);
  }
  return values;
}

const wide = (values: Float32Array): Float64Array => Float64Array.from(values);

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, allowed: (i: number) => number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < actual.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    assert.ok(error <= allowed(i), `${label}[${i}]: ${actual[i]} vs ${expected[i]} (allowed ${allowed(i)})`);
  }
}

const elementwise = (expected: ArrayLike<number>) => (i: number): number => 1e-5 * (1 + Math.abs(expected[i]));

describe('SIMD matrix products against the reference', () => {
  // Rows around the 4-row block, columns around the 8-column panel and the four panels rows left
  // over run at once (a partial panel last in such a group: 29, 27 columns), odd inner sizes.
  const shapes: Array<[number, number, number]> = [
    [1, 1, 1], [1, 7, 5], [3, 4, 9], [4, 8, 8], [5, 3, 7], [7, 129, 17], [13, 17, 11], [32, 24, 36], [64, 128, 384], [9, 33, 130],
    [1, 19, 29], [6, 11, 27], [3, 64, 35], [1, 128, 512],
  ];
  for (const [m, k, n] of shapes) {
    it(`A·B, A·Bᵀ and Aᵀ·B for ${m}×${k}×${n}, adding to what out holds`, () => {
      const a = tensor(m * k);
      const b = tensor(k * n);
      const aT = arena.floats(m * k);
      const bT = arena.floats(k * n);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aT[p * m + i] = a[i * k + p];
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bT[j * k + p] = b[p * n + j];
      const start = tensor(m * n);
      const expected = wide(start);
      addAB(expected, wide(a), wide(b), m, k, n);
      // Σ|a·b| per element: the scale of float32's rounding error of the sum.
      const magnitude = new Float64Array(m * n);
      addAB(magnitude, wide(a).map(Math.abs), wide(b).map(Math.abs), m, k, n);
      const allowed = (i: number): number => 1e-6 * (k + 1) * (magnitude[i] + Math.abs(start[i]));
      for (const [label, run] of [
        ['A·B', (out: Float32Array) => kernels.addAB(out, a, b, m, k, n)],
        ['A·Bᵀ', (out: Float32Array) => kernels.addABt(out, a, bT, m, k, n)],
        ['Aᵀ·B', (out: Float32Array) => kernels.addAtB(out, aT, b, m, k, n)],
      ] as const) {
        const out = arena.floats(m * n);
        out.set(start);
        run(out);
        assertClose(out, expected, allowed, label);
      }
    });
  }

  it('gives a row the same bits alone as among any number of other rows (what batched serving relies on)', () => {
    // 35 columns: a group of four panels and a partial one for the rows left over out of 4-row blocks.
    const [k, n] = [37, 35];
    const a = tensor(13 * k);
    const b = tensor(n * k);
    const all = arena.floats(13 * n);
    kernels.addABt(all, a, b, 13, k, n);
    for (const row of [0, 3, 4, 12]) {
      const alone = arena.floats(n);
      kernels.addABt(alone, a.subarray(row * k, (row + 1) * k), b, 1, k, n);
      assert.deepEqual(alone, all.subarray(row * n, (row + 1) * n), `row ${row}`);
    }
  });

  it('refuses tensors outside its memory', () => {
    assert.throws(() => kernels.addAB(new Float32Array(4), tensor(4), tensor(4), 2, 2, 2), /WebAssembly memory/);
  });
});

describe('SIMD layer kernels against the reference', () => {
  for (const width of [1, 7, 16, 130]) {
    it(`layer norm forward and backward, width ${width}`, () => {
      const rows = 5;
      const input = tensor(rows * width, 3);
      const weight = tensor(width);
      const bias = tensor(width);
      const out = arena.floats(rows * width);
      const mean = arena.floats(rows);
      const inverse = arena.floats(rows);
      kernels.layerNormForward(out, mean, inverse, input, weight, bias, rows, width);
      const expected = new Float64Array(rows * width);
      const expectedMean = new Float64Array(rows);
      const expectedInverse = new Float64Array(rows);
      layerNormForward(expected, expectedMean, expectedInverse, wide(input), wide(weight), wide(bias), rows, width);
      assertClose(out, expected, (i) => 1e-5 * (1 + Math.abs(expected[i])), 'out');
      assertClose(mean, expectedMean, (i) => 1e-5 * (1 + Math.abs(expectedMean[i])), 'mean');
      // A row of one value has σ = 0: 1/√ε, where float32 and float64 differ most.
      assertClose(inverse, expectedInverse, (i) => 1e-4 * expectedInverse[i], 'inverse deviation');

      const dOut = tensor(rows * width);
      const dInput = tensor(rows * width);
      const dWeight = tensor(width);
      const dBias = tensor(width);
      const expectedDInput = wide(dInput);
      const expectedDWeight = wide(dWeight);
      const expectedDBias = wide(dBias);
      kernels.layerNormBackward(dInput, dWeight, dBias, dOut, input, mean, inverse, weight, rows, width);
      layerNormBackward(expectedDInput, expectedDWeight, expectedDBias, wide(dOut), wide(input), expectedMean, expectedInverse, wide(weight), rows, width);
      const loose = (expected: Float64Array) => (i: number): number => (width === 1 ? 1e-2 : 1e-4) * (1 + Math.abs(expected[i]));
      assertClose(dInput, expectedDInput, loose(expectedDInput), 'dInput');
      assertClose(dWeight, expectedDWeight, loose(expectedDWeight), 'dWeight');
      assertClose(dBias, expectedDBias, elementwise(expectedDBias), 'dBias');
    });
  }

  for (const count of [1, 3, 4, 13, 1000]) {
    it(`GELU forward and backward over ${count} values`, () => {
      const input = tensor(count, 6);
      const out = arena.floats(count);
      kernels.geluForward(out, input, count);
      const expected = new Float64Array(count);
      geluForward(expected, wide(input), count);
      assertClose(out, expected, elementwise(expected), 'gelu');
      const dOut = tensor(count);
      const dInput = tensor(count);
      const expectedDInput = wide(dInput);
      kernels.geluBackward(dInput, dOut, input, count);
      geluBackward(expectedDInput, wide(dOut), wide(input), count);
      assertClose(dInput, expectedDInput, elementwise(expectedDInput), 'gelu backward');
    });
  }

  const attentionShapes: AttentionShape[] = [
    { sequences: 2, length: 7, heads: 3, width: 12, firstQuery: 0 },
    { sequences: 1, length: 9, heads: 2, width: 10, firstQuery: 0 },
    { sequences: 3, length: 5, heads: 1, width: 3, firstQuery: 0 },
    { sequences: 1, length: 11, heads: 2, width: 16, firstQuery: 6 },
  ];
  for (const shape of attentionShapes) {
    const { sequences, length, heads, width, firstQuery } = shape;
    it(`causal attention forward${firstQuery === 0 ? ' and backward' : ''}: ${sequences}×${length} rows, ${heads} heads of ${width / heads}${firstQuery ? `, queries from ${firstQuery}` : ''}`, () => {
      const rows = sequences * length;
      const queries = sequences * (length - firstQuery);
      const qkv = tensor(rows * 3 * width, 2);
      const probabilities = arena.floats(sequences * heads * length * length);
      const out = arena.floats(queries * width);
      kernels.attentionForward(out, probabilities, qkv, shape);
      const expectedProbabilities = new Float64Array(probabilities.length);
      const expected = new Float64Array(queries * width);
      causalAttentionForward(expected, expectedProbabilities, wide(qkv), shape);
      assertClose(out, expected, elementwise(expected), 'out');
      if (firstQuery > 0) {
        return;
      }
      const dOut = tensor(rows * width);
      const dQkv = tensor(rows * 3 * width);
      const expectedDQkv = wide(dQkv);
      kernels.attentionBackward(dQkv, dOut, probabilities, qkv, shape);
      causalAttentionBackward(expectedDQkv, wide(dOut), expectedProbabilities, wide(qkv), shape);
      assertClose(dQkv, expectedDQkv, elementwise(expectedDQkv), 'dQkv');
    });
  }

  it('attention of rows of cached sequences, rows of several slots in one call', () => {
    const [heads, width, context] = [2, 10, 9];
    const cache = tensor(3 * context * 3 * width, 2);
    const slots = arena.ints(5);
    const positions = arena.ints(5);
    slots.set([2, 0, 2, 1, 0]);
    positions.set([8, 0, 3, 5, 7]);
    const out = arena.floats(5 * width);
    kernels.cachedAttention(out, cache, slots, positions, 5, heads, width, context);
    const expected = new Float64Array(5 * width);
    cachedAttentionForward(expected, wide(cache), Int32Array.from(slots), Int32Array.from(positions), 5, heads, width, context);
    assertClose(out, expected, elementwise(expected), 'out');
  });

  // A prompt chunk's rows (consecutive positions of one slot) run in pairs: a row must give the bits
  // it gives alone and in a training pass, for heads of 32 (the served model's), 4, 16 + 4 and an odd 5.
  for (const [heads, width, context] of [[4, 128, 67], [2, 8, 13], [1, 20, 9], [2, 10, 11]]) {
    it(`cached attention of a chunk's rows, ${heads} head${heads === 1 ? '' : 's'} of ${width / heads}: the bits of one row at a time and of the training pass`, () => {
      const cache = tensor(2 * context * 3 * width, 2);
      const slots = arena.ints(context + 1);
      const positions = arena.ints(context + 1);
      // Slot 1's whole sequence, with one row of slot 0 in the middle (it breaks a pair).
      const middle = Math.floor(context / 2) + 1;
      const order = [...Array.from({ length: middle }, (_, t) => [1, t]), [0, 3], ...Array.from({ length: context - middle }, (_, t) => [1, middle + t])];
      order.forEach(([slot, position], r) => { slots[r] = slot; positions[r] = position; });
      const together = arena.floats(order.length * width);
      kernels.cachedAttention(together, cache, slots, positions, order.length, heads, width, context);
      const alone = arena.floats(width);
      const oneSlot = arena.ints(1);
      const onePosition = arena.ints(1);
      order.forEach(([slot, position], r) => {
        oneSlot[0] = slot;
        onePosition[0] = position;
        kernels.cachedAttention(alone, cache, oneSlot, onePosition, 1, heads, width, context);
        assert.deepEqual(together.subarray(r * width, (r + 1) * width), alone, `row ${r} (slot ${slot}, position ${position})`);
      });
      const training = arena.floats(context * width);
      const probabilities = arena.floats(heads * context * context);
      kernels.attentionForward(training, probabilities, cache.subarray(context * 3 * width), { sequences: 1, length: context, heads, width, firstQuery: 0 });
      const chunk = order.map(([slot], r) => r).filter((r) => slots[r] === 1).flatMap((r) => [...together.subarray(r * width, (r + 1) * width)]);
      assert.deepEqual(Float32Array.from(chunk), training);
      const expected = new Float64Array(order.length * width);
      cachedAttentionForward(expected, wide(cache), Int32Array.from(slots.subarray(0, order.length)), Int32Array.from(positions.subarray(0, order.length)), order.length, heads, width, context);
      assertClose(together, expected, elementwise(expected), 'against the reference');
    });
  }

  for (const vocabSize of [1, 13, 512]) {
    it(`softmax cross-entropy over ${vocabSize} logits, its gradient in place or apart`, () => {
      const rows = 6;
      const logits = tensor(rows * vocabSize, 8);
      const targets = arena.ints(rows);
      targets.forEach((_, r) => (targets[r] = random.nextInt(vocabSize)));
      const expectedLoss = crossEntropy(wide(logits), targets, rows, vocabSize);
      assert.ok(Math.abs(kernels.crossEntropy(logits, targets, rows, vocabSize) - expectedLoss) <= 1e-5 * (1 + expectedLoss));
      const expectedGradient = new Float64Array(logits.length);
      crossEntropy(wide(logits), targets, rows, vocabSize, expectedGradient, 0.25);
      const apart = arena.floats(logits.length);
      const loss = kernels.crossEntropy(logits, targets, rows, vocabSize, apart, 0.25);
      assert.ok(Math.abs(loss - expectedLoss) <= 1e-5 * (1 + expectedLoss), `${loss} vs ${expectedLoss}`);
      assertClose(apart, expectedGradient, (i) => 1e-6 + 1e-5 * Math.abs(expectedGradient[i]), 'dLogits');
      kernels.crossEntropy(logits, targets, rows, vocabSize, logits, 0.25);
      assertClose(logits, expectedGradient, (i) => 1e-6 + 1e-5 * Math.abs(expectedGradient[i]), 'dLogits in place');
    });
  }

  it('column sums, additions and scaling; additions to the bit', () => {
    const [rows, n] = [9, 11];
    const source = tensor(rows * n);
    const out = tensor(n);
    const expected = wide(out);
    kernels.addColumnSums(out, source, rows, n);
    addColumnSums(expected, wide(source), rows, n);
    assertClose(out, expected, (i) => 1e-6 * (1 + Math.abs(expected[i])), 'column sums');

    const target = tensor(23);
    const addend = tensor(23, 1e-3);
    const reference = Float32Array.from(target);
    for (let i = 0; i < 23; i++) reference[i] += addend[i];
    kernels.addInto(target, addend, 23);
    assert.deepEqual(Float32Array.from(target), reference);

    const scaled = tensor(23);
    const scaledReference = Float32Array.from(scaled, (value) => value * Math.fround(0.3));
    kernels.scale(scaled, 23, 0.3);
    assert.deepEqual(Float32Array.from(scaled), scaledReference);
    const squares = kernels.sumOfSquares(scaled, 23);
    assert.ok(Math.abs(squares - scaled.reduce((sum, value) => sum + value * value, 0)) < 1e-12);
  });

  it('AdamW steps and gradient clipping', () => {
    const layout = new ParameterLayout({ vocabSize: 7, layers: 1, heads: 1, width: 5, context: 3 });
    const reference = new AdamW(layout, { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1 });
    const simd = new AdamW(layout, { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1 }, {
      firstMoment: arena.floats(layout.size), secondMoment: arena.floats(layout.size), kernels,
    });
    const parameters = tensor(layout.size);
    const referenceParameters = Float32Array.from(parameters);
    for (let step = 1; step <= 5; step++) {
      const gradient = tensor(layout.size, 3);
      const referenceGradient = Float32Array.from(gradient);
      const norm = clipGradientNorm(gradient, 1, kernels);
      assert.ok(Math.abs(norm - clipGradientNorm(referenceGradient, 1)) < 1e-9 * norm);
      assertClose(gradient, referenceGradient, (i) => 1e-7 * (1 + Math.abs(referenceGradient[i])), 'clipped');
      simd.update(parameters, gradient, 1e-2, step);
      reference.update(referenceParameters, referenceGradient, 1e-2, step);
      assertClose(parameters, referenceParameters, (i) => 1e-6 * (1 + Math.abs(referenceParameters[i])), `parameters after step ${step}`);
    }
  });
});

describe('gradient check of the whole model through the SIMD kernels', () => {
  // Odd sizes: head size 3, a vocabulary and width that are not multiples of the SIMD widths.
  const config = { vocabSize: 13, layers: 2, heads: 2, width: 6, context: 5 };
  const layout = new ParameterLayout(config);
  const batch: TokenBatch = { tokens: Int32Array.of(1, 5, 12, 6, 0, 3, 3, 4, 1, 2, 11, 7), sequences: 2, length: 5 };
  const reference = Float64Array.from({ length: layout.size });
  initializeParameters(layout, reference, Random.fromSeed(11));
  const perturbation = Random.fromSeed(12);
  reference.forEach((value, i) => (reference[i] = Math.fround(value + 0.1 * perturbation.nextGaussian())));
  const parameters = arena.floats(layout.size);
  parameters.set(reference);
  const model = new GptModel(layout, 2, simdBackend(memory, arena, arena.floats(simdScratchFloats(config, 2 * config.context))));
  const scale = 1 / 10;

  it('gives the gradient of the float64 reference (itself checked by finite differences), every parameter', () => {
    const expected = new Float64Array(layout.size);
    const expectedLoss = new GptModel(layout, 2, Float64Array).forwardBackward(layout.views(reference), layout.views(expected), batch, scale);
    const gradient = arena.floats(layout.size);
    const loss = model.forwardBackward(layout.views(parameters), layout.views(gradient), batch, scale);
    assert.ok(Math.abs(loss - expectedLoss) <= 1e-5 * expectedLoss, `loss ${loss} vs ${expectedLoss}`);
    const largest = expected.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
    for (const tensor of layout.tensors) {
      assertClose(
        gradient.subarray(tensor.offset, tensor.offset + tensor.size), expected.subarray(tensor.offset, tensor.offset + tensor.size),
        (i) => 1e-4 * (Math.abs(expected[tensor.offset + i]) + 1e-2 * largest), tensor.name,
      );
    }
  });

  it('agrees with a finite difference of its own loss along random directions', () => {
    const gradient = arena.floats(layout.size);
    model.forwardBackward(layout.views(parameters), layout.views(gradient), batch, scale);
    const direction = Random.fromSeed(13);
    for (let trial = 0; trial < 3; trial++) {
      const step = Float64Array.from({ length: layout.size }, () => direction.nextGaussian());
      const norm = Math.sqrt(step.reduce((sum, value) => sum + value * value, 0));
      const h = 1e-2 / norm;
      const lossAt = (sign: number): number => {
        parameters.forEach((_, i) => (parameters[i] = reference[i] + sign * h * step[i]));
        return scale * model.loss(layout.views(parameters), batch);
      };
      const numeric = (lossAt(1) - lossAt(-1)) / (2 * h);
      parameters.set(reference);
      const analytic = gradient.reduce((sum, value, i) => sum + value * step[i], 0);
      assert.ok(Math.abs(numeric - analytic) <= 2e-3 * Math.abs(analytic) + 1e-4, `direction ${trial}: analytic ${analytic} vs numeric ${numeric}`);
    }
  });
});

describe('a prompt through the SIMD serving model as one batch', () => {
  // Heads of 32 (the served model's, paired attention) and of 3 (attendRow's path); 3 layers.
  for (const config of [{ vocabSize: 50, layers: 3, heads: 2, width: 64, context: 40 }, { vocabSize: 13, layers: 3, heads: 2, width: 6, context: 11 }]) {
    const layout = new ParameterLayout(config);
    const reference = Float64Array.from({ length: layout.size });
    initializeParameters(layout, reference, Random.fromSeed(21));
    reference.forEach((value, i) => (reference[i] = Math.fround(value * 8)));
    const parameters = arena.floats(layout.size);
    parameters.set(reference);
    const weights = layout.views(parameters);
    const serving = (): GptModel => new GptModel(layout, { sequences: 2, rows: config.context }, simdBackend(memory, arena, arena.floats(simdScratchFloats(config, config.context))));
    const prompt = Array.from({ length: config.context }, (_, i) => (i * 7 + 3) % config.vocabSize);
    const { vocabSize } = config;

    it(`gives the logits of running it token by token, to the bit, chunked or whole, heads of ${config.width / config.heads}`, () => {
      const byToken = serving();
      const expected = prompt.map((token, position) => Float32Array.from(byToken.forwardFrom(weights, [token], position)));
      // The whole prompt in one pass, the logits of every row asked for (every row through the last block).
      const whole = serving();
      prompt.forEach((token, row) => whole.setRow(row, token, row, 1));
      const all = whole.forwardCached(weights, prompt.length, prompt.map((_, row) => row));
      expected.forEach((logits, row) => assert.deepEqual(all.subarray(row * vocabSize, (row + 1) * vocabSize), logits, `row ${row} of the whole prompt`));
      // In chunks of 7 (odd, so that pairs of rows straddle chunks), only each chunk's last row's logits.
      const chunked = serving();
      for (let start = 0; start < prompt.length; start += 7) {
        const tokens = prompt.slice(start, start + 7);
        const last = chunked.forwardFrom(weights, tokens, start);
        assert.deepEqual(last, expected[start + tokens.length - 1], `the chunk from ${start}`);
      }
      // And the float64 reference, within float32's error over the model's depth.
      const float64 = new GptModel(layout, 1, Float64Array).forwardFrom(layout.views(reference), prompt, 0);
      assertClose(expected[prompt.length - 1], float64, (i) => 1e-4 * (1 + Math.abs(float64[i])), 'against the float64 reference');
    });
  }

  it('refuses logit rows outside the pass or out of order', () => {
    const config = { vocabSize: 13, layers: 1, heads: 1, width: 4, context: 4 };
    const layout = new ParameterLayout(config);
    const model = new GptModel(layout, { sequences: 1, rows: 4 }, simdBackend(memory, arena, arena.floats(simdScratchFloats(config, 4))));
    const weights = layout.views(arena.floats(layout.size));
    [0, 1, 2].forEach((row) => model.setRow(row, row, row, 0));
    assert.throws(() => model.forwardCached(weights, 3, [3]), /logit rows must be rows of the pass in increasing order, got 3 of 3/);
    assert.throws(() => model.forwardCached(weights, 3, [2, 1]), /increasing order/);
    assert.equal(model.forwardCached(weights, 3, [0, 2]).length, 2 * 13);
  });
});
