// Matrix multiplication kernels for the GPT, on row-major Float32Array (training) or Float64Array
// (gradient checks). Every kernel accumulates (`out += …`), the convention of the whole backward pass.
//
// Why they are fast without SIMD: both operands are first packed into panels of four rows or four
// columns, laid out so that the inner loop walks two arrays sequentially; a 4×4 block of the output
// then lives in sixteen local variables (registers) for the whole inner dimension. Packing also
// absorbs the transposes, so one micro-kernel serves A·B, A·Bᵀ and Aᵀ·B, and it converts to float64
// once instead of once per multiply.

export type FloatArray = Float32Array | Float64Array;
export type FloatArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor;

const PANEL = 4;
/** Below this many output rows, packing costs about as much as it saves (e.g. one generated token). */
const MIN_PACKED_ROWS = PANEL;

// Scratch panels, grown on demand; one set per thread because each worker has its own module instance.
let packedLeft = new Float64Array(0);
let packedRight = new Float64Array(0);

/** out[m×n] += a[m×k] · b[k×n] */
export function addAB(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  multiply(out, a, k, 1, b, n, 1, m, k, n);
}

/** out[m×n] += a[m×k] · bᵀ, where b is [n×k] (a linear layer's forward pass with weights [out×in]). */
export function addABt(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  multiply(out, a, k, 1, b, 1, k, m, k, n);
}

/** out[m×n] += aᵀ · b, where a is [k×m] and b is [k×n] (a weight gradient: dYᵀ·X). */
export function addAtB(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  multiply(out, a, 1, m, b, n, 1, m, k, n);
}

/** The textbook i-j-k triple loop, out[m×n] = a[m×k] · b[k×n]: the baseline for tests and benchmarks. */
export function naiveMatmul(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        sum += a[i * k + p] * b[p * n + j];
      }
      out[i * n + j] = sum;
    }
  }
}

/**
 * out[m×n] += A·B with A(i,p) = a[i·aRowStride + p·aInnerStride] and B(p,j) = b[p·bInnerStride + j·bColumnStride].
 */
function multiply(
  out: FloatArray,
  a: FloatArray, aRowStride: number, aInnerStride: number,
  b: FloatArray, bInnerStride: number, bColumnStride: number,
  m: number, k: number, n: number,
): void {
  if (m < MIN_PACKED_ROWS) {
    multiplyUnpacked(out, a, aRowStride, aInnerStride, b, bInnerStride, bColumnStride, m, k, n);
    return;
  }
  const rowPanels = Math.ceil(m / PANEL);
  const columnPanels = Math.ceil(n / PANEL);
  const panelLength = PANEL * k;
  if (packedLeft.length < rowPanels * panelLength) {
    packedLeft = new Float64Array(rowPanels * panelLength);
  }
  if (packedRight.length < columnPanels * panelLength) {
    packedRight = new Float64Array(columnPanels * panelLength);
  }
  packPanels(packedLeft, a, m, k, aRowStride, aInnerStride);
  packPanels(packedRight, b, n, k, bColumnStride, bInnerStride);
  const left = packedLeft;
  const right = packedRight;
  for (let rowPanel = 0; rowPanel < rowPanels; rowPanel++) {
    const leftStart = rowPanel * panelLength;
    const leftEnd = leftStart + panelLength;
    const row = rowPanel * PANEL;
    for (let columnPanel = 0; columnPanel < columnPanels; columnPanel++) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let l = leftStart, r = columnPanel * panelLength; l < leftEnd; l += PANEL, r += PANEL) {
        const a0 = left[l], a1 = left[l + 1], a2 = left[l + 2], a3 = left[l + 3];
        const b0 = right[r], b1 = right[r + 1], b2 = right[r + 2], b3 = right[r + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const column = columnPanel * PANEL;
      if (row + PANEL <= m && column + PANEL <= n) {
        let o = row * n + column;
        out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03; o += n;
        out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13; o += n;
        out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23; o += n;
        out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
      } else {
        storeEdgeBlock(out, [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33], row, column, m, n);
      }
    }
  }
}

/**
 * Copies `count` strided vectors of length k into panels of four, interleaved so that element p of
 * vectors 4q…4q+3 sits at panels[4kq + 4p …]; missing vectors of the last panel are zeros.
 */
function packPanels(panels: Float64Array, source: FloatArray, count: number, k: number, vectorStride: number, elementStride: number): void {
  const panelCount = Math.ceil(count / PANEL);
  for (let panel = 0; panel < panelCount; panel++) {
    const panelStart = panel * PANEL * k;
    for (let lane = 0; lane < PANEL; lane++) {
      const vector = panel * PANEL + lane;
      if (vector < count) {
        for (let p = 0, s = vector * vectorStride, d = panelStart + lane; p < k; p++, s += elementStride, d += PANEL) {
          panels[d] = source[s];
        }
      } else {
        for (let p = 0, d = panelStart + lane; p < k; p++, d += PANEL) {
          panels[d] = 0;
        }
      }
    }
  }
}

/** The part of a 4×4 block (row-major in `block`) that lies inside the m×n output. */
function storeEdgeBlock(out: FloatArray, block: number[], row: number, column: number, m: number, n: number): void {
  for (let i = 0; i < PANEL && row + i < m; i++) {
    for (let j = 0; j < PANEL && column + j < n; j++) {
      out[(row + i) * n + column + j] += block[i * PANEL + j];
    }
  }
}

function multiplyUnpacked(
  out: FloatArray,
  a: FloatArray, aRowStride: number, aInnerStride: number,
  b: FloatArray, bInnerStride: number, bColumnStride: number,
  m: number, k: number, n: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0, ai = i * aRowStride, bi = j * bColumnStride; p < k; p++, ai += aInnerStride, bi += bInnerStride) {
        sum += a[ai] * b[bi];
      }
      out[i * n + j] += sum;
    }
  }
}
