// The GPT's hot kernels in WebAssembly SIMD (128-bit), written in AssemblyScript and compiled at build
// time (../build.mjs). Every argument named like a tensor is a byte address in the one linear memory
// the JavaScript side lays out (../../wasmRuntime.ts): this module allocates nothing and keeps no
// state, so several threads can run it over one shared memory at once.
//
// Two rules make the results reproducible bit for bit: every output element is computed by the same
// sequence of float32 operations whatever the shapes around it (a row's result does not depend on how
// many rows are in the call, nor on where it sits among them), and every sum runs in a fixed order.
// The JavaScript kernels (../../kernels.ts, ../../layers.ts) are the reference they are tested against.

// ---- small helpers -----------------------------------------------------------------------------

@inline function mad(c: v128, x: v128, b: v128): v128 {
  return f32x4.add(c, f32x4.mul(x, b));
}

@inline function zero(): v128 {
  return f32x4.splat(0);
}

/** The four lanes summed in a fixed order: (l0 + l1) + (l2 + l3). */
@inline function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

@inline function horizontalMax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** *o += c for the first `count` (0…4) lanes. */
@inline function addLanes(o: usize, c: v128, count: i32): void {
  if (count >= 4) {
    v128.store(o, f32x4.add(v128.load(o), c));
    return;
  }
  if (count > 0) store<f32>(o, load<f32>(o) + f32x4.extract_lane(c, 0));
  if (count > 1) store<f32>(o, load<f32>(o, 4) + f32x4.extract_lane(c, 1), 4);
  if (count > 2) store<f32>(o, load<f32>(o, 8) + f32x4.extract_lane(c, 2), 8);
}

/** e^x for four lanes (Cephes' expf: range reduction by ln 2, degree-6 polynomial), max relative error ~2e-7. */
@inline function exp4(x: v128): v128 {
  const clamped = f32x4.max(f32x4.min(x, f32x4.splat(88.3762626647949)), f32x4.splat(-87.3365447504019));
  const n = f32x4.floor(f32x4.add(f32x4.mul(clamped, f32x4.splat(1.44269504088896341)), f32x4.splat(0.5)));
  let r = f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const e = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const power = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(e, power);
}

/** e^x of one value, by the same operations as exp4 (so a tail element equals a vector one). */
@inline function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** tanh for four lanes: 1 − 2 / (e^{2y} + 1); absolute error ~1e-7. */
@inline function tanh4(y: v128): v128 {
  const e = exp4(f32x4.add(y, y));
  return f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
}

// ---- matrix products ---------------------------------------------------------------------------

const PANEL: i32 = 8;
const PANEL_BYTES: usize = 32;

/**
 * Packs B, with B(p, j) at b + 4·(p·innerStride + j·columnStride) for p < k, j < n, into panels of
 * eight columns: panel q holds, for each p, B(p, 8q…8q+7) in 32 consecutive bytes (zeros past n).
 * Needs ceil(n / 8)·k·8 floats at `packed`.
 */
export function pack(packed: usize, b: usize, innerStride: i32, columnStride: i32, k: i32, n: i32): void {
  const panels = (n + PANEL - 1) / PANEL;
  for (let q = 0; q < panels; q++) {
    const base = packed + <usize>q * <usize>k * PANEL_BYTES;
    const first = q * PANEL;
    if (columnStride == 1 && first + PANEL <= n) {
      let s = b + (<usize>first << 2);
      const step = <usize>innerStride << 2;
      let d = base;
      for (let p = 0; p < k; p++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += step;
        d += PANEL_BYTES;
      }
      continue;
    }
    for (let c = 0; c < PANEL; c++) {
      const j = first + c;
      let d = base + (<usize>c << 2);
      if (j < n) {
        let s = b + (<usize>j * <usize>columnStride << 2);
        const step = <usize>innerStride << 2;
        for (let p = 0; p < k; p++) {
          store<f32>(d, load<f32>(s));
          s += step;
          d += PANEL_BYTES;
        }
      } else {
        for (let p = 0; p < k; p++) {
          store<f32>(d, 0);
          d += PANEL_BYTES;
        }
      }
    }
  }
}

/**
 * out[m×n] += A·B, with A(i, p) at a + 4·(i·rowStride + p·innerStride) and B packed by `pack`.
 * Blocks of 4 rows × 8 columns accumulate in registers over the whole of k; rows left over (a pass of
 * one generated row is all left over) run one at a time over four panels at once, so that eight sums
 * run side by side there too (two would wait on the add's latency). Either way each element is Σ_p in
 * order p = 0…k−1, one float32 multiply and one float32 add per term, then added to out.
 */
export function multiplyPacked(out: usize, a: usize, rowStride: i32, innerStride: i32, packed: usize, m: i32, k: i32, n: i32): void {
  const panels = (n + PANEL - 1) / PANEL;
  const rowBytes = <usize>rowStride << 2;
  const innerBytes = <usize>innerStride << 2;
  const outRowBytes = <usize>n << 2;
  const panelBytes = <usize>k * PANEL_BYTES;
  const blockRows = m & ~3;
  for (let q = 0; q < panels; q++) {
    const panel = packed + <usize>q * panelBytes;
    const column = q * PANEL;
    const columns = min(PANEL, n - column);
    for (let i = 0; i < blockRows; i += 4) {
      let c00 = zero(), c01 = zero(), c10 = zero(), c11 = zero();
      let c20 = zero(), c21 = zero(), c30 = zero(), c31 = zero();
      let pa = a + <usize>i * rowBytes;
      let pb = panel;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let x = v128.load32_splat(pa);
        c00 = mad(c00, x, b0);
        c01 = mad(c01, x, b1);
        x = v128.load32_splat(pa + rowBytes);
        c10 = mad(c10, x, b0);
        c11 = mad(c11, x, b1);
        x = v128.load32_splat(pa + 2 * rowBytes);
        c20 = mad(c20, x, b0);
        c21 = mad(c21, x, b1);
        x = v128.load32_splat(pa + 3 * rowBytes);
        c30 = mad(c30, x, b0);
        c31 = mad(c31, x, b1);
        pa += innerBytes;
        pb += PANEL_BYTES;
      }
      let o = out + (<usize>(i * n + column) << 2);
      addLanes(o, c00, columns);
      addLanes(o + 16, c01, columns - 4);
      o += outRowBytes;
      addLanes(o, c10, columns);
      addLanes(o + 16, c11, columns - 4);
      o += outRowBytes;
      addLanes(o, c20, columns);
      addLanes(o + 16, c21, columns - 4);
      o += outRowBytes;
      addLanes(o, c30, columns);
      addLanes(o + 16, c31, columns - 4);
    }
  }
  for (let i = blockRows; i < m; i++) {
    const row = a + <usize>i * rowBytes;
    let q = 0;
    for (; q + 4 <= panels; q += 4) {
      let c0 = zero(), c1 = zero(), c2 = zero(), c3 = zero();
      let c4 = zero(), c5 = zero(), c6 = zero(), c7 = zero();
      let pa = row;
      let pb = packed + <usize>q * panelBytes;
      for (let p = 0; p < k; p++) {
        const x = v128.load32_splat(pa);
        c0 = mad(c0, x, v128.load(pb));
        c1 = mad(c1, x, v128.load(pb, 16));
        c2 = mad(c2, x, v128.load(pb + panelBytes));
        c3 = mad(c3, x, v128.load(pb + panelBytes, 16));
        c4 = mad(c4, x, v128.load(pb + 2 * panelBytes));
        c5 = mad(c5, x, v128.load(pb + 2 * panelBytes, 16));
        c6 = mad(c6, x, v128.load(pb + 3 * panelBytes));
        c7 = mad(c7, x, v128.load(pb + 3 * panelBytes, 16));
        pa += innerBytes;
        pb += PANEL_BYTES;
      }
      const column = q * PANEL;
      const o = out + (<usize>(i * n + column) << 2);
      addLanes(o, c0, 4);
      addLanes(o + 16, c1, 4);
      addLanes(o + 32, c2, 4);
      addLanes(o + 48, c3, 4);
      addLanes(o + 64, c4, 4);
      addLanes(o + 80, c5, 4);
      // Only the last panel of all may be partial.
      const lastColumns = min(PANEL, n - column - 3 * PANEL);
      addLanes(o + 96, c6, lastColumns);
      addLanes(o + 112, c7, lastColumns - 4);
    }
    for (; q < panels; q++) {
      const column = q * PANEL;
      const columns = min(PANEL, n - column);
      let c0 = zero(), c1 = zero();
      let pa = row;
      let pb = packed + <usize>q * panelBytes;
      for (let p = 0; p < k; p++) {
        const x = v128.load32_splat(pa);
        c0 = mad(c0, x, v128.load(pb));
        c1 = mad(c1, x, v128.load(pb, 16));
        pa += innerBytes;
        pb += PANEL_BYTES;
      }
      const o = out + (<usize>(i * n + column) << 2);
      addLanes(o, c0, columns);
      addLanes(o + 16, c1, columns - 4);
    }
  }
}

/**
 * The machine's ceiling for the kernels above (a benchmark's yardstick, not used by the model):
 * `iterations` rounds of six independent f32x4 multiplies and six independent f32x4 adds held in
 * registers — each round's products feed the next round's, and each sum takes a product, as a matrix
 * product's accumulator does — with no memory traffic: 48 floating-point operations a round. Pass
 * factor 1 (not a constant here, so that nothing folds; no value drifts to a slow denormal). Returns
 * a value of the sums so that none is optimized away.
 */
export function peakMultiplyAdd(iterations: i32, factor: f32): f32 {
  const y = f32x4.splat(factor);
  let p0 = f32x4.splat(1), p1 = f32x4.splat(2), p2 = f32x4.splat(3), p3 = f32x4.splat(4), p4 = f32x4.splat(5), p5 = f32x4.splat(6);
  let c0 = zero(), c1 = zero(), c2 = zero(), c3 = zero(), c4 = zero(), c5 = zero();
  for (let i = 0; i < iterations; i++) {
    p0 = f32x4.mul(p0, y);
    p1 = f32x4.mul(p1, y);
    p2 = f32x4.mul(p2, y);
    p3 = f32x4.mul(p3, y);
    p4 = f32x4.mul(p4, y);
    p5 = f32x4.mul(p5, y);
    c0 = f32x4.add(c0, p0);
    c1 = f32x4.add(c1, p1);
    c2 = f32x4.add(c2, p2);
    c3 = f32x4.add(c3, p3);
    c4 = f32x4.add(c4, p4);
    c5 = f32x4.add(c5, p5);
  }
  return horizontalSum(f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(c4, c5)));
}

/** out[rows×n] += Σ over rows of dOut[rows×n] into out[n] (a bias gradient), rows in order. */
export function addColumnSums(out: usize, source: usize, rows: i32, n: i32): void {
  const rowBytes = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let sum = v128.load(out + (<usize>j << 2));
    let s = source + (<usize>j << 2);
    for (let r = 0; r < rows; r++) {
      sum = f32x4.add(sum, v128.load(s));
      s += rowBytes;
    }
    v128.store(out + (<usize>j << 2), sum);
  }
  for (; j < n; j++) {
    let sum = load<f32>(out + (<usize>j << 2));
    let s = source + (<usize>j << 2);
    for (let r = 0; r < rows; r++) {
      sum += load<f32>(s);
      s += rowBytes;
    }
    store<f32>(out + (<usize>j << 2), sum);
  }
}

// ---- element-wise ------------------------------------------------------------------------------

/** target[i] += addend[i] for i < count. */
export function addInto(target: usize, addend: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = target + (<usize>i << 2);
    v128.store(o, f32x4.add(v128.load(o), v128.load(addend + (<usize>i << 2))));
  }
  for (; i < count; i++) {
    const o = target + (<usize>i << 2);
    store<f32>(o, load<f32>(o) + load<f32>(addend + (<usize>i << 2)));
  }
}

/** values[i] *= factor for i < count. */
export function scale(values: usize, count: i32, factor: f32): void {
  const f = f32x4.splat(factor);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = values + (<usize>i << 2);
    v128.store(o, f32x4.mul(v128.load(o), f));
  }
  for (; i < count; i++) {
    const o = values + (<usize>i << 2);
    store<f32>(o, load<f32>(o) * factor);
  }
}

/** Σ values[i]², accumulated in float64 (two lanes, then in order). */
export function sumOfSquares(values: usize, count: i32): f64 {
  let low = f64x2.splat(0);
  let high = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const v = v128.load(values + (<usize>i << 2));
    const l = f64x2.promote_low_f32x4(v);
    const h = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    low = f64x2.add(low, f64x2.mul(l, l));
    high = f64x2.add(high, f64x2.mul(h, h));
  }
  let sum = (f64x2.extract_lane(low, 0) + f64x2.extract_lane(low, 1)) + (f64x2.extract_lane(high, 0) + f64x2.extract_lane(high, 1));
  for (; i < count; i++) {
    const x = <f64>load<f32>(values + (<usize>i << 2));
    sum += x * x;
  }
  return sum;
}

const GELU_SCALE: f32 = 0.7978845608028654; // √(2/π)
const GELU_CUBIC: f32 = 0.044715;

/** GELU, tanh approximation: out = ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function geluForward(out: usize, input: usize, count: i32): void {
  const half = f32x4.splat(0.5);
  const one = f32x4.splat(1);
  const s = f32x4.splat(GELU_SCALE);
  const c = f32x4.splat(GELU_CUBIC);
  for (let i = 0; i < count; i += 4) {
    const x = i + 4 <= count ? v128.load(input + (<usize>i << 2)) : loadTail(input + (<usize>i << 2), count - i);
    const cube = f32x4.mul(f32x4.mul(x, x), x);
    const t = tanh4(f32x4.mul(s, f32x4.add(x, f32x4.mul(c, cube))));
    const y = f32x4.mul(f32x4.mul(half, x), f32x4.add(one, t));
    storeTail(out + (<usize>i << 2), y, min(4, count - i));
  }
}

/** dInput += dOut · GELU′(input). */
export function geluBackward(dInput: usize, dOut: usize, input: usize, count: i32): void {
  const half = f32x4.splat(0.5);
  const one = f32x4.splat(1);
  const s = f32x4.splat(GELU_SCALE);
  const c = f32x4.splat(GELU_CUBIC);
  const c3 = f32x4.splat(3 * GELU_CUBIC);
  for (let i = 0; i < count; i += 4) {
    const lanes = min(4, count - i);
    const at = <usize>i << 2;
    const x = lanes == 4 ? v128.load(input + at) : loadTail(input + at, lanes);
    const x2 = f32x4.mul(x, x);
    const t = tanh4(f32x4.mul(s, f32x4.add(x, f32x4.mul(c, f32x4.mul(x2, x)))));
    // ½(1 + t) + ½x(1 − t²)·s·(1 + 3c·x²)
    const derivative = f32x4.add(
      f32x4.mul(half, f32x4.add(one, t)),
      f32x4.mul(f32x4.mul(f32x4.mul(half, x), f32x4.sub(one, f32x4.mul(t, t))), f32x4.mul(s, f32x4.add(one, f32x4.mul(c3, x2)))),
    );
    const g = lanes == 4 ? v128.load(dOut + at) : loadTail(dOut + at, lanes);
    addLanes(dInput + at, f32x4.mul(g, derivative), lanes);
  }
}

/** The first `count` (1…3) floats at `source`, zeros in the other lanes. */
@inline function loadTail(source: usize, count: i32): v128 {
  let v = zero();
  v = f32x4.replace_lane(v, 0, load<f32>(source));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(source, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(source, 8));
  return v;
}

@inline function storeTail(target: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(target, v);
    return;
  }
  store<f32>(target, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(target, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(target, f32x4.extract_lane(v, 2), 8);
}

/** Σ a[i]·b[i] for i < count: four lanes over the multiples of four, then the tail, in order. */
@inline function dot(a: usize, b: usize, count: i32): f32 {
  let acc = zero();
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    acc = mad(acc, v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2)));
  }
  let sum = horizontalSum(acc);
  for (; i < count; i++) {
    sum += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  }
  return sum;
}

/** target[i] += factor·source[i] for i < count. */
@inline function axpy(target: usize, factor: f32, source: usize, count: i32): void {
  const f = f32x4.splat(factor);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = target + (<usize>i << 2);
    v128.store(o, mad(v128.load(o), f, v128.load(source + (<usize>i << 2))));
  }
  for (; i < count; i++) {
    const o = target + (<usize>i << 2);
    store<f32>(o, load<f32>(o) + factor * load<f32>(source + (<usize>i << 2)));
  }
}

// ---- layer norm --------------------------------------------------------------------------------

const LAYER_NORM_EPSILON: f32 = 1e-5;

/** Σ values[i] for i < count, four lanes then the tail. */
@inline function sum(values: usize, count: i32): f32 {
  let acc = zero();
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    acc = f32x4.add(acc, v128.load(values + (<usize>i << 2)));
  }
  let total = horizontalSum(acc);
  for (; i < count; i++) {
    total += load<f32>(values + (<usize>i << 2));
  }
  return total;
}

export function layerNormForward(out: usize, mean: usize, inverseDeviation: usize, input: usize, weight: usize, bias: usize, rows: i32, width: i32): void {
  const rowBytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) {
    const x = input + <usize>r * rowBytes;
    const y = out + <usize>r * rowBytes;
    const rowMean = sum(x, width) / <f32>width;
    const m = f32x4.splat(rowMean);
    let acc = zero();
    let i = 0;
    for (; i + 4 <= width; i += 4) {
      const centred = f32x4.sub(v128.load(x + (<usize>i << 2)), m);
      acc = mad(acc, centred, centred);
    }
    let squares = horizontalSum(acc);
    for (; i < width; i++) {
      const centred = load<f32>(x + (<usize>i << 2)) - rowMean;
      squares += centred * centred;
    }
    const rowInverse = <f32>1 / Mathf.sqrt(squares / <f32>width + LAYER_NORM_EPSILON);
    const inv = f32x4.splat(rowInverse);
    i = 0;
    for (; i + 4 <= width; i += 4) {
      const at = <usize>i << 2;
      const normalized = f32x4.mul(f32x4.sub(v128.load(x + at), m), inv);
      v128.store(y + at, f32x4.add(f32x4.mul(normalized, v128.load(weight + at)), v128.load(bias + at)));
    }
    for (; i < width; i++) {
      const at = <usize>i << 2;
      store<f32>(y + at, (load<f32>(x + at) - rowMean) * rowInverse * load<f32>(weight + at) + load<f32>(bias + at));
    }
    store<f32>(mean + (<usize>r << 2), rowMean);
    store<f32>(inverseDeviation + (<usize>r << 2), rowInverse);
  }
}

/** dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), dx̂ = dy·weight; dWeight += dy·x̂, dBias += dy. */
export function layerNormBackward(
  dInput: usize, dWeight: usize, dBias: usize, dOut: usize, input: usize, mean: usize, inverseDeviation: usize,
  weight: usize, rows: i32, width: i32,
): void {
  const rowBytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) {
    const x = input + <usize>r * rowBytes;
    const dy = dOut + <usize>r * rowBytes;
    const dx = dInput + <usize>r * rowBytes;
    const rowMean = load<f32>(mean + (<usize>r << 2));
    const rowInverse = load<f32>(inverseDeviation + (<usize>r << 2));
    const m = f32x4.splat(rowMean);
    const inv = f32x4.splat(rowInverse);
    let sumAcc = zero();
    let dotAcc = zero();
    let i = 0;
    for (; i + 4 <= width; i += 4) {
      const at = <usize>i << 2;
      const normalized = f32x4.mul(f32x4.sub(v128.load(x + at), m), inv);
      const g = v128.load(dy + at);
      const dNormalized = f32x4.mul(g, v128.load(weight + at));
      sumAcc = f32x4.add(sumAcc, dNormalized);
      dotAcc = mad(dotAcc, dNormalized, normalized);
      v128.store(dWeight + at, mad(v128.load(dWeight + at), g, normalized));
      v128.store(dBias + at, f32x4.add(v128.load(dBias + at), g));
    }
    let dNormalizedSum = horizontalSum(sumAcc);
    let dNormalizedDot = horizontalSum(dotAcc);
    for (; i < width; i++) {
      const at = <usize>i << 2;
      const normalized = (load<f32>(x + at) - rowMean) * rowInverse;
      const g = load<f32>(dy + at);
      const dNormalized = g * load<f32>(weight + at);
      dNormalizedSum += dNormalized;
      dNormalizedDot += dNormalized * normalized;
      store<f32>(dWeight + at, load<f32>(dWeight + at) + g * normalized);
      store<f32>(dBias + at, load<f32>(dBias + at) + g);
    }
    const meanD = dNormalizedSum / <f32>width;
    const meanDot = dNormalizedDot / <f32>width;
    const meanDv = f32x4.splat(meanD);
    const meanDotV = f32x4.splat(meanDot);
    i = 0;
    for (; i + 4 <= width; i += 4) {
      const at = <usize>i << 2;
      const normalized = f32x4.mul(f32x4.sub(v128.load(x + at), m), inv);
      const dNormalized = f32x4.mul(v128.load(dy + at), v128.load(weight + at));
      const term = f32x4.sub(f32x4.sub(dNormalized, meanDv), f32x4.mul(normalized, meanDotV));
      v128.store(dx + at, mad(v128.load(dx + at), inv, term));
    }
    for (; i < width; i++) {
      const at = <usize>i << 2;
      const normalized = (load<f32>(x + at) - rowMean) * rowInverse;
      const dNormalized = load<f32>(dy + at) * load<f32>(weight + at);
      store<f32>(dx + at, load<f32>(dx + at) + rowInverse * (dNormalized - meanD - normalized * meanDot));
    }
  }
}

// ---- attention ---------------------------------------------------------------------------------

/**
 * Softmax attention of one query row over keys/values 0…last of one sequence and head: writes the
 * weights at `weights` (last + 1 floats) and the output head slice at `output` (headSize floats).
 * `sequence` addresses the sequence's first qkv row; rows are qkvRowBytes apart; keys sit `width`
 * floats after the queries, values 2·width after.
 */
@inline function attendRow(
  output: usize, weights: usize, query: usize, sequence: usize, last: i32,
  qkvRowBytes: usize, keyOffset: usize, valueOffset: usize, headSize: i32, scaleFactor: f32,
): void {
  let maximum: f32 = -Infinity;
  let key = sequence + keyOffset;
  for (let u = 0; u <= last; u++) {
    const score = dot(query, key, headSize) * scaleFactor;
    store<f32>(weights + (<usize>u << 2), score);
    maximum = max(maximum, score);
    key += qkvRowBytes;
  }
  const m = f32x4.splat(maximum);
  const count = last + 1;
  let acc = zero();
  let u = 0;
  for (; u + 4 <= count; u += 4) {
    const at = weights + (<usize>u << 2);
    const e = exp4(f32x4.sub(v128.load(at), m));
    v128.store(at, e);
    acc = f32x4.add(acc, e);
  }
  let total = horizontalSum(acc);
  for (; u < count; u++) {
    const at = weights + (<usize>u << 2);
    const e = exp1(load<f32>(at) - maximum);
    store<f32>(at, e);
    total += e;
  }
  for (let i = 0; i < headSize; i++) {
    store<f32>(output + (<usize>i << 2), 0);
  }
  let value = sequence + valueOffset;
  for (u = 0; u < count; u++) {
    const at = weights + (<usize>u << 2);
    const weight = load<f32>(at) / total;
    store<f32>(at, weight);
    axpy(output, weight, value, headSize);
    value += qkvRowBytes;
  }
}

/**
 * Causal multi-head self-attention over `sequences` sequences of `length` rows of qkv [3·width]
 * (queries, keys, values), outputs for positions firstQuery…length−1 of each; probabilities
 * [sequences×heads×length×length] keep the softmax weights for backward.
 */
export function attentionForward(out: usize, probabilities: usize, qkv: usize, sequences: i32, length: i32, heads: i32, width: i32, firstQuery: i32): void {
  const headSize = width / heads;
  const scaleFactor = <f32>1 / Mathf.sqrt(<f32>headSize);
  const qkvRowBytes = <usize>(3 * width) << 2;
  const queries = length - firstQuery;
  for (let s = 0; s < sequences; s++) {
    const sequence = qkv + <usize>(s * length) * qkvRowBytes;
    for (let h = 0; h < heads; h++) {
      const headBytes = <usize>(h * headSize) << 2;
      for (let t = firstQuery; t < length; t++) {
        const weights = probabilities + (<usize>(((s * heads + h) * length + t) * length) << 2);
        const output = out + (<usize>((s * queries + t - firstQuery) * width) << 2) + headBytes;
        attendRow(output, weights, sequence + <usize>t * qkvRowBytes + headBytes, sequence + headBytes, t,
          qkvRowBytes, <usize>width << 2, <usize>(2 * width) << 2, headSize, scaleFactor);
      }
    }
  }
}

export function attentionBackward(dQkv: usize, dOut: usize, probabilities: usize, qkv: usize, sequences: i32, length: i32, heads: i32, width: i32, scratch: usize): void {
  const headSize = width / heads;
  const scaleFactor = <f32>1 / Mathf.sqrt(<f32>headSize);
  const qkvRowBytes = <usize>(3 * width) << 2;
  const keyOffset = <usize>width << 2;
  const valueOffset = <usize>(2 * width) << 2;
  for (let s = 0; s < sequences; s++) {
    const sequenceRow = s * length;
    for (let h = 0; h < heads; h++) {
      const headBytes = <usize>(h * headSize) << 2;
      const sequence = qkv + <usize>sequenceRow * qkvRowBytes + headBytes;
      const dSequence = dQkv + <usize>sequenceRow * qkvRowBytes + headBytes;
      for (let t = 0; t < length; t++) {
        const query = sequence + <usize>t * qkvRowBytes;
        const dQuery = dSequence + <usize>t * qkvRowBytes;
        const weights = probabilities + (<usize>(((s * heads + h) * length + t) * length) << 2);
        const output = dOut + (<usize>((sequenceRow + t) * width) << 2) + headBytes;
        // Through the weighted sum of values: gradients of the weights and of the values.
        let weightedSum: f32 = 0;
        for (let u = 0; u <= t; u++) {
          const value = sequence + <usize>u * qkvRowBytes + valueOffset;
          const weight = load<f32>(weights + (<usize>u << 2));
          const dWeight = dot(output, value, headSize);
          axpy(dSequence + <usize>u * qkvRowBytes + valueOffset, weight, output, headSize);
          store<f32>(scratch + (<usize>u << 2), dWeight);
          weightedSum += weight * dWeight;
        }
        // Through the softmax, then the scaled dot products: gradients of the query and the keys.
        for (let u = 0; u <= t; u++) {
          const key = sequence + <usize>u * qkvRowBytes + keyOffset;
          const dScore = load<f32>(weights + (<usize>u << 2)) * (load<f32>(scratch + (<usize>u << 2)) - weightedSum) * scaleFactor;
          axpy(dQuery, dScore, key, headSize);
          axpy(dSequence + <usize>u * qkvRowBytes + keyOffset, dScore, query, headSize);
        }
      }
    }
  }
}

/** The horizontal sums of four vectors, (l0 + l1) + (l2 + l3) each as horizontalSum adds them, as one vector. */
@inline function horizontalSums(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const u0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
  const u1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
  const u2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
  const u3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
  const l0 = v128.shuffle<f32>(u0, u1, 0, 1, 4, 5);
  const l1 = v128.shuffle<f32>(u0, u1, 2, 3, 6, 7);
  const l2 = v128.shuffle<f32>(u2, u3, 0, 1, 4, 5);
  const l3 = v128.shuffle<f32>(u2, u3, 2, 3, 6, 7);
  return f32x4.add(f32x4.add(l0, l1), f32x4.add(l2, l3));
}

/**
 * The scaled scores of `queries` (1 or 2) query rows, `queryRowBytes` apart, against keys 0…count−1
 * (rows qkvRowBytes apart from `key`), into `weights` (the second query's at weights + weightRowBytes).
 * Blocks of four keys run at once, their four dot products' lanes summed by one transpose; each score
 * is the very float32 operations of dot(query, key) · scale (headSize a multiple of 4).
 */
@inline function scoreKeys(
  weights: usize, weightRowBytes: usize, query: usize, queryRowBytes: usize, queries: i32,
  key: usize, count: i32, qkvRowBytes: usize, headSize: i32, scaleFactor: f32,
): void {
  const scale = f32x4.splat(scaleFactor);
  const second = query + queryRowBytes;
  let u = 0;
  for (; u + 4 <= count; u += 4) {
    const k0 = key + <usize>u * qkvRowBytes;
    const k1 = k0 + qkvRowBytes;
    const k2 = k1 + qkvRowBytes;
    const k3 = k2 + qkvRowBytes;
    let a0 = zero(), a1 = zero(), a2 = zero(), a3 = zero();
    let b0 = zero(), b1 = zero(), b2 = zero(), b3 = zero();
    for (let i = 0; i < headSize; i += 4) {
      const at = <usize>i << 2;
      const x0 = v128.load(k0 + at);
      const x1 = v128.load(k1 + at);
      const x2 = v128.load(k2 + at);
      const x3 = v128.load(k3 + at);
      const q = v128.load(query + at);
      a0 = mad(a0, q, x0);
      a1 = mad(a1, q, x1);
      a2 = mad(a2, q, x2);
      a3 = mad(a3, q, x3);
      if (queries == 2) {
        const r = v128.load(second + at);
        b0 = mad(b0, r, x0);
        b1 = mad(b1, r, x1);
        b2 = mad(b2, r, x2);
        b3 = mad(b3, r, x3);
      }
    }
    v128.store(weights + (<usize>u << 2), f32x4.mul(horizontalSums(a0, a1, a2, a3), scale));
    if (queries == 2) {
      v128.store(weights + weightRowBytes + (<usize>u << 2), f32x4.mul(horizontalSums(b0, b1, b2, b3), scale));
    }
  }
  for (; u < count; u++) {
    const k = key + <usize>u * qkvRowBytes;
    store<f32>(weights + (<usize>u << 2), dot(query, k, headSize) * scaleFactor);
    if (queries == 2) {
      store<f32>(weights + weightRowBytes + (<usize>u << 2), dot(second, k, headSize) * scaleFactor);
    }
  }
}

/** Scores 0…last at `weights` become softmax weights, by attendRow's float32 operations (max, exp in blocks of four, sum, division). */
@inline function softmaxWeights(weights: usize, last: i32): void {
  let maximum: f32 = -Infinity;
  for (let u = 0; u <= last; u++) {
    maximum = max(maximum, load<f32>(weights + (<usize>u << 2)));
  }
  const m = f32x4.splat(maximum);
  const count = last + 1;
  let acc = zero();
  let u = 0;
  for (; u + 4 <= count; u += 4) {
    const at = weights + (<usize>u << 2);
    const e = exp4(f32x4.sub(v128.load(at), m));
    v128.store(at, e);
    acc = f32x4.add(acc, e);
  }
  let total = horizontalSum(acc);
  for (; u < count; u++) {
    const at = weights + (<usize>u << 2);
    const e = exp1(load<f32>(at) - maximum);
    store<f32>(at, e);
    total += e;
  }
  const t = f32x4.splat(total);
  for (u = 0; u + 4 <= count; u += 4) {
    const at = weights + (<usize>u << 2);
    v128.store(at, f32x4.div(v128.load(at), t));
  }
  for (; u < count; u++) {
    const at = weights + (<usize>u << 2);
    store<f32>(at, load<f32>(at) / total);
  }
}

/**
 * output = Σ_u weights[u]·value_u over u < count for `queries` (1 or 2) rows (the second's weights and
 * output weightRowBytes and outputRowBytes further, with `extra` more values: its last key is one
 * further), summed in registers over u in order, 16 then 4 floats of the head at a time: each element
 * is attendRow's sequence of float32 multiplies and adds (headSize a multiple of 4).
 */
@inline function weighValues(
  output: usize, outputRowBytes: usize, weights: usize, weightRowBytes: usize, queries: i32, extra: i32,
  value: usize, count: i32, qkvRowBytes: usize, headSize: i32,
): void {
  let i = 0;
  for (; i + 16 <= headSize; i += 16) {
    let a0 = zero(), a1 = zero(), a2 = zero(), a3 = zero();
    let b0 = zero(), b1 = zero(), b2 = zero(), b3 = zero();
    let v = value + (<usize>i << 2);
    for (let u = 0; u < count; u++) {
      const x0 = v128.load(v);
      const x1 = v128.load(v, 16);
      const x2 = v128.load(v, 32);
      const x3 = v128.load(v, 48);
      const w = v128.load32_splat(weights + (<usize>u << 2));
      a0 = mad(a0, w, x0);
      a1 = mad(a1, w, x1);
      a2 = mad(a2, w, x2);
      a3 = mad(a3, w, x3);
      if (queries == 2) {
        const y = v128.load32_splat(weights + weightRowBytes + (<usize>u << 2));
        b0 = mad(b0, y, x0);
        b1 = mad(b1, y, x1);
        b2 = mad(b2, y, x2);
        b3 = mad(b3, y, x3);
      }
      v += qkvRowBytes;
    }
    const o = output + (<usize>i << 2);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
    if (queries == 2) {
      for (let u = count; u < count + extra; u++) {
        const y = v128.load32_splat(weights + weightRowBytes + (<usize>u << 2));
        b0 = mad(b0, y, v128.load(v));
        b1 = mad(b1, y, v128.load(v, 16));
        b2 = mad(b2, y, v128.load(v, 32));
        b3 = mad(b3, y, v128.load(v, 48));
        v += qkvRowBytes;
      }
      const p = o + outputRowBytes;
      v128.store(p, b0);
      v128.store(p, b1, 16);
      v128.store(p, b2, 32);
      v128.store(p, b3, 48);
    }
  }
  for (; i < headSize; i += 4) {
    let a = zero(), b = zero();
    let v = value + (<usize>i << 2);
    for (let u = 0; u < count; u++) {
      const x = v128.load(v);
      a = mad(a, v128.load32_splat(weights + (<usize>u << 2)), x);
      if (queries == 2) {
        b = mad(b, v128.load32_splat(weights + weightRowBytes + (<usize>u << 2)), x);
      }
      v += qkvRowBytes;
    }
    v128.store(output + (<usize>i << 2), a);
    if (queries == 2) {
      for (let u = count; u < count + extra; u++) {
        b = mad(b, v128.load32_splat(weights + weightRowBytes + (<usize>u << 2)), v128.load(v));
        v += qkvRowBytes;
      }
      v128.store(output + outputRowBytes + (<usize>i << 2), b);
    }
  }
}

/**
 * Attention of rows that each belong to a sequence held in a KV cache: row r is position
 * positions[r] of cache slot slots[r], whose qkv rows (context of them per slot) are already in
 * `cache`; it attends over positions 0…positions[r]. out has one row [width] per row. `scratch`
 * holds 2·context floats.
 *
 * A prompt chunk's rows (consecutive positions of one slot) run two at a time: every key and value
 * loaded once serves both queries, four keys' scores are summed at once, and the weighted values add
 * up in registers. Each output is still attendRow's exact float32 operations, so a row gives the same
 * bits whether it runs alone, in a pair, or in a training pass (heads of a size not a multiple of 4
 * run attendRow itself).
 */
export function cachedAttention(out: usize, cache: usize, slots: usize, positions: usize, rows: i32, heads: i32, width: i32, context: i32, scratch: usize): void {
  const headSize = width / heads;
  const scaleFactor = <f32>1 / Mathf.sqrt(<f32>headSize);
  const qkvRowBytes = <usize>(3 * width) << 2;
  const keyOffset = <usize>width << 2;
  const valueOffset = <usize>(2 * width) << 2;
  const outRowBytes = <usize>width << 2;
  const weightRowBytes = <usize>context << 2;
  let r = 0;
  while (r < rows) {
    const slot = load<i32>(slots + (<usize>r << 2));
    const position = load<i32>(positions + (<usize>r << 2));
    const sequence = cache + <usize>(slot * context) * qkvRowBytes;
    const paired = r + 1 < rows && load<i32>(slots + (<usize>(r + 1) << 2)) == slot && load<i32>(positions + (<usize>(r + 1) << 2)) == position + 1;
    const queries = paired ? 2 : 1;
    for (let h = 0; h < heads; h++) {
      const headBytes = <usize>(h * headSize) << 2;
      const output = out + <usize>r * outRowBytes + headBytes;
      const query = sequence + <usize>position * qkvRowBytes + headBytes;
      if (headSize & 3) {
        attendRow(output, scratch, query, sequence + headBytes, position, qkvRowBytes, keyOffset, valueOffset, headSize, scaleFactor);
        if (paired) {
          attendRow(output + outRowBytes, scratch, query + qkvRowBytes, sequence + headBytes, position + 1, qkvRowBytes, keyOffset, valueOffset, headSize, scaleFactor);
        }
        continue;
      }
      const key = sequence + headBytes + keyOffset;
      const value = sequence + headBytes + valueOffset;
      // Each call with a constant number of queries, so that the inlined loops lose the other's branches.
      if (paired) {
        scoreKeys(scratch, weightRowBytes, query, qkvRowBytes, 2, key, position + 1, qkvRowBytes, headSize, scaleFactor);
        // The second query's own key, one past the first's last.
        const own = scratch + weightRowBytes + (<usize>(position + 1) << 2);
        store<f32>(own, dot(query + qkvRowBytes, key + <usize>(position + 1) * qkvRowBytes, headSize) * scaleFactor);
        softmaxWeights(scratch, position);
        softmaxWeights(scratch + weightRowBytes, position + 1);
        weighValues(output, outRowBytes, scratch, weightRowBytes, 2, 1, value, position + 1, qkvRowBytes, headSize);
      } else {
        scoreKeys(scratch, weightRowBytes, query, qkvRowBytes, 1, key, position + 1, qkvRowBytes, headSize, scaleFactor);
        softmaxWeights(scratch, position);
        weighValues(output, outRowBytes, scratch, weightRowBytes, 1, 0, value, position + 1, qkvRowBytes, headSize);
      }
    }
    r += queries;
  }
}

// ---- loss --------------------------------------------------------------------------------------

/**
 * Softmax cross-entropy of each row of logits against its target (int32 at `targets`); returns the
 * summed loss (float64). When dLogits ≠ 0 (it may equal logits), writes (softmax − onehot)·gradientScale.
 */
export function crossEntropy(logits: usize, targets: usize, rows: i32, vocabSize: i32, dLogits: usize, gradientScale: f32): f64 {
  let loss: f64 = 0;
  const rowBytes = <usize>vocabSize << 2;
  for (let r = 0; r < rows; r++) {
    const x = logits + <usize>r * rowBytes;
    const target = load<i32>(targets + (<usize>r << 2));
    let maxAcc = f32x4.splat(-Infinity);
    let v = 0;
    for (; v + 4 <= vocabSize; v += 4) {
      maxAcc = f32x4.max(maxAcc, v128.load(x + (<usize>v << 2)));
    }
    let maximum = horizontalMax(maxAcc);
    for (; v < vocabSize; v++) {
      maximum = max(maximum, load<f32>(x + (<usize>v << 2)));
    }
    const targetLogit = load<f32>(x + (<usize>target << 2));
    const m = f32x4.splat(maximum);
    const d = dLogits + <usize>r * rowBytes;
    let acc = zero();
    v = 0;
    for (; v + 4 <= vocabSize; v += 4) {
      const e = exp4(f32x4.sub(v128.load(x + (<usize>v << 2)), m));
      if (dLogits != 0) v128.store(d + (<usize>v << 2), e);
      acc = f32x4.add(acc, e);
    }
    let total = horizontalSum(acc);
    for (; v < vocabSize; v++) {
      const e = exp1(load<f32>(x + (<usize>v << 2)) - maximum);
      if (dLogits != 0) store<f32>(d + (<usize>v << 2), e);
      total += e;
    }
    loss += Math.log(<f64>total) + <f64>maximum - <f64>targetLogit;
    if (dLogits != 0) {
      scale(d, vocabSize, gradientScale / total);
      const t = d + (<usize>target << 2);
      store<f32>(t, load<f32>(t) - gradientScale);
    }
  }
  return loss;
}

// ---- optimizer ---------------------------------------------------------------------------------

/**
 * AdamW's moment updates and step over parameters [start, end) (the decoupled weight decay is a
 * `scale` of the decayed tensors before): m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g²,
 * θ −= lr·m·c1 / (√(v·c2) + ε), with c1, c2 the bias corrections.
 */
export function adamW(
  parameters: usize, gradient: usize, firstMoment: usize, secondMoment: usize, count: i32,
  learningRate: f32, beta1: f32, beta2: f32, epsilon: f32, firstCorrection: f32, secondCorrection: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const ob1 = f32x4.splat(<f32>1 - beta1);
  const ob2 = f32x4.splat(<f32>1 - beta2);
  const lr = f32x4.splat(learningRate);
  const eps = f32x4.splat(epsilon);
  const c1 = f32x4.splat(firstCorrection);
  const c2 = f32x4.splat(secondCorrection);
  for (let i = 0; i < count; i += 4) {
    const lanes = min(4, count - i);
    const at = <usize>i << 2;
    const g = lanes == 4 ? v128.load(gradient + at) : loadTail(gradient + at, lanes);
    const mOld = lanes == 4 ? v128.load(firstMoment + at) : loadTail(firstMoment + at, lanes);
    const vOld = lanes == 4 ? v128.load(secondMoment + at) : loadTail(secondMoment + at, lanes);
    const p = lanes == 4 ? v128.load(parameters + at) : loadTail(parameters + at, lanes);
    const m = f32x4.add(f32x4.mul(b1, mOld), f32x4.mul(ob1, g));
    const v = f32x4.add(f32x4.mul(b2, vOld), f32x4.mul(f32x4.mul(ob2, g), g));
    const step = f32x4.div(f32x4.mul(f32x4.mul(lr, m), c1), f32x4.add(f32x4.sqrt(f32x4.mul(v, c2)), eps));
    storeTail(firstMoment + at, m, lanes);
    storeTail(secondMoment + at, v, lanes);
    storeTail(parameters + at, f32x4.sub(p, step), lanes);
  }
}
