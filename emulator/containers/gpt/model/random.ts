// A seeded pseudo-random generator whose whole state is four 32-bit words, so that a checkpoint can
// save it and a resumed run draws exactly the numbers the uninterrupted run would have drawn.
// Algorithm: xoshiro128** (Blackman & Vigna), seeded through splitmix32.

export type RandomState = [number, number, number, number];

export class Random {
  private readonly state: Uint32Array;

  private constructor(state: RandomState) {
    this.state = Uint32Array.from(state);
  }

  static fromSeed(seed: number): Random {
    let mix = seed >>> 0;
    const next = (): number => {
      mix = (mix + 0x9e3779b9) >>> 0;
      let z = mix;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    return new Random([next(), next(), next(), next()]);
  }

  static fromState(state: RandomState): Random {
    if (state.length !== 4 || state.every((word) => word === 0)) {
      throw new Error('a random state is four 32-bit words, not all zero');
    }
    return new Random(state);
  }

  getState(): RandomState {
    const [a, b, c, d] = this.state;
    return [a, b, c, d];
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotateLeft(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotateLeft(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1), with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, bound), without modulo bias. */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 4294967296) {
      throw new RangeError(`bound must be an integer in [1, 2^32], got ${bound}`);
    }
    const limit = 4294967296 - (4294967296 % bound);
    let value: number;
    do {
      value = this.nextUint32();
    } while (value >= limit);
    return value % bound;
  }

  /** A standard normal sample (Box–Muller; the second value is dropped to keep the state four words). */
  nextGaussian(): number {
    const u = 1 - this.nextFloat(); // (0, 1]: log(0) is never taken
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

function rotateLeft(x: number, bits: number): number {
  return ((x << bits) | (x >>> (32 - bits))) >>> 0;
}
