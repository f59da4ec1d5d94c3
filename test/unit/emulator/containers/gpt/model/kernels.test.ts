// Unit tests of matmul kernels.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addAB, addABt, addAtB, naiveMatmul } from '../../../../../../emulator/containers/gpt/model/kernels';
import { Random } from '../../../../../../emulator/containers/gpt/model/random';

function randomMatrix(random: Random, rows: number, columns: number): Float32Array {
  return Float32Array.from({ length: rows * columns }, () => random.nextFloat() * 2 - 1);
}

function transpose(matrix: Float32Array, rows: number, columns: number): Float32Array {
  const result = new Float32Array(matrix.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      result[c * rows + r] = matrix[r * columns + c];
    }
  }
  return result;
}

function assertClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('matmul kernels', () => {
  // Sizes that are and are not multiples of the 4×4 block, and fewer rows than a block.
  const shapes: Array<[number, number, number]> = [[1, 7, 5], [3, 4, 9], [4, 4, 4], [5, 3, 7], [13, 17, 11], [32, 24, 36]];

  for (const [m, k, n] of shapes) {
    it(`A·B, A·Bᵀ and Aᵀ·B agree with the naive triple loop for ${m}×${k}×${n}`, () => {
      const random = Random.fromSeed(m * 1000 + k * 10 + n);
      const a = randomMatrix(random, m, k);
      const b = randomMatrix(random, k, n);
      const expected = new Float32Array(m * n);
      naiveMatmul(expected, a, b, m, k, n);

      const ab = new Float32Array(m * n);
      addAB(ab, a, b, m, k, n);
      assertClose(ab, expected, 1e-5);

      const abt = new Float32Array(m * n);
      addABt(abt, a, transpose(b, k, n), m, k, n);
      assertClose(abt, expected, 1e-5);

      const atb = new Float32Array(m * n);
      addAtB(atb, transpose(a, m, k), b, m, k, n);
      assertClose(atb, expected, 1e-5);
    });
  }

  it('adds to the output instead of overwriting it', () => {
    const random = Random.fromSeed(7);
    const a = randomMatrix(random, 6, 5);
    const b = randomMatrix(random, 5, 6);
    const product = new Float32Array(36);
    naiveMatmul(product, a, b, 6, 5, 6);
    const out = new Float32Array(36).fill(1);
    addAB(out, a, b, 6, 5, 6);
    assertClose(out, product.map((value) => value + 1), 1e-5);
  });

  it('computes in float64 when given float64 arrays', () => {
    const a = Float64Array.of(1 + 1e-12, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    const identity = Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
    const out = new Float64Array(16);
    addAB(out, a, identity, 4, 4, 4);
    assert.equal(out[0], 1 + 1e-12);
  });
});
