/**
 * The plain i-k-j matrix multiply: the reference and the baseline that
 * `bench/matmul_cpu_bench.ts` measures {@link matmulF32} against.
 *
 * @module
 */

import { checkMatmulArgs, type MatmulOptions } from "./matmul.ts";

/**
 * `out (m x n) = A (m x k) · B (k x n)` (or `+=` with `accumulate`) by the
 * textbook i-k-j loop: for each row i and each p, add `A[i, p] · B[p, :]` to
 * row i of `out`. The sums are rounded to float32 at every step, as a naive
 * loop over a Float32Array does. Same signature and options as
 * {@link matmulF32}; `out` must not overlap `a` or `b`.
 *
 * @param a A's elements (or Aᵀ's, stored (k x m), with `transA`)
 * @param b B's elements (or Bᵀ's, stored (n x k), with `transB`)
 * @param out the output, m x n from `outOffset`
 * @param m rows of A and of the output
 * @param k columns of A, rows of B
 * @param n columns of B and of the output
 * @param opts offsets, transposition and accumulation
 * @throws {RangeError} when m, k, n or an offset is not a non-negative
 * integer, or an array is too short for its matrix at its offset
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { matmulNaiveF32 } from "./matmul_naive.ts";
 * const out = new Float32Array(4);
 * // (2 x 3) · (3 x 2), with A given as Aᵀ (3 x 2)
 * matmulNaiveF32(
 *   new Float32Array([1, 4, 2, 5, 3, 6]),
 *   new Float32Array([1, 0, 0, 1, 1, 1]),
 *   out,
 *   2,
 *   3,
 *   2,
 *   { transA: true },
 * );
 * deepEqual(Array.from(out), [4, 5, 10, 11]);
 * ```
 */
export function matmulNaiveF32(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  opts: MatmulOptions = {},
): void {
  const aOff = opts.aOffset ?? 0, bOff = opts.bOffset ?? 0, oOff = opts.outOffset ?? 0;
  checkMatmulArgs(a.length, b.length, out.length, m, k, n, aOff, bOff, oOff);
  if (!opts.accumulate) out.fill(0, oOff, oOff + m * n);
  // A[i, p] = a[aOff + i*sai + p*sap]; B[p, j] = b[bOff + p*sbp + j*sbj]
  const sai = opts.transA ? 1 : k, sap = opts.transA ? m : 1;
  const sbp = opts.transB ? 1 : n, sbj = opts.transB ? k : 1;
  for (let i = 0; i < m; i++) {
    const oRow = oOff + i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[aOff + i * sai + p * sap];
      let ib = bOff + p * sbp;
      for (let j = 0; j < n; j++) {
        out[oRow + j] += aip * b[ib];
        ib += sbj;
      }
    }
  }
}
