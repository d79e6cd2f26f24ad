/**
 * A tiny seeded pseudo-random number generator for deterministic examples,
 * data sets and kata weight initialisation.
 *
 * The generator is mulberry32 (a 32-bit state, one `Math.imul`-based mixing
 * step per draw): fast, small enough to read in full, and good enough for toy
 * data and initial weights. It is NOT PyTorch's generator; `core/random.ts`
 * (a later addition) reproduces `torch.Generator` bit for bit.
 *
 * @module
 */

import { checkNumber } from "../validate.ts";

/**
 * A function that returns the next pseudo-random number of a sequence each time
 * it is called.
 */
export type Rng = () => number;

/**
 * A mulberry32 generator: uniform floats in [0, 1), with 32 bits of resolution,
 * fully determined by `seed`.
 *
 * @param seed an integer; it is reduced to 32 bits (`seed >>> 0`)
 * @returns a function that returns the next number in [0, 1) on each call
 * @throws {RangeError} when `seed` is not an integer
 * @example
 * ```ts
 * import { equal, notEqual, ok } from "node:assert/strict";
 * import { mulberry32 } from "./seeded.ts";
 * const a = mulberry32(42), b = mulberry32(42);
 * const x = a();
 * ok(x >= 0 && x < 1);
 * equal(b(), x); // same seed, same sequence
 * notEqual(mulberry32(43)(), x);
 * ```
 */
export function mulberry32(seed: number): Rng {
  checkNumber("mulberry32", "seed", seed, { integer: true });
  let state = seed >>> 0;
  return () => {
    // Advance a Weyl sequence, then scramble it with two multiply-xorshift rounds.
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeded uniform floats in [low, high): micrograd's `random.uniform(-1, 1)`
 * weight initialisation, made reproducible.
 *
 * @param seed an integer seed for {@link mulberry32}
 * @param low the inclusive lower bound (default -1)
 * @param high the exclusive upper bound (default 1)
 * @returns a function that returns the next number in [low, high) on each call
 * @throws {RangeError} when `seed` is not an integer, or `low`/`high` are not finite with low < high
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { seededUniform } from "./seeded.ts";
 * const rng = seededUniform(1);
 * for (let i = 0; i < 100; i++) {
 *   const x = rng();
 *   ok(x >= -1 && x < 1);
 * }
 * ```
 */
export function seededUniform(seed: number, low = -1, high = 1): Rng {
  checkNumber("seededUniform", "seed", seed, { integer: true });
  checkNumber("seededUniform", "low", low);
  if (!(checkNumber("seededUniform", "high", high) > low)) {
    throw new RangeError(`seededUniform: high must be more than low ${low}, got ${high}`);
  }
  const next = mulberry32(seed);
  return () => low + (high - low) * next();
}
