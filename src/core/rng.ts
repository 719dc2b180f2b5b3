/**
 * The seeded pseudo-random generator behind every random choice of a run: initial weights,
 * generated data and each epoch's shuffle.
 *
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna, 2018, https://prng.di.unimi.it/), 128 bits of
 * state and 32-bit outputs. Its state is filled from the config's `seed` (as 64 bits) and a
 * stream number with MurmurHash3's fmix32 finaliser, chained so that different (seed, stream)
 * pairs always give different states; the first 8 outputs are discarded. Each purpose has its
 * own stream, so turning shuffling off does not change the initial weights, and adding an
 * epoch does not change the data.
 *
 * Not `Math.random`: a run must be reproducible byte for byte from its config.
 */

/** Independent streams of one seed. The numbers are part of the reproducibility contract. */
export const RngStream = { init: 1, data: 2, shuffle: 3 } as const;
export type RngStreamId = (typeof RngStream)[keyof typeof RngStream];

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed` is any safe integer (negative ones too); `stream` picks an independent sequence. */
  constructor(seed: number, stream: RngStreamId) {
    const low = seed % TWO_POW_32 >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    // Each word is a bijection of one key word given the ones before: (low, high, stream) ↦ (s0, s1, s2) is one-to-one.
    this.s0 = fmix32(low ^ 0x9e3779b9);
    this.s1 = fmix32(high ^ 0x85ebca6b ^ rotl(this.s0, 13));
    this.s2 = fmix32(stream ^ 0xc2b2ae35 ^ rotl(this.s1, 7));
    this.s3 = fmix32(this.s0 ^ this.s1 ^ this.s2 ^ 0x27d4eb2f);
    for (let i = 0; i < 8; i++) this.nextUint32();
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with all 53 bits of a double random (two outputs per call). */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.nextFloat();
  }

  /** Standard normal, by the Box–Muller transform (one pair of uniforms per value). */
  normal(): number {
    const u = 1 - this.nextFloat(); // in (0, 1], so the logarithm is finite
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n), by rejection so that every value is equally likely. */
  below(n: number): number {
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Fisher–Yates (Durstenfeld) shuffle in place. */
  shuffle(values: Int32Array): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
