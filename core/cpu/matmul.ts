/**
 * Single-precision matrix multiply on row-major Float32Arrays: the kernel the
 * CPU backend's batched matmul calls once per batch.
 *
 * `matmulF32` runs the WebAssembly SIMD kernel of `matmul_simd.ts` (4x8 tiles
 * of `f32x4` lanes, fused multiply-adds where relaxed SIMD allows, float32
 * sums like BLAS), which V8 executes 6-8x faster than the best scalar code.
 * `matmulScalarF32` runs the TypeScript kernel of `matmul_scalar.ts` (packed
 * panels, a 4x4 register tile, float64 sums, cache blocking), which
 * `matmulF32` also uses for tiny products and where WebAssembly SIMD is
 * missing. `matmul_naive.ts` keeps the textbook loop as the reference.
 *
 * @module
 */

import { scalarProduct } from "./matmul_scalar.ts";
import { simdProduct, simdSupported } from "./matmul_simd.ts";

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
 * The operands of one product, with A and B given by strides: A[i, p] =
 * `a[aOff + i*sai + p*sap]`, B[p, j] = `b[bOff + p*sbp + j*sbj]`, and the
 * output (m x n) row-major from `out[oOff]`.
 */
export interface StridedProduct {
  /** A's array. */
  a: Float32Array;
  /** A's first element. */
  aOff: number;
  /** A's row stride. */
  sai: number;
  /** A's column stride. */
  sap: number;
  /** B's array. */
  b: Float32Array;
  /** B's first element. */
  bOff: number;
  /** B's row stride. */
  sbp: number;
  /** B's column stride. */
  sbj: number;
  /** The output's array. */
  out: Float32Array;
  /** The output's first element. */
  oOff: number;
  /** Rows of A and of the output. */
  m: number;
  /** Columns of A, rows of B. */
  k: number;
  /** Columns of B and of the output. */
  n: number;
}

/**
 * Products with fewer multiply-adds stay in TypeScript, where a call costs
 * less than the SIMD kernel's copies (measured: 4x4x4 0.08 µs vs 0.12 µs,
 * 8x8x8 0.27 µs vs 0.13 µs).
 */
const SIMD_MIN_VOLUME = 65;
/**
 * So do products of this many rows with Bᵀ given, which the SIMD path would
 * have to transpose (1x200x30: 4.8 µs vs 6.1 µs).
 */
const SIMD_THIN_NT_ROWS = 2;
/**
 * The SIMD kernel copies its operands into WebAssembly memory, which grows to
 * the largest product seen and never shrinks; beyond 1 GiB of operands the
 * TypeScript kernel works in place instead.
 */
const SIMD_MAX_FLOATS = 2 ** 28;
/** Products whose operands and output pass this many floats (16 MiB) run in blocks of rows. */
const BLOCK_FLOATS = 2 ** 22;

/**
 * `out (m x n) = A (m x k) · B (k x n)` (or `+=` with `accumulate`), all
 * row-major and contiguous, float32 in and out. The SIMD kernel sums in
 * float32 like BLAS (error within k·2⁻²⁴·Σ|A[i,p]·B[p,j]|); tiny products,
 * computed in TypeScript, sum in float64. `out` must not overlap `a` or `b`.
 * NaN and ±Inf propagate as in IEEE arithmetic (`0 · Inf` is NaN).
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
 * @example Plain and transposed products
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { matmulF32 } from "./matmul.ts";
 * const a = new Float32Array([1, 2, 3, 4, 5, 6]); // (2 x 3)
 * const b = new Float32Array([1, 0, 0, 1, 1, 1]); // (3 x 2)
 * const out = new Float32Array(4);
 * matmulF32(a, b, out, 2, 3, 2);
 * deepEqual(Array.from(out), [4, 5, 10, 11]);
 * // the same B given as Bᵀ (2 x 3), accumulating into out
 * matmulF32(a, new Float32Array([1, 0, 1, 0, 1, 1]), out, 2, 3, 2, {
 *   transB: true,
 *   accumulate: true,
 * });
 * deepEqual(Array.from(out), [8, 10, 20, 22]);
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
  product(a, b, out, m, k, n, opts, simdSupported);
}

/**
 * {@link matmulF32} without the WebAssembly SIMD kernel: the packed, 4x4
 * register-tiled TypeScript path (and the direct loops for thin products),
 * with float64 partial sums. It is what `matmulF32` runs on an engine without
 * WebAssembly SIMD, and the kernel to read to see the blocking.
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
 * import { matmulScalarF32 } from "./matmul.ts";
 * // (3 x 1) · (1 x 2) written from element 2 of out
 * const out = new Float32Array(8).fill(9);
 * const a = new Float32Array([1, 2, 3]), b = new Float32Array([10, 20]);
 * matmulScalarF32(a, b, out, 3, 1, 2, { outOffset: 2 });
 * deepEqual(Array.from(out), [9, 9, 10, 20, 20, 40, 30, 60]);
 * ```
 */
export function matmulScalarF32(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  opts: MatmulOptions = {},
): void {
  product(a, b, out, m, k, n, opts, false);
}

function product(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  opts: MatmulOptions,
  simd: boolean,
): void {
  const aOff = opts.aOffset ?? 0, bOff = opts.bOffset ?? 0, oOff = opts.outOffset ?? 0;
  checkMatmulArgs(a.length, b.length, out.length, m, k, n, aOff, bOff, oOff);
  if (m === 0 || n === 0) return;
  const accumulate = opts.accumulate ?? false;
  const x: StridedProduct = {
    a,
    aOff,
    sai: opts.transA ? 1 : k,
    sap: opts.transA ? m : 1,
    b,
    bOff,
    sbp: opts.transB ? 1 : n,
    sbj: opts.transB ? k : 1,
    out,
    oOff,
    m,
    k,
    n,
  };
  const footprint = m * k + 2 * k * n + m * n;
  const thinNT = opts.transB && m <= SIMD_THIN_NT_ROWS;
  if (simd && m * k * n >= SIMD_MIN_VOLUME && footprint < SIMD_MAX_FLOATS && !thinNT) {
    if (footprint > BLOCK_FLOATS && !opts.transA && k * n <= BLOCK_FLOATS / 4) {
      // a tall product (a whole split through a layer) in blocks of rows: the kernel's memory,
      // which never shrinks, stays near BLOCK_FLOATS instead of growing to hold it all
      const per = Math.max(64, Math.floor((BLOCK_FLOATS - 2 * k * n) / (k + n) / 4) * 4);
      for (let i0 = 0; i0 < m; i0 += per) {
        const rows = Math.min(per, m - i0);
        simdProduct({ ...x, aOff: aOff + i0 * k, oOff: oOff + i0 * n, m: rows }, accumulate);
      }
    } else simdProduct(x, accumulate);
  } else {
    scalarProduct(x, accumulate);
  }
}

/**
 * Checks the sizes and offsets of a {@link matmulF32} call (shared with the
 * naive reference kernel).
 *
 * @param aLen length of `a`
 * @param bLen length of `b`
 * @param outLen length of `out`
 * @param m rows of A
 * @param k columns of A, rows of B
 * @param n columns of B
 * @param aOff offset of A in `a`
 * @param bOff offset of B in `b`
 * @param oOff offset of the output in `out`
 * @throws {RangeError} `Cannot multiply: a has 5 elements, (2x3) from offset 0 needs 6`
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkMatmulArgs } from "./matmul.ts";
 * checkMatmulArgs(6, 6, 4, 2, 3, 2, 0, 0, 0);
 * throws(() => checkMatmulArgs(5, 6, 4, 2, 3, 2, 0, 0, 0), {
 *   name: "RangeError",
 *   message: "Cannot multiply: a has 5 elements, (2x3) from offset 0 needs 6",
 * });
 * ```
 */
export function checkMatmulArgs(
  aLen: number,
  bLen: number,
  outLen: number,
  m: number,
  k: number,
  n: number,
  aOff: number,
  bOff: number,
  oOff: number,
): void {
  if (!isCount(m) || !isCount(k) || !isCount(n)) {
    throw new RangeError(
      `Cannot multiply: m, k, n must be non-negative integers, got m=${m}, k=${k}, n=${n}`,
    );
  }
  if (!isCount(aOff) || !isCount(bOff) || !isCount(oOff)) {
    throw new RangeError(
      `Cannot multiply: offsets must be non-negative integers, got aOffset=${aOff}, ` +
        `bOffset=${bOff}, outOffset=${oOff}`,
    );
  }
  checkFits("a", aLen, m, k, aOff);
  checkFits("b", bLen, k, n, bOff);
  checkFits("out", outLen, m, n, oOff);
}

function isCount(x: number): boolean {
  return Number.isInteger(x) && x >= 0;
}

function checkFits(name: string, len: number, rows: number, cols: number, off: number): void {
  if (off + rows * cols > len) {
    throw new RangeError(
      `Cannot multiply: ${name} has ${len} elements, (${rows}x${cols}) from offset ${off} ` +
        `needs ${off + rows * cols}`,
    );
  }
}
