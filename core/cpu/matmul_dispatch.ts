/**
 * The CPU backend's batched matmul: each batch's product goes to OpenBLAS's `cblas_sgemm` when
 * `cpu_options.ts` says OpenBLAS is active (transposed operands as transposition flags, offsets
 * as pointers into the same arrays: no copies), otherwise to the WebAssembly kernel
 * (`matmulF32`). A batch whose A blocks follow each other in memory and share one B is a single
 * taller product, one call.
 *
 * @module
 */

import type { MatmulSpec } from "../backend.ts";
import { checkMatmulArgs, matmulF32, type MatmulOptions } from "./matmul.ts";
import { activeBlas } from "./cpu_options.ts";
import { type OpenBlas, openBlas, openBlasUnavailableReason } from "./blas.ts";

/**
 * Products with fewer multiply-adds than this stay in `matmulF32`'s TypeScript loop (4x4x4 in
 * 0.08 µs); above it OpenBLAS wins even small ones (8x8x8: 0.14 µs against the WebAssembly
 * kernel's 1.0 µs with its copies; 32x30x200: 23 against 45 µs, on a loaded machine).
 */
const BLAS_MIN_VOLUME = 64;

/**
 * Products with fewer multiply-adds than this run on one OpenBLAS thread whatever the thread
 * setting: waking a second thread for a small product costs more than it saves (on this 2-core
 * machine, kata 08's WaveNet step was 18% slower on two threads than on one).
 */
const BLAS_PARALLEL_MIN = 1 << 23;

/**
 * `out[outOffset + i·m·n …] = A_i · B_i` for each batch `i` of `spec`.
 *
 * @param a A's array (every batch's block, at `spec.aOffsets`)
 * @param b B's array (at `spec.bOffsets`)
 * @param out the output array, batches contiguous from `outOffset`
 * @param outOffset the first output element
 * @param spec sizes, offsets and transposition flags
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { batchedMatmulF32 } from "./matmul_dispatch.ts";
 * // two batches of (1 x 2)·(2 x 1) sharing B
 * const out = new Float32Array(2);
 * batchedMatmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 1]), out, 0, {
 *   m: 1, k: 2, n: 1, aOffsets: [0, 2], bOffsets: [0, 0], transA: false, transB: false,
 *   lda: 2, ldb: 1,
 * });
 * deepEqual(Array.from(out), [3, 7]);
 * ```
 */
export function batchedMatmulF32(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  outOffset: number,
  spec: MatmulSpec,
): void {
  const { m, k, n, aOffsets, bOffsets, transA, transB, lda, ldb } = spec;
  const nb = aOffsets.length;
  // each block as stored: rows x cols, rows ld apart
  const [aRows, aCols] = transA ? [k, m] : [m, k], [bRows, bCols] = transB ? [n, k] : [k, n];
  const tightA = lda === aCols || aRows <= 1, tightB = ldb === bCols || bRows <= 1;
  const blas = m * k * n >= BLAS_MIN_VOLUME ? activeBlas() : null;
  if (blas) {
    const threads = blas.threads();
    if (threads > 1 && m * k * n < BLAS_PARALLEL_MIN) {
      blas.setThreads(1);
      try {
        blasProducts(blas, a, b, out, outOffset, spec);
      } finally {
        blas.setThreads(threads);
      }
    } else blasProducts(blas, a, b, out, outOffset, spec);
    return;
  }
  // The WebAssembly kernel reads tight blocks: a block cut from a wider matrix is packed first.
  const packA = tightA ? null : new Float32Array(m * k),
    packB = tightB ? null : new Float32Array(k * n);
  const opts = { aOffset: 0, bOffset: 0, outOffset: 0, transA, transB };
  for (let i = 0; i < nb; i++) {
    opts.aOffset = packA ? 0 : aOffsets[i];
    opts.bOffset = packB ? 0 : bOffsets[i];
    opts.outOffset = outOffset + i * m * n;
    if (packA) pack(a, aOffsets[i], aRows, aCols, lda, packA);
    if (packB) pack(b, bOffsets[i], bRows, bCols, ldb, packB);
    matmulF32(packA ?? a, packB ?? b, out, m, k, n, opts);
  }
}

/** Each batch's product on OpenBLAS (one taller call where the A blocks stack and B is shared). */
function blasProducts(
  blas: OpenBlas,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  outOffset: number,
  spec: MatmulSpec,
): void {
  const { m, k, n, aOffsets, bOffsets, transA, transB, lda, ldb } = spec;
  const nb = aOffsets.length;
  const [aRows, aCols] = transA ? [k, m] : [m, k], [bRows, bCols] = transB ? [n, k] : [k, n];
  const tightA = lda === aCols || aRows <= 1;
  if (nb > 1 && !transA && tightA && stacksRows(aOffsets, m * k) && sharesB(bOffsets)) {
    checkMatmulArgs(a.length, Infinity, out.length, nb * m, k, n, aOffsets[0], 0, outOffset);
    checkBlock("b", b.length, bRows, bCols, ldb, bOffsets[0]);
    const [a0, b0] = [aOffsets[0], bOffsets[0]];
    blas.sgemm(a, a0, false, b, b0, transB, out, outOffset, nb * m, k, n, false, { ldb });
    return;
  }
  for (let i = 0; i < nb; i++) {
    const o = outOffset + i * m * n;
    checkMatmulArgs(Infinity, Infinity, out.length, m, k, n, 0, 0, o);
    checkBlock("a", a.length, aRows, aCols, lda, aOffsets[i]);
    checkBlock("b", b.length, bRows, bCols, ldb, bOffsets[i]);
    const ld = { lda, ldb };
    blas.sgemm(a, aOffsets[i], transA, b, bOffsets[i], transB, out, o, m, k, n, false, ld);
  }
}

/** Copies a rows x cols block stored `ld` apart from `off` into `to`, tight. */
function pack(
  from: Float32Array,
  off: number,
  rows: number,
  cols: number,
  ld: number,
  to: Float32Array,
) {
  checkBlock("operand", from.length, rows, cols, ld, off);
  for (let r = 0; r < rows; r++) to.set(from.subarray(off + r * ld, off + r * ld + cols), r * cols);
}

/** Throws unless a rows x cols block with rows `ld` apart from `off` lies inside `len` elements. */
function checkBlock(
  name: string,
  len: number,
  rows: number,
  cols: number,
  ld: number,
  off: number,
) {
  if (!Number.isInteger(ld) || ld < cols || !Number.isInteger(off) || off < 0) {
    throw new RangeError(
      `Cannot multiply: ${name} has a row stride ${ld} below its ${cols} columns, or offset ${off}`,
    );
  }
  const end = rows === 0 || cols === 0 ? off : off + (rows - 1) * ld + cols;
  if (end > len) {
    throw new RangeError(
      `Cannot multiply: ${name}'s ${rows} x ${cols} block (row stride ${ld}) at offset ${off} ` +
        `needs ${end} elements, the array has ${len}`,
    );
  }
}

function stacksRows(offsets: readonly number[], block: number): boolean {
  for (let i = 1; i < offsets.length; i++) if (offsets[i] !== offsets[0] + i * block) return false;
  return true;
}

function sharesB(offsets: readonly number[]): boolean {
  for (let i = 1; i < offsets.length; i++) if (offsets[i] !== offsets[0]) return false;
  return true;
}

/**
 * {@link matmulF32}'s contract on OpenBLAS's `cblas_sgemm`, whatever kernel is active (for
 * tests and benchmarks that compare the kernels).
 *
 * @param a A's elements (or Aᵀ's, stored (k x m), with `transA`)
 * @param b B's elements (or Bᵀ's, stored (n x k), with `transB`)
 * @param out the output, m x n from `outOffset`
 * @param m rows of A and of the output
 * @param k columns of A, rows of B
 * @param n columns of B and of the output
 * @param opts offsets, transposition and accumulation
 * @throws {Error} when OpenBLAS cannot load (no `--allow-ffi`, or no library)
 * @throws {RangeError} as {@link matmulF32} does, on bad sizes or offsets
 * @example
 * ```ts
 * import { openBlas } from "./blas.ts";
 * import { matmulBlasF32 } from "./matmul_dispatch.ts";
 * if (openBlas()) {
 *   const out = new Float32Array(1);
 *   matmulBlasF32(new Float32Array([1, 2]), new Float32Array([3, 4]), out, 1, 2, 1);
 *   if (out[0] !== 11) throw new Error("expected 11");
 * }
 * ```
 */
export function matmulBlasF32(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  opts: MatmulOptions = {},
): void {
  const blas = openBlas();
  if (!blas) {
    throw new Error(`matmulBlasF32: OpenBLAS is unavailable: ${openBlasUnavailableReason()}`);
  }
  const aOff = opts.aOffset ?? 0, bOff = opts.bOffset ?? 0, oOff = opts.outOffset ?? 0;
  checkMatmulArgs(a.length, b.length, out.length, m, k, n, aOff, bOff, oOff);
  const acc = opts.accumulate ?? false;
  blas.sgemm(a, aOff, opts.transA ?? false, b, bOff, opts.transB ?? false, out, oOff, m, k, n, acc);
}
