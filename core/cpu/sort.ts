/**
 * The CPU sort kernel: the first `k` entries of each row after a stable sort, with their
 * positions. NaN counts as larger than every number (PyTorch's order), −0 equals 0, and equal
 * values keep their order (PyTorch's `stable=True`). The WebGPU twin is `kernels/sort.ts`.
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

/**
 * Sorts each row of a `(rows, n)` block at `x[xo ..]` and writes its first `k` values and
 * their positions into `(rows, k)` outputs.
 *
 * @param x input data
 * @param xo offset of x's first element
 * @param rows number of rows
 * @param n row length
 * @param k entries kept per row (k <= n)
 * @param descending largest first
 * @param values output values
 * @param vo offset of the first value
 * @param indices output positions
 * @param io offset of the first position
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
): void {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < rows; r++) {
    const base = xo + r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    // Array.prototype.sort is stable: equal keys keep their positions' order.
    order.sort((i, j) => {
      const a = x[base + i], b = x[base + j];
      const after = descending ? greaterNaNLast(b, a) : greaterNaNLast(a, b);
      const before = descending ? greaterNaNLast(a, b) : greaterNaNLast(b, a);
      return after ? 1 : before ? -1 : 0;
    });
    for (let p = 0; p < k; p++) {
      values[vo + r * k + p] = x[base + order[p]];
      indices[io + r * k + p] = order[p];
    }
  }
}
