/**
 * `torch.multinomial` on the CPU, as PyTorch 1.13 does it for float32.
 *
 * - Without replacement: the exponential race (the Gumbel-max trick). `q` is
 *   filled with Exp(1) draws in row-major order (each a double `-log(1 - u)`
 *   from a 53-bit uniform, rounded to float32), then `p / q` is computed in
 *   float32 and the winner is its argmax (first maximum), or its top k sorted
 *   by value for k samples.
 * - With replacement (any number of samples; 1.13 has no one-sample shortcut,
 *   later versions send one sample to the exponential race): per row, the
 *   cumulative sum of the row in float32, divided by its total in float32, the
 *   last bucket set to exactly 1; then per sample a 53-bit double uniform and a
 *   binary search for the first bucket whose float cumulative value is not
 *   below it.
 *
 * The exponential draws are those of builds without MKL (Debian's, macOS
 * arm64); x86-64 builds with MKL fill `exponential_` from an MKL stream seeded
 * by one generator draw instead, so sampling without replacement differs there.
 *
 * @module
 */

import type { RandomBits } from "./bits.ts";
import { checkBoolean, checkNumber, describe } from "../validate.ts";

const f = Math.fround;

/**
 * Checks a rows×cols probability table the way `torch.multinomial` does.
 *
 * @param probs row-major table
 * @param rows number of distributions
 * @param cols number of categories
 * @param numSamples samples per row
 * @param replacement whether a category may be drawn twice
 * @throws {RangeError} on a shape mismatch, a sample count out of range, an
 *   entry that is negative, infinite or NaN, or a row that sums to 0
 */
export function checkMultinomial(
  probs: ArrayLike<number>,
  rows: number,
  cols: number,
  numSamples: number,
  replacement: boolean,
): void {
  const what = "Cannot sample multinomial", op = "Generator.multinomial";
  if (typeof (probs as Partial<ArrayLike<number>>)?.length !== "number") {
    throw new TypeError(`${op}: probs must be an array of numbers, got ${describe(probs)}`);
  }
  checkNumber(op, "rows", rows, { integer: true, min: 1 });
  checkNumber(op, "cols", cols, { integer: true, min: 1 });
  checkNumber(op, "numSamples", numSamples, { integer: true, min: 1 });
  checkBoolean(op, "replacement", replacement);
  if (probs.length !== rows * cols) {
    throw new RangeError(
      `${what}: probs has ${probs.length} values, expected ${rows}x${cols} = ${rows * cols}`,
    );
  }
  if (!replacement && numSamples > cols) {
    throw new RangeError(
      `${what}: cannot draw ${numSamples} samples without replacement from ${cols} categories`,
    );
  }
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const v = probs[r * cols + c];
      if (!(v >= 0) || v === Infinity) {
        throw new RangeError(
          `${what}: row ${r} has the entry ${v} at column ${c}; entries must be finite and >= 0`,
        );
      }
      sum += v;
    }
    if (sum === 0) throw new RangeError(`${what}: row ${r} sums to 0`);
  }
}

/**
 * Draws indices like `torch.multinomial(probs, numSamples, replacement)` with
 * a CPU generator. Inputs are assumed checked by {@linkcode checkMultinomial}.
 *
 * @param bits the generator
 * @param probs row-major rows×cols table of non-negative weights (float32 values)
 * @param rows number of distributions
 * @param cols number of categories
 * @param numSamples samples per row
 * @param replacement whether a category may be drawn twice
 * @returns rows×numSamples indices, row-major
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "./generator.ts";
 * import { multinomialSample } from "./multinomial.ts";
 * const p = new Float32Array([0, 1, 0, 0, 0, 1]); // 2 rows, 3 categories
 * deepEqual(Array.from(multinomialSample(new Generator(0), p, 2, 3, 2, true)), [1, 1, 2, 2]);
 * ```
 */
export function multinomialSample(
  bits: RandomBits,
  probs: ArrayLike<number>,
  rows: number,
  cols: number,
  numSamples: number,
  replacement: boolean,
): Int32Array {
  if (!replacement) return exponentialRace(bits, probs, rows, cols, numSamples);
  const out = new Int32Array(rows * numSamples);
  const cum = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      sum = f(sum + f(probs[r * cols + c]));
      cum[c] = sum;
    }
    for (let c = 0; c < cols; c++) cum[c] = cum[c] / sum;
    cum[cols - 1] = 1;
    for (let s = 0; s < numSamples; s++) {
      const u = bits.nextDouble();
      let lo = 0;
      let hi = cols;
      while (hi - lo > 0) {
        const mid = lo + ((hi - lo) >> 1);
        if (cum[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      out[r * numSamples + s] = lo;
    }
  }
  return out;
}

function exponentialRace(
  bits: RandomBits,
  probs: ArrayLike<number>,
  rows: number,
  cols: number,
  k: number,
): Int32Array {
  const n = rows * cols;
  const q = new Float32Array(n);
  for (let i = 0; i < n; i++) q[i] = -Math.log(1 - bits.nextDouble());
  for (let i = 0; i < n; i++) q[i] = f(probs[i]) / q[i];
  const out = new Int32Array(rows * k);
  const order: number[] = [];
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    if (k === 1) {
      out[r] = argmaxNaNFirst(q, base, cols);
      continue;
    }
    order.length = 0;
    for (let c = 0; c < cols; c++) order.push(c);
    order.sort((a, b) => compareDesc(q[base + a], q[base + b]) || a - b);
    for (let s = 0; s < k; s++) out[r * k + s] = order[s];
  }
  return out;
}

/** Index (relative to base) of the first maximum, NaN counting as the largest value. */
function argmaxNaNFirst(q: Float32Array, base: number, cols: number): number {
  let best = 0;
  let bestV = q[base];
  if (Number.isNaN(bestV)) return 0;
  for (let c = 1; c < cols; c++) {
    const v = q[base + c];
    if (Number.isNaN(v)) return c;
    if (v > bestV) {
      best = c;
      bestV = v;
    }
  }
  return best;
}

function compareDesc(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a > b ? -1 : a < b ? 1 : 0;
}
