/**
 * The CPU sort kernel: the first `k` entries of each row after a stable sort, with their
 * positions. NaN counts as larger than every number (PyTorch's order), −0 equals 0, and equal
 * values keep their order (PyTorch's `stable=True`). The WebGPU twin is `kernels/sort.ts`.
 *
 * Rows of up to 2^21 elements sort as float64 keys with the native numeric sort (no
 * comparator call per comparison: a 50,257-logit row in a few milliseconds): each key is an
 * order-preserving 32-bit code of the value times 2^21 plus the position, exact in a float64.
 * Longer rows fall back to a stable comparator sort.
 *
 * @module
 */

import type { TypedArray } from "../dtype.ts";

/**
 * Whether a comes after b in ascending order with NaN largest.
 *
 * @param a a value
 * @param b another value
 * @returns a > b, NaN above every number
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { greaterNaNLast } from "./sort.ts";
 * equal(greaterNaNLast(NaN, Infinity), true);
 * equal(greaterNaNLast(-0, 0), false);
 * ```
 */
export function greaterNaNLast(a: number, b: number): boolean {
  if (a !== a) return b === b;
  return b === b && a > b;
}

const POSITION_BITS = 2 ** 21;
const bits = new Uint32Array(1), float = new Float32Array(bits.buffer);

/** An order-preserving code in [0, 2^32) of a float32 (NaN highest, −0 as 0) or an int32. */
function orderCode(v: number, isFloat: boolean): number {
  if (!isFloat) return v + 2 ** 31;
  if (v !== v) return 2 ** 32 - 1;
  float[0] = v === 0 ? 0 : v;
  const b = bits[0];
  return b >= 2 ** 31 ? 2 ** 32 - 1 - b : b + 2 ** 31;
}

/**
 * Sorts each row of a `(rows, n)` block at `x[xo ..]` and writes its first `k` values and
 * their positions into `(rows, k)` outputs.
 *
 * @param x input data (float32 or int32)
 * @param xo offset of x's first element
 * @param rows number of rows
 * @param n row length
 * @param k entries kept per row (k <= n)
 * @param descending largest first
 * @param values output values
 * @param vo offset of the first value
 * @param indices output positions
 * @param io offset of the first position
 * @param maxKeyed the longest row sorted by float64 keys (default 2^21; tests lower it to run the
 *   comparator path)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { sortKernel } from "./sort.ts";
 * const v = new Float32Array(2), i = new Int32Array(2);
 * sortKernel(new Float32Array([1, 3, 3, 2]), 0, 1, 4, 2, true, v, 0, i, 0);
 * deepEqual([...v, ...i], [3, 3, 1, 2]);
 * ```
 */
export function sortKernel(
  x: TypedArray,
  xo: number,
  rows: number,
  n: number,
  k: number,
  descending: boolean,
  values: TypedArray,
  vo: number,
  indices: Int32Array,
  io: number,
  maxKeyed: number = POSITION_BITS,
): void {
  const isFloat = x instanceof Float32Array;
  const keys = n <= Math.min(maxKeyed, POSITION_BITS) ? new Float64Array(n) : null;
  const order = keys === null ? Array.from({ length: n }, (_, i) => i) : null;
  for (let r = 0; r < rows; r++) {
    const base = xo + r * n;
    const position = (p: number) => {
      if (keys === null) return order![p];
      return keys[p] % POSITION_BITS;
    };
    if (keys !== null) {
      for (let i = 0; i < n; i++) {
        const code = orderCode(x[base + i], isFloat);
        keys[i] = (descending ? 2 ** 32 - 1 - code : code) * POSITION_BITS + i;
      }
      keys.sort();
    } else {
      for (let i = 0; i < n; i++) order![i] = i;
      // Array.prototype.sort is stable: equal keys keep their positions' order.
      order!.sort((i, j) => {
        const a = x[base + i], b = x[base + j];
        const after = descending ? greaterNaNLast(b, a) : greaterNaNLast(a, b);
        const before = descending ? greaterNaNLast(a, b) : greaterNaNLast(b, a);
        return after ? 1 : before ? -1 : 0;
      });
    }
    for (let p = 0; p < k; p++) {
      const i = position(p);
      values[vo + r * k + p] = x[base + i];
      indices[io + r * k + p] = i;
    }
  }
}
