/**
 * A random number generator that reproduces PyTorch 1.13's CPU generator: the
 * same seed gives the same `rand`, `randint`, `randperm`, `multinomial`,
 * `exponential_`, `bernoulli_` and `randn` as `torch.Generator().manual_seed(seed)`, bit for
 * bit against the fixtures in testdata/random (Debian's torch 1.13.1, x86-64,
 * AVX2 kernels, no MKL; `randn` from 16 values on depends on the CPU kernel,
 * see {@linkcode GeneratorOptions}).
 *
 * @module
 */

import { TWO_POW_M24, TWO_POW_M53 } from "./bits.ts";
import { MT19937, type MT19937State } from "./mt19937.ts";
import {
  bernoulliFill,
  checkBernoulli,
  checkExponential,
  checkIntegers,
  checkNormal,
  checkPermutation,
  checkState,
  checkUniform,
  exponentialFill,
  integersFill,
  permutation,
  toSeed,
  uniformFill,
} from "./draws.ts";
import { checkMultinomial, multinomialSample } from "./multinomial.ts";
import { checkOneOf, checkOptions } from "../validate.ts";
import { boxMullerDouble, type CpuCapability, normalFill } from "./normal.ts";

export type { CpuCapability };

/** PyTorch's default seed for its default CPU generator (`default_rng_seed_val`). */
export const DEFAULT_SEED = 67280421310721n;

/** Options of {@linkcode Generator}. */
export interface GeneratorOptions {
  /**
   * Which of PyTorch's CPU kernels to reproduce where they differ in the last
   * bits (`randn` of 16 or more values, `uniform` with bounds other than 0 and
   * 1): `"avx2"` (the default: what PyTorch runs on x86-64) or `"default"`
   * (`ATEN_CPU_CAPABILITY=default`, and close to what non-x86 builds do).
   */
  cpuCapability?: CpuCapability;
}

/** A saved {@linkcode Generator} state (engine words, seed, cached normal sample). */
export interface GeneratorState {
  /** The seed last given to `manualSeed` (as an unsigned 64-bit value). */
  readonly seed: bigint;
  /** The MT19937 engine state. */
  readonly engine: MT19937State;
  /** The cached second Box–Muller sample, or null. */
  readonly nextNormal: number | null;
}

/**
 * A seedable generator, bit-compatible with `torch.Generator()` on the CPU.
 * All draws of one call are consumed in PyTorch's order, so a sequence of calls
 * reproduces the same sequence of torch calls on one generator.
 *
 * @example The bigram lecture's first numbers
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * const g = new Generator(2147483647);
 * const p = Array.from(g.uniform(3), (v) => v.toFixed(4));
 * deepEqual(p, ["0.7081", "0.3542", "0.1054"]);
 * ```
 */
export class Generator {
  #engine = new MT19937();
  #seed = DEFAULT_SEED;
  #nextNormal: number | null = null;
  #keep = (v: number): void => {
    this.#nextNormal = v;
  };
  #capability: CpuCapability;

  /**
   * Creates a generator seeded like `torch.Generator().manual_seed(seed)`.
   *
   * @param seed the seed (default PyTorch's default seed 67280421310721)
   * @param options which CPU kernels to reproduce (default `{ cpuCapability: "avx2" }`)
   * @throws {RangeError} when the seed is not a safe integer or the capability is unknown
   * @throws {TypeError} when the seed is not a number or bigint
   */
  constructor(seed: number | bigint = DEFAULT_SEED, options: GeneratorOptions = {}) {
    const o = checkOptions("Generator", options, ["cpuCapability"]);
    this.#capability = checkOneOf(
      "Generator",
      "cpuCapability",
      o.cpuCapability ?? "avx2",
      [
        "avx2",
        "default",
      ] as const,
    );
    this.manualSeed(seed);
  }

  /**
   * Reseeds like `g.manual_seed(seed)`: the engine restarts from the low 32
   * bits of the seed and the cached normal sample is dropped.
   *
   * @param seed an integer (negative values wrap like torch's uint64 cast)
   * @returns this generator
   * @throws {RangeError} when the seed is not a safe integer
   * @throws {TypeError} when the seed is not a number or bigint
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * const g = new Generator(42);
   * const a = g.uniform(5);
   * deepEqual(g.manualSeed(42).uniform(5), a);
   * ```
   */
  manualSeed(seed: number | bigint): this {
    this.#seed = toSeed(seed);
    this.#engine.seed(Number(this.#seed & 0xffffffffn));
    this.#nextNormal = null;
    return this;
  }

  /**
   * The seed this generator was last seeded with, like `g.initial_seed()`.
   *
   * @returns the seed as an unsigned 64-bit bigint
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * equal(new Generator(7).initialSeed(), 7n);
   * ```
   */
  initialSeed(): bigint {
    return this.#seed;
  }

  /**
   * `n` floats uniform on [low, high), like `torch.rand(n)` (and `uniform_`).
   * Each value is the low 24 bits of one 32-bit draw times 2^-24, then
   * `x * (high - low) + low` in float32.
   *
   * @param n how many values
   * @param low lower bound (default 0)
   * @param high upper bound (default 1)
   * @returns the values
   * @throws {RangeError} when n is not a non-negative integer
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * const u = new Generator(1).uniform(100, -2, 3);
   * ok(u.every((v) => v >= -2 && v < 3));
   * ```
   */
  uniform(n: number, low = 0, high = 1): Float32Array {
    checkUniform(n, low, high);
    return uniformFill(this, n, low, high, this.#capability);
  }

  /**
   * `n` normal samples, like `torch.randn(n)` (or `normal_(mean, std)`): a
   * double Box–Muller below 16 values, the AVX2 float32 `normal_fill` from 16
   * on (see normal.ts).
   *
   * @param n how many values
   * @param mean the mean (default 0)
   * @param std the standard deviation (default 1)
   * @returns the samples
   * @throws {RangeError} when n is not a non-negative integer
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * const x = new Generator(2147483647).normal(54); // C = torch.randn((27, 2), generator=g)
   * equal(x[0].toFixed(4), "1.5674");
   * ```
   */
  normal(n: number, mean = 0, std = 1): Float32Array {
    checkNormal(n, mean, std);
    return normalFill(this, n, mean, std, this.#capability);
  }

  /**
   * `n` integers uniform on [low, high), like `torch.randint(low, high, (n,))`:
   * `draw % (high - low) + low`, with one 32-bit draw per value when the range
   * is below 2^32 and one 64-bit draw (two 32-bit draws) otherwise.
   *
   * @param low smallest value
   * @param high one past the largest value
   * @param n how many values
   * @returns the values
   * @throws {RangeError} when low >= high, the bounds are not int32-representable
   *   integers, or n is not a non-negative integer
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * const ix = new Generator(42).integers(0, 27, 1000);
   * ok(ix.every((v) => v >= 0 && v < 27));
   * ```
   */
  integers(low: number, high: number, n: number): Int32Array {
    checkIntegers(low, high, n);
    return integersFill(this, low, high, n);
  }

  /**
   * Samples category indices like
   * `torch.multinomial(probs, numSamples, replacement, generator=g)` for a
   * rows×cols float32 table (see multinomial.ts for the two algorithms).
   *
   * @param probs row-major rows×cols non-negative weights (need not sum to 1)
   * @param rows number of distributions
   * @param cols number of categories
   * @param numSamples samples per row
   * @param replacement whether a category may be drawn more than once
   * @returns rows×numSamples indices, row-major
   * @throws {RangeError} on a shape mismatch, numSamples < 1 (or > cols without
   *   replacement), a negative/infinite/NaN weight, or a row summing to 0
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * const g = new Generator(2147483647);
   * const p = g.uniform(3);
   * const s = Math.fround(Math.fround(p[0] + p[1]) + p[2]); // p.sum() in float32
   * const q = p.map((v) => v / s); // tensor([0.6064, 0.3033, 0.0903])
   * const ix = g.multinomial(q, 1, 3, 20, true); // num_samples=20, replacement=True
   * equal(Array.from(ix).join(""), "11200211000110011001");
   * ```
   */
  multinomial(
    probs: ArrayLike<number>,
    rows: number,
    cols: number,
    numSamples: number,
    replacement: boolean,
  ): Int32Array {
    checkMultinomial(probs, rows, cols, numSamples, replacement);
    return multinomialSample(this, probs, rows, cols, numSamples, replacement);
  }

  /**
   * `n` exponential samples with rate `lambda`, like `t.exponential_(lambd)`:
   * `-log(1 - u) / lambda` in double from a 53-bit uniform, rounded to float32.
   *
   * @param n how many values
   * @param lambda the rate (default 1)
   * @returns the samples
   * @throws {RangeError} when n is not a non-negative integer or lambda <= 0
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * ok(new Generator(3).exponential(50).every((v) => v >= 0));
   * ```
   */
  exponential(n: number, lambda = 1): Float32Array {
    checkExponential(n, lambda);
    return exponentialFill(this, n, lambda);
  }

  /**
   * `n` Bernoulli(p) draws as float32 0/1, like `torch.empty(n).bernoulli_(p)`
   * (one 53-bit uniform per value; the mask `F.dropout(x, 1 - p)` multiplies by,
   * before scaling by 1 / p).
   *
   * @param n how many values
   * @param p the probability of a 1
   * @returns the draws
   * @throws {RangeError} when n is not a non-negative integer or p is outside [0, 1]
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * const keep = new Generator(42).bernoulli(1000, 0.9);
   * const kept = keep.reduce((a, b) => a + b, 0);
   * ok(kept > 850 && kept < 950);
   * ```
   */
  bernoulli(n: number, p: number): Float32Array {
    checkBernoulli(n, p);
    return bernoulliFill(this, n, p);
  }

  /**
   * A random permutation of 0..n-1, like `torch.randperm(n)` on the CPU
   * (a forward Fisher–Yates shuffle with `draw % (n - i)`).
   *
   * @param n the length
   * @returns the permutation
   * @throws {RangeError} when n is not a non-negative integer below 2^31
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * const p = new Generator(0).randperm(6);
   * deepEqual(Array.from(p).sort(), [0, 1, 2, 3, 4, 5]);
   * ```
   */
  randperm(n: number): Int32Array {
    checkPermutation(n);
    return permutation(this, n);
  }

  /**
   * One raw 32-bit engine output (`CPUGeneratorImpl::random()`).
   *
   * @returns an integer in [0, 2^32)
   */
  nextUint32(): number {
    return this.#engine.nextUint32();
  }

  /**
   * One float32 uniform on [0, 1) (24 bits), as `torch.rand` draws it.
   *
   * @returns the value
   */
  nextFloat(): number {
    return (this.#engine.nextUint32() & 0xffffff) * TWO_POW_M24;
  }

  /**
   * One double uniform on [0, 1) (53 bits of a 64-bit draw, high word first).
   *
   * @returns the value
   */
  nextDouble(): number {
    const hi = this.#engine.nextUint32() & 0x1fffff;
    const lo = this.#engine.nextUint32();
    return (hi * 4294967296 + lo) * TWO_POW_M53;
  }

  /**
   * One standard normal double from `at::normal_distribution<double>`: the
   * cached sample if there is one, else a new Box–Muller pair.
   *
   * @returns the value
   */
  nextNormalDouble(): number {
    const cached = this.#nextNormal;
    if (cached !== null) {
      this.#nextNormal = null;
      return cached;
    }
    const u1 = this.nextDouble();
    const u2 = this.nextDouble();
    return boxMullerDouble(u1, u2, this.#keep);
  }

  /**
   * A copy of the whole state, like `g.get_state()`.
   *
   * @returns the state
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { Generator } from "./generator.ts";
   * const g = new Generator(5);
   * g.normal(3); // leaves a cached normal sample behind
   * const s = g.getState();
   * const a = g.normal(7);
   * deepEqual(g.setState(s).normal(7), a);
   * ```
   */
  getState(): GeneratorState {
    return { seed: this.#seed, engine: this.#engine.getState(), nextNormal: this.#nextNormal };
  }

  /**
   * Restores a state from {@linkcode Generator.getState}, like `g.set_state()`.
   *
   * @param state the state
   * @returns this generator
   * @throws {RangeError} when the engine state is malformed
   */
  setState(state: GeneratorState): this {
    checkState(state);
    this.#engine.setState(state.engine);
    this.#seed = state.seed;
    this.#nextNormal = state.nextNormal;
    return this;
  }
}
