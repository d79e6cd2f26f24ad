/**
 * Single-precision matrix multiply on row-major Float32Arrays: the kernel the
 * CPU backend's batched matmul calls once per batch. This is the plain i-k-j
 * loop; a blocked, register-tiled kernel replaces it with the same signature.
 *
 * @module
 */

/** Offsets, transposition and accumulation flags of {@link matmulF32}. */
export interface MatmulOptions {
  /** Index of A's first element in `a` (default 0). */
  aOffset?: number;
  /** Index of B's first element in `b` (default 0). */
  bOffset?: number;
  /** Index of the output's first element in `out` (default 0). */
  outOffset?: number;
  /** `a` holds Aᵀ stored row-major as (k x m). */
  transA?: boolean;
  /** `b` holds Bᵀ stored row-major as (n x k). */
  transB?: boolean;
  /** `out += A·B` instead of `out = A·B`. */
  accumulate?: boolean;
}

/**
 * `out (m x n) = A (m x k) · B (k x n)`, all row-major and contiguous.
 *
 * @param a A's elements (or Aᵀ's with `transA`)
 * @param b B's elements (or Bᵀ's with `transB`)
 * @param out the output, m x n
 * @param m rows of A and of the output
 * @param k columns of A, rows of B
 * @param n columns of B and of the output
 * @param opts offsets, transposition and accumulation
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { matmulF32 } from "./matmul.ts";
 * const out = new Float32Array(4);
 * matmulF32(new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([1, 0, 0, 1, 1, 1]), out, 2, 3, 2);
 * deepEqual(Array.from(out), [4, 5, 10, 11]);
 * ```
 */
export function matmulF32(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  opts: MatmulOptions = {},
): void {
  const ao = opts.aOffset ?? 0, bo = opts.bOffset ?? 0, oo = opts.outOffset ?? 0;
  const ta = opts.transA ?? false, tb = opts.transB ?? false;
  if (!opts.accumulate) out.fill(0, oo, oo + m * n);
  // A[i, p] = a[ao + i*sai + p*sap]; B[p, j] = b[bo + p*sbp + j*sbj]
  const sai = ta ? 1 : k, sap = ta ? m : 1;
  if (!tb) {
    for (let i = 0; i < m; i++) {
      const orow = oo + i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[ao + i * sai + p * sap];
        const brow = bo + p * n;
        for (let j = 0; j < n; j++) out[orow + j] += aip * b[brow + j];
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const orow = oo + i * n;
    for (let j = 0; j < n; j++) {
      const brow = bo + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ao + i * sai + p * sap] * b[brow + p];
      out[orow + j] += s;
    }
  }
}
