/**
 * A seedable random generator (placeholder: a small 32-bit PRNG, not yet
 * PyTorch's mt19937 stream; the API is the one the exact version keeps).
 *
 * @module
 */

const DEFAULT_SEED = 67280421310721n;

/**
 * A seeded source of random numbers for `rand`, `randn`, `randint` and
 * `multinomial`.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * const a = new Generator(42).uniform(3), b = new Generator(42).uniform(3);
 * deepEqual(a, b);
 * ```
 */
export class Generator {
  #state = 0;

  /**
   * Creates a generator seeded with `seed`.
   *
   * @param seed the seed (default: PyTorch's default seed 67280421310721)
   */
  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * Resets the stream to `seed`.
   *
   * @param seed an integer seed
   * @returns this generator
   * @throws {RangeError} when `seed` is not an integer
   */
  manualSeed(seed: number | bigint): this {
    if (typeof seed === "number" && !Number.isInteger(seed)) {
      throw new RangeError(`Cannot seed a Generator: seed ${seed} is not an integer`);
    }
    const s = BigInt.asUintN(64, BigInt(seed));
    this.#state = Number((s ^ (s >> 32n)) & 0xffffffffn) | 0;
    return this;
  }

  #next(): number {
    // mulberry32
    let t = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * `n` uniform samples in [0, 1).
   *
   * @param n how many
   * @returns the samples
   */
  uniform(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let v = Math.fround(this.#next());
      if (v >= 1) v = 0.99999994;
      out[i] = v;
    }
    return out;
  }

  /**
   * `n` standard normal samples (Box-Muller).
   *
   * @param n how many
   * @returns the samples
   */
  normal(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const u1 = 1 - this.#next(), u2 = this.#next();
      const r = Math.sqrt(-2 * Math.log(u1));
      out[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
    return out;
  }

  /**
   * `n` integers uniform in [low, high).
   *
   * @param low inclusive lower bound
   * @param high exclusive upper bound
   * @param n how many
   * @returns the samples
   * @throws {RangeError} when `high <= low`
   */
  integers(low: number, high: number, n: number): Int32Array {
    if (!(high > low)) {
      throw new RangeError(`Cannot draw integers: high ${high} must be greater than low ${low}`);
    }
    const out = new Int32Array(n);
    const span = high - low;
    for (let i = 0; i < n; i++) out[i] = low + Math.floor(this.#next() * span);
    return out;
  }

  /**
   * Draws `numSamples` category indices per row of a `(rows, cols)` matrix of
   * non-negative weights.
   *
   * @param probs row-major weights (need not sum to 1)
   * @param rows number of distributions
   * @param cols categories per distribution
   * @param numSamples draws per row
   * @param replacement whether a category can be drawn twice
   * @returns `rows * numSamples` indices, row-major
   * @throws {RangeError} on a row without positive weight, or too many draws without replacement
   */
  multinomial(
    probs: Float32Array,
    rows: number,
    cols: number,
    numSamples: number,
    replacement: boolean,
  ): Int32Array {
    const out = new Int32Array(rows * numSamples);
    const w = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) w[c] = probs[r * cols + c];
      for (let s = 0; s < numSamples; s++) {
        let total = 0;
        for (let c = 0; c < cols; c++) total += w[c];
        if (!(total > 0)) {
          throw new RangeError(
            `Cannot sample: row ${r} has no positive weight left (numSamples ${numSamples}, replacement ${replacement})`,
          );
        }
        let u = this.#next() * total, pick = cols - 1;
        for (let c = 0; c < cols; c++) {
          u -= w[c];
          if (u < 0 && w[c] > 0) {
            pick = c;
            break;
          }
        }
        out[r * numSamples + s] = pick;
        if (!replacement) w[pick] = 0;
      }
    }
    return out;
  }
}

let defaultGen: Generator | null = null;

/**
 * The process-wide generator that random functions use when none is given.
 *
 * @returns the default generator
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { defaultGenerator, Generator } from "./generator.ts";
 * ok(defaultGenerator() instanceof Generator);
 * ```
 */
export function defaultGenerator(): Generator {
  if (defaultGen === null) defaultGen = new Generator();
  return defaultGen;
}

/**
 * Reseeds the default generator (like `torch.manual_seed`).
 *
 * @param seed an integer seed
 * @returns the default generator
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { manualSeed } from "./generator.ts";
 * const a = manualSeed(7).uniform(2);
 * deepEqual(manualSeed(7).uniform(2), a);
 * ```
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator().manualSeed(seed);
}
