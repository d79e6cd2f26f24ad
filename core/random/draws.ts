/**
 * The distributions that take a fixed number of engine draws per value, in
 * PyTorch 1.13's CPU order: `rand`/`uniform_`, `randint`, `exponential_`,
 * `bernoulli_` and `randperm`. Arguments are assumed checked by the {@linkcode Generator}
 * methods that call these.
 *
 * @module
 */

import type { RandomBits } from "./bits.ts";
import { fma32 } from "./float32_math.ts";
import type { CpuCapability } from "./normal.ts";
import { checkNumber, checkOptions, describe } from "../validate.ts";
import { MAX_TENSOR_BYTES } from "../validate_creation.ts";

/**
 * `n` floats on [low, high): each the low 24 bits of one 32-bit draw times
 * 2^-24, then `x * (high - low) + low` in float32 (one fused multiply-add in
 * the AVX2 kernels, a multiply then an add in the portable ones).
 *
 * @param bits the generator
 * @param n how many values
 * @param low lower bound
 * @param high upper bound
 * @param capability which kernel's rounding to reproduce
 * @returns the values
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * import { uniformFill } from "./draws.ts";
 * deepEqual(uniformFill(new Generator(1), 5, 0, 1, "avx2"), new Generator(1).uniform(5));
 * ```
 */
export function uniformFill(
  bits: RandomBits,
  n: number,
  low: number,
  high: number,
  capability: CpuCapability,
): Float32Array {
  const out = new Float32Array(n);
  if (low === 0 && high === 1) {
    for (let i = 0; i < n; i++) out[i] = bits.nextFloat();
    return out;
  }
  const lo = Math.fround(low);
  const span = Math.fround(Math.fround(high) - lo);
  if (capability === "avx2") {
    for (let i = 0; i < n; i++) out[i] = fma32(bits.nextFloat(), span, lo);
  } else {
    for (let i = 0; i < n; i++) out[i] = Math.fround(bits.nextFloat() * span) + lo;
  }
  return out;
}

/**
 * `n` integers on [low, high): `draw % (high - low) + low`, one 32-bit draw per
 * value when the range is below 2^32, one 64-bit draw (high word first)
 * otherwise, as `torch.randint` does.
 *
 * @param bits the generator
 * @param low smallest value (int32)
 * @param high one past the largest value (at most 2^31)
 * @param n how many values
 * @returns the values
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * import { integersFill } from "./draws.ts";
 * ok(integersFill(new Generator(1), -5, 5, 100).every((v) => v >= -5 && v < 5));
 * ```
 */
export function integersFill(bits: RandomBits, low: number, high: number, n: number): Int32Array {
  const range = high - low;
  const out = new Int32Array(n);
  if (range < 2 ** 32) {
    for (let i = 0; i < n; i++) out[i] = (bits.nextUint32() % range) + low;
  } else {
    const r = BigInt(range);
    for (let i = 0; i < n; i++) {
      const hi = BigInt(bits.nextUint32());
      const lo = BigInt(bits.nextUint32());
      out[i] = Number(((hi << 32n) | lo) % r) + low;
    }
  }
  return out;
}

/**
 * `n` exponential samples: `(-1 / lambda) * log(1 - u)` in double from a
 * 53-bit uniform, rounded to float32, as `exponential_` does.
 *
 * @param bits the generator
 * @param n how many values
 * @param lambda the rate (> 0)
 * @returns the samples
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * import { exponentialFill } from "./draws.ts";
 * ok(exponentialFill(new Generator(1), 100, 2).every((v) => v >= 0));
 * ```
 */
export function exponentialFill(bits: RandomBits, n: number, lambda: number): Float32Array {
  const out = new Float32Array(n);
  const scale = -1 / lambda;
  for (let i = 0; i < n; i++) out[i] = scale * Math.log(1 - bits.nextDouble());
  return out;
}

/**
 * `n` Bernoulli(p) draws as float32 0/1: one 53-bit double uniform per value,
 * 1 when it is below `p`, as `bernoulli_(p)` (and so `F.dropout`) does in
 * builds without MKL.
 *
 * @param bits the generator
 * @param n how many values
 * @param p the probability of a 1 (in [0, 1])
 * @returns the draws
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * import { bernoulliFill } from "./draws.ts";
 * ok(bernoulliFill(new Generator(1), 50, 0.5).every((v) => v === 0 || v === 1));
 * ```
 */
export function bernoulliFill(bits: RandomBits, n: number, p: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = bits.nextDouble() < p ? 1 : 0;
  return out;
}

/**
 * A permutation of 0..n-1 by a forward Fisher–Yates shuffle, swapping slot i
 * with slot `i + draw % (n - i)`, as `torch.randperm` does on the CPU.
 *
 * @param bits the generator
 * @param n the length (below 2^31)
 * @returns the permutation
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * import { permutation } from "./draws.ts";
 * deepEqual(Array.from(permutation(new Generator(1), 5)).sort(), [0, 1, 2, 3, 4]);
 * ```
 */
export function permutation(bits: RandomBits, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = i + (bits.nextUint32() % (n - i));
    const t = out[i];
    out[i] = out[z];
    out[z] = t;
  }
  return out;
}

// Argument checks, run before any draw so a refused call consumes nothing.

/** The most values one draw makes: as many float32s as one tensor may hold (2 GiB). */
export const MAX_DRAWS: number = MAX_TENSOR_BYTES / 4;

/**
 * Refuses a count that is not an integer in `[0, MAX_DRAWS]`.
 *
 * @param op the method, for the message
 * @param n the count
 * @throws {TypeError} when n is not a number
 * @throws {RangeError} `<op>: n must be an integer in [0, 536870912], got <n>`
 */
export function checkCount(op: string, n: number): void {
  checkNumber(op, "n", n, { integer: true, min: 0, max: MAX_DRAWS });
}

/**
 * Checks `uniform(n, low, high)`: finite bounds with low <= high.
 *
 * @param n the count
 * @param low the lower bound
 * @param high the upper bound
 * @throws {TypeError} for a non-number
 * @throws {RangeError} for a bad count, non-finite bounds or low > high
 */
export function checkUniform(n: number, low: number, high: number): void {
  const op = "Generator.uniform";
  checkCount(op, n);
  checkNumber(op, "low", low);
  checkNumber(op, "high", high, { min: low });
}

/**
 * Checks `normal(n, mean, std)`: a finite mean and std >= 0.
 *
 * @param n the count
 * @param mean the mean
 * @param std the standard deviation
 * @throws {TypeError} for a non-number
 * @throws {RangeError} for a bad count, a non-finite mean or a negative std
 */
export function checkNormal(n: number, mean: number, std: number): void {
  const op = "Generator.normal";
  checkCount(op, n);
  checkNumber(op, "mean", mean);
  checkNumber(op, "std", std, { min: 0 });
}

/**
 * Checks `integers(low, high, n)`: int32-range integer bounds with low < high.
 *
 * @param low inclusive lower bound
 * @param high exclusive upper bound
 * @param n the count
 * @throws {TypeError} for a non-number
 * @throws {RangeError} naming the bounds or the count
 */
export function checkIntegers(low: number, high: number, n: number): void {
  const op = "Generator.integers";
  checkNumber(op, "low", low, { integer: true, min: -(2 ** 31), max: 2 ** 31 });
  checkNumber(op, "high", high, { integer: true, min: -(2 ** 31), max: 2 ** 31 });
  checkCount(op, n);
  if (low >= high) {
    throw new RangeError(`${op}: low must be less than high, got low ${low} and high ${high}`);
  }
}

/**
 * Checks `exponential(n, lambda)`: lambda > 0.
 *
 * @param n the count
 * @param lambda the rate
 * @throws {TypeError} for a non-number
 * @throws {RangeError} on a bad count or a rate that is not > 0
 */
export function checkExponential(n: number, lambda: number): void {
  const op = "Generator.exponential";
  checkCount(op, n);
  if (!(checkNumber(op, "lambda", lambda, { allowInfinity: true }) > 0)) {
    throw new RangeError(`${op}: lambda must be a number > 0, got ${lambda}`);
  }
}

/**
 * Checks `bernoulli(n, p)`: p in [0, 1].
 *
 * @param n the count
 * @param p the probability of a 1
 * @throws {TypeError} for a non-number
 * @throws {RangeError} on a bad count or p outside [0, 1]
 */
export function checkBernoulli(n: number, p: number): void {
  checkCount("Generator.bernoulli", n);
  checkNumber("Generator.bernoulli", "p", p, { min: 0, max: 1 });
}

/**
 * Checks `randperm(n)`.
 *
 * @param n the permutation's length
 * @throws {TypeError} for a non-number
 * @throws {RangeError} when n is not an integer in [0, MAX_DRAWS]
 */
export function checkPermutation(n: number): void {
  checkCount("Generator.randperm", n);
}

/**
 * A seed as PyTorch keeps it: a safe integer or a bigint, cast to uint64.
 *
 * @param seed the seed given
 * @returns the uint64 seed
 * @throws {RangeError} for a number that is not a safe integer
 * @throws {TypeError} for anything but a number or a bigint
 */
export function toSeed(seed: number | bigint): bigint {
  if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Cannot seed generator: seed must be a safe integer, got ${seed}`);
    }
    seed = BigInt(seed);
  } else if (typeof seed !== "bigint") {
    throw new TypeError(
      `Cannot seed generator: seed must be a number or bigint, got ${describe(seed)}`,
    );
  }
  // torch casts the seed to uint64; mt19937 keeps its low 32 bits
  return BigInt.asUintN(64, seed);
}

/**
 * Checks a state for `Generator.setState` (the engine's words are checked by the engine).
 *
 * @param state the state given
 * @throws {TypeError} for an unknown field, a seed that is not a bigint or a bad cached normal
 */
export function checkState(state: unknown): void {
  const s = checkOptions("Generator.setState", state as object, ["seed", "engine", "nextNormal"]);
  if (typeof (s as { seed?: unknown }).seed !== "bigint") {
    throw new TypeError(
      `Generator.setState: seed must be a bigint, got ${describe((s as { seed?: unknown }).seed)}`,
    );
  }
  const next = (s as { nextNormal?: unknown }).nextNormal;
  if (next !== null) checkNumber("Generator.setState", "nextNormal", next);
}
