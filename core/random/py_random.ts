/**
 * CPython's `random` module (3.11), for the lectures that use it: the same
 * MT19937 as PyTorch, seeded with `init_by_array`, and the same algorithms for
 * `random()`, `getrandbits`, `shuffle`, `randint`, `choice`, `uniform`, `gauss`
 * and `choices`.
 *
 * @module
 */

import { libm } from "./libm.ts";
import { MT19937 } from "./mt19937.ts";
import { checkNumber, checkOptions, describe } from "../validate.ts";

const TWO_PI = 2 * Math.PI;

/** What {@link PyRandom.choices} takes besides the population. */
export interface ChoicesOptions {
  /** Relative weights, one per candidate (`weights=`). */
  readonly weights?: ArrayLike<number>;
  /** Cumulative weights, one per candidate (`cum_weights=`). */
  readonly cumWeights?: ArrayLike<number>;
  /** How many draws (default 1). */
  readonly k?: number;
}

/** `bisect.bisect_right(a, x, 0, hi)`: the first index in [0, hi] whose value is > x. */
function bisectRight(a: ArrayLike<number>, x: number, hi: number): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A CPython-compatible `random.Random`. `new PyRandom(42)` then
 * `shuffle(words)` gives the same order as `random.seed(42);
 * random.shuffle(words)` in Python 3.11.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { PyRandom } from "./py_random.ts";
 * const r = new PyRandom(42);
 * equal(r.random(), 0.6394267984578837); // random.seed(42); random.random()
 * ```
 */
export class PyRandom {
  #mt = new MT19937();
  /** `gauss_next`: the second value of the last pair `gauss` drew, or null. */
  #gaussNext: number | null = null;

  /**
   * Creates a generator seeded like `random.Random(seed)`.
   *
   * @param seed an integer seed, as `random.seed(n)` takes it
   * @throws {TypeError} when the seed is not an integer number or a bigint
   */
  constructor(seed: number | bigint = 0) {
    this.seed(seed);
  }

  /**
   * Reseeds like `random.seed(n)` for an int `n`: the absolute value is split
   * into 32-bit words (least significant first) and fed to `init_by_array`.
   *
   * @param seed an integer (number or bigint of any size)
   * @throws {TypeError} when the seed is not an integer number or a bigint
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { PyRandom } from "./py_random.ts";
   * const r = new PyRandom(1);
   * const a = r.random();
   * r.seed(1);
   * equal(r.random(), a);
   * ```
   */
  seed(seed: number | bigint): void {
    if (typeof seed === "number") {
      if (!Number.isInteger(seed)) {
        throw new TypeError(
          `Cannot seed PyRandom: only integer seeds are supported, got ${seed}`,
        );
      }
      seed = BigInt(seed);
    } else if (typeof seed !== "bigint") {
      throw new TypeError(
        `Cannot seed PyRandom: seed must be a number or bigint, got ${describe(seed)}`,
      );
    }
    let v = seed < 0n ? -seed : seed;
    const key: number[] = [];
    do {
      key.push(Number(v & 0xffffffffn));
      v >>= 32n;
    } while (v > 0n);
    this.#mt.seedByArray(key);
    this.#gaussNext = null;
  }

  /**
   * A float in [0, 1) with 53 random bits, like `random.random()`.
   *
   * @returns the value
   */
  random(): number {
    const a = this.#mt.nextUint32() >>> 5;
    const b = this.#mt.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * `k` random bits, like `random.getrandbits(k)`: whole 32-bit words filled
   * from the least significant end, the last word cut to size from its top.
   *
   * @param k the number of bits (>= 0)
   * @returns the value as a bigint
   * @throws {RangeError} when k is not a non-negative integer
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { PyRandom } from "./py_random.ts";
   * ok(new PyRandom(3).getrandbits(100) < 2n ** 100n);
   * ```
   */
  getrandbits(k: number): bigint {
    checkNumber("PyRandom.getrandbits", "k", k, { integer: true, min: 0 });
    if (k <= 32) return BigInt(this.#bits32(k));
    let out = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32, shift += 32n) {
      const w = left >= 32 ? this.#mt.nextUint32() : this.#mt.nextUint32() >>> (32 - left);
      out |= BigInt(w) << shift;
    }
    return out;
  }

  /**
   * Shuffles an array in place like `random.shuffle(x)` (Fisher–Yates from the
   * end, each index drawn by rejection sampling on `getrandbits`).
   *
   * @param x the array to shuffle
   * @returns the same array
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { PyRandom } from "./py_random.ts";
   * const xs = new PyRandom(42).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
   * deepEqual(xs, [7, 3, 2, 8, 5, 6, 9, 4, 0, 1]);
   * ```
   */
  shuffle<T>(x: T[]): T[] {
    if (!Array.isArray(x)) {
      throw new TypeError(`PyRandom.shuffle: x must be an array, got ${describe(x)}`);
    }
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.#randbelow(i + 1);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /**
   * An integer in [a, b] inclusive, like `random.randint(a, b)`.
   *
   * @param a smallest value
   * @param b largest value
   * @returns the value
   * @throws {RangeError} when a > b or the bounds are not safe integers
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { PyRandom } from "./py_random.ts";
   * const r = new PyRandom(1);
   * ok(Array.from({ length: 100 }, () => r.randint(1, 6)).every((v) => v >= 1 && v <= 6));
   * ```
   */
  randint(a: number, b: number): number {
    checkNumber("PyRandom.randint", "a", a, { integer: true });
    checkNumber("PyRandom.randint", "b", b, { integer: true, min: a });
    if (!Number.isSafeInteger(b - a + 1)) {
      throw new RangeError(`PyRandom.randint: b - a must be below 2^53, got a=${a}, b=${b}`);
    }
    return a + this.#randbelow(b - a + 1);
  }

  /**
   * One element of a non-empty array, like `random.choice(seq)`.
   *
   * @param seq the candidates
   * @returns one of them
   * @throws {RangeError} when seq is empty
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { PyRandom } from "./py_random.ts";
   * ok(["a", "b", "c"].includes(new PyRandom(2).choice(["a", "b", "c"])));
   * ```
   */
  choice<T>(seq: ArrayLike<T>): T {
    if (typeof (seq as Partial<ArrayLike<T>>)?.length !== "number") {
      throw new TypeError(`PyRandom.choice: seq must be an array, got ${describe(seq)}`);
    }
    if (seq.length === 0) throw new RangeError("PyRandom.choice: the sequence is empty");
    return seq[this.#randbelow(seq.length)];
  }

  /**
   * A float between a and b, like `random.uniform(a, b)`: `a + (b - a) * random()`.
   *
   * @param a one end
   * @param b the other end
   * @returns the value
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { PyRandom } from "./py_random.ts";
   * const v = new PyRandom(4).uniform(-2.5, 7);
   * ok(v >= -2.5 && v <= 7);
   * ```
   */
  uniform(a: number, b: number): number {
    checkNumber("PyRandom.uniform", "a", a);
    checkNumber("PyRandom.uniform", "b", b);
    return a + (b - a) * this.random();
  }

  /**
   * A normal draw like `random.gauss(mu, sigma)`, CPython's own algorithm: two
   * `random()` calls give an angle `x2pi = random() * 2π` and a radius
   * `g2rad = sqrt(-2 log(1 - random()))`; it returns `mu + cos(x2pi) * g2rad * sigma`
   * and keeps `sin(x2pi) * g2rad` for the next call (`seed` forgets it).
   * The stream of generator words is CPython's exactly. `log`, `cos` and `sin`
   * are the C library's, as CPython's, when Deno may use FFI (`--allow-ffi`):
   * then every draw is CPython's bit for bit. Without FFI they are V8's
   * `Math.log/cos/sin`, which round differently from glibc's in about one call
   * in a thousand, so such a draw is an ulp or two off CPython's.
   *
   * @param mu the mean (default 0)
   * @param sigma the standard deviation (default 1)
   * @returns the value
   * @throws {RangeError} when mu or sigma is not a finite number
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { PyRandom } from "./py_random.ts";
   * const r = new PyRandom(42);
   * equal(r.gauss(), -0.14409032957792836); // random.seed(42); random.gauss()
   * equal(r.gauss(0, 0.08), -0.013832288026521545); // the cached sine half, scaled
   * ```
   */
  gauss(mu = 0, sigma = 1): number {
    checkNumber("PyRandom.gauss", "mu", mu);
    checkNumber("PyRandom.gauss", "sigma", sigma);
    let z = this.#gaussNext;
    this.#gaussNext = null;
    if (z === null) {
      const x2pi = this.random() * TWO_PI;
      const m = libm();
      const g2rad = Math.sqrt(-2 * m.log(1 - this.random()));
      z = m.cos(x2pi) * g2rad;
      this.#gaussNext = m.sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  }

  /**
   * `k` draws with replacement like `random.choices(population, weights, *,
   * cum_weights, k)`. Without weights each index is `floor(random() * n)`; with
   * them CPython's algorithm: running sums of the weights (or `cumWeights` as
   * given), then `bisect_right(cum, random() * total, 0, n - 1)` per draw.
   *
   * @param population the candidates
   * @param options `weights` or `cumWeights` (one per candidate, not both) and `k` (default 1)
   * @returns `k` candidates
   * @throws {RangeError} when the weights do not match the population, sum to <= 0 or not to a
   *   finite number, or k is not a non-negative integer
   * @throws {TypeError} when both weights and cumWeights are given
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { PyRandom } from "./py_random.ts";
   * const r = new PyRandom(42);
   * // random.seed(42); random.choices("abc", weights=[0.2, 0.5, 0.3], k=4)
   * deepEqual(r.choices(["a", "b", "c"], { weights: [0.2, 0.5, 0.3], k: 4 }), ["b", "a", "b", "b"]);
   * ```
   */
  choices<T>(population: ArrayLike<T>, options: ChoicesOptions = {}): T[] {
    const op = "PyRandom.choices";
    if (typeof (population as Partial<ArrayLike<T>>)?.length !== "number") {
      throw new TypeError(`${op}: population must be an array, got ${describe(population)}`);
    }
    const { weights, cumWeights, k = 1 } = checkOptions(op, options, [
      "weights",
      "cumWeights",
      "k",
    ]);
    checkNumber(op, "k", k, { integer: true, min: 0 });
    const n = population.length;
    const out: T[] = new Array(k);
    if (weights === undefined && cumWeights === undefined) {
      if (n === 0 && k > 0) throw new RangeError(`${op}: the population is empty`);
      for (let i = 0; i < k; i++) out[i] = population[Math.floor(this.random() * n)];
      return out;
    }
    if (weights !== undefined && cumWeights !== undefined) {
      throw new TypeError(`${op}: Cannot specify both weights and cumWeights`);
    }
    let cum: ArrayLike<number>;
    if (weights !== undefined) {
      const acc = new Array<number>(weights.length); // itertools.accumulate: no start value
      for (let i = 0; i < weights.length; i++) {
        acc[i] = i === 0 ? weights[0] : acc[i - 1] + weights[i];
      }
      cum = acc;
    } else cum = cumWeights!;
    if (cum.length !== n) {
      throw new RangeError(
        `${op}: the number of weights (${cum.length}) does not match the population (${n})`,
      );
    }
    const total = n === 0 ? NaN : cum[n - 1];
    if (!(total > 0)) throw new RangeError(`${op}: total of weights must be > 0, got ${total}`);
    if (!Number.isFinite(total)) {
      throw new RangeError(`${op}: total of weights must be finite, got ${total}`);
    }
    const hi = n - 1;
    for (let i = 0; i < k; i++) out[i] = population[bisectRight(cum, this.random() * total, hi)];
    return out;
  }

  /** `getrandbits(k)` for 0 <= k <= 32, as a number. */
  #bits32(k: number): number {
    if (k === 0) return 0;
    return this.#mt.nextUint32() >>> (32 - k);
  }

  /** `_randbelow_with_getrandbits(n)` for 1 <= n <= 2^53. */
  #randbelow(n: number): number {
    const k = n.toString(2).length; // n.bit_length()
    if (k <= 32) {
      let r = this.#bits32(k);
      while (r >= n) r = this.#bits32(k);
      return r;
    }
    const big = BigInt(n);
    let r = this.getrandbits(k);
    while (r >= big) r = this.getrandbits(k);
    return Number(r);
  }
}
