/**
 * Single-precision matrix multiply on row-major Float32Arrays: the kernel the
 * CPU backend's batched matmul calls once per batch.
 *
 * `matmulF32` runs the WebAssembly SIMD kernel of `matmul_simd.ts` (4x8
 * tiles of `f32x4` lanes, fused multiply-adds where relaxed SIMD allows,
 * float32 sums like BLAS), which V8 executes 6-8x faster than the best scalar
 * code. `matmulScalarF32` is the pure TypeScript
 * kernel, used where WebAssembly SIMD is missing: panels of A and B (any of
 * the four transpositions) are packed into contiguous scratch buffers, and a
 * 4x4 micro-kernel keeps its 16 partial sums in local variables, cache-blocked
 * by K (256), M (64) and N (512). Thin products (one or two rows, or one
 * column of output) use direct loops that skip packing. Its sums are float64
 * (the type V8 computes in anyway; rounding each step with `Math.fround`
 * would only cost time), rounded to float32 once per K block.
 *
 * @module
 */

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
 * Products with fewer multiply-adds stay in TypeScript, where a call costs
 * less than the SIMD kernel's copies (measured: 4x4x4 0.08 µs vs 0.12 µs,
 * 8x8x8 0.27 µs vs 0.13 µs). So do thin products with Bᵀ given, which the
 * SIMD path would have to transpose (1x200x30: 4.8 µs vs 6.1 µs).
 */
const SIMD_MIN_VOLUME = 65;
/** Rows and columns of the register tile. */
const MR = 4, NR = 4;
/** Depth of a K block: a 4-column panel of packed B (4 KiB) stays in L1. */
const KC = 256;
/** Rows of A packed per block (MC x KC floats = 64 KiB, in L2). */
const MC = 64;
/** Columns of B packed per block (KC x NC floats = 512 KiB, in L2). */
const NC = 512;
/**
 * Outputs with at most this many rows (or a single column) skip packing: a
 * 4x4 tile would mostly multiply padding. (Measured: packing pays from 3 rows
 * or 2 columns on, even at 4x4x4.)
 */
const THIN_ROWS = 2;

const packedA = new Float32Array(MC * KC);
const packedB = new Float32Array(KC * NC);
const edgeTile = new Float32Array(MR * NR);
let rowSums = new Float64Array(256);

/**
 * `out (m x n) = A (m x k) · B (k x n)` (or `+=` with `accumulate`), all
 * row-major and contiguous, in float32 storage with float64 partial sums.
 * `out` must not overlap `a` or `b`. NaN and ±Inf propagate as in IEEE
 * arithmetic (`0 · Inf` is NaN).
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
  // A[i, p] = a[aOff + i*sai + p*sap]; B[p, j] = b[bOff + p*sbp + j*sbj]
  const sai = opts.transA ? 1 : k, sap = opts.transA ? m : 1;
  const sbp = opts.transB ? 1 : n, sbj = opts.transB ? k : 1;
  if (simd && m * k * n >= SIMD_MIN_VOLUME && !(opts.transB && m <= THIN_ROWS)) {
    simdProduct(a, aOff, sai, sap, b, bOff, sbp, sbj, out, oOff, m, k, n, accumulate);
    return;
  }
  if (!accumulate) out.fill(0, oOff, oOff + m * n);
  if (k === 0) return;
  if (m <= THIN_ROWS || n === 1) {
    directProduct(a, aOff, sai, sap, b, bOff, sbp, sbj, out, oOff, m, k, n);
  } else {
    blockedProduct(a, aOff, sai, sap, b, bOff, sbp, sbj, out, oOff, m, k, n);
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

/**
 * Unblocked loops for thin products. For a wide output with B's rows
 * contiguous, rows of the output are built as float64 sums of scaled rows of
 * B (i-k-j order); otherwise each output is a float64 dot product.
 */
function directProduct(
  a: Float32Array,
  aOff: number,
  sai: number,
  sap: number,
  b: Float32Array,
  bOff: number,
  sbp: number,
  sbj: number,
  out: Float32Array,
  oOff: number,
  m: number,
  k: number,
  n: number,
): void {
  if (sbj === 1 && n > 1) {
    if (rowSums.length < n) rowSums = new Float64Array(n);
    const acc = rowSums;
    for (let i = 0; i < m; i++) {
      acc.fill(0, 0, n);
      let ia = aOff + i * sai, ib = bOff;
      for (let p = 0; p < k; p++) {
        const aip = a[ia];
        for (let j = 0; j < n; j++) acc[j] += aip * b[ib + j];
        ia += sap;
        ib += sbp;
      }
      const oRow = oOff + i * n;
      for (let j = 0; j < n; j++) out[oRow + j] += acc[j];
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const aRow = aOff + i * sai, oRow = oOff + i * n;
    for (let j = 0; j < n; j++) {
      let s = 0, ia = aRow, ib = bOff + j * sbj;
      for (let p = 0; p < k; p++) {
        s += a[ia] * b[ib];
        ia += sap;
        ib += sbp;
      }
      out[oRow + j] += s;
    }
  }
}

/** The BLIS loop nest: N blocks, K blocks (pack B), M blocks (pack A), 4x4 tiles. */
function blockedProduct(
  a: Float32Array,
  aOff: number,
  sai: number,
  sap: number,
  b: Float32Array,
  bOff: number,
  sbp: number,
  sbj: number,
  out: Float32Array,
  oOff: number,
  m: number,
  k: number,
  n: number,
): void {
  const pa = packedA, pb = packedB, tile = edgeTile;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanels(b, bOff + pc * sbp + jc * sbj, sbj, sbp, nc, kc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanels(a, aOff + ic * sai + pc * sap, sai, sap, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const bPanel = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const o = oOff + (ic + ir) * n + jc + jr;
            if (ir + MR <= mc && jr + NR <= nc) {
              tile4x4(kc, pa, ir * kc, pb, bPanel, out, o, n);
            } else {
              // Edge tile: the zero padding of the panels computes into a scratch tile
              // whose valid part is then added to out.
              tile.fill(0);
              tile4x4(kc, pa, ir * kc, pb, bPanel, tile, 0, NR);
              const h = Math.min(MR, mc - ir), w = Math.min(NR, nc - jr);
              for (let r = 0; r < h; r++) {
                for (let q = 0; q < w; q++) out[o + r * n + q] += tile[r * NR + q];
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Packs `rows` x `depth` elements of a strided matrix (element (r, p) at
 * `src[off + r*sr + p*sp]`) into panels of 4 rows, each stored depth-major
 * (`dst[panel*4*depth + p*4 + r]`), zero-padding the last panel. This one
 * routine packs A (rows = M) and B (rows = N, i.e. Bᵀ) for every transposition.
 */
function packPanels(
  src: Float32Array,
  off: number,
  sr: number,
  sp: number,
  rows: number,
  depth: number,
  dst: Float32Array,
): void {
  let o = 0;
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const h = Math.min(4, rows - r0);
    let s = off + r0 * sr;
    if (h === 4) {
      const s1 = sr, s2 = 2 * sr, s3 = 3 * sr;
      for (let p = 0; p < depth; p++) {
        dst[o] = src[s];
        dst[o + 1] = src[s + s1];
        dst[o + 2] = src[s + s2];
        dst[o + 3] = src[s + s3];
        s += sp;
        o += 4;
      }
    } else {
      for (let p = 0; p < depth; p++) {
        for (let r = 0; r < 4; r++) dst[o + r] = r < h ? src[s + r * sr] : 0;
        s += sp;
        o += 4;
      }
    }
  }
}

/** The 4x4 micro-kernel: `c[4x4 at cOff, row stride ldc] += Apanel · Bpanel` over kc. */
function tile4x4(
  kc: number,
  pa: Float32Array,
  ia: number,
  pb: Float32Array,
  ib: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ia], a1 = pa[ia + 1], a2 = pa[ia + 2], a3 = pa[ia + 3];
    const b0 = pb[ib], b1 = pb[ib + 1], b2 = pb[ib + 2], b3 = pb[ib + 3];
    c00 += a0 * b0, c01 += a0 * b1, c02 += a0 * b2, c03 += a0 * b3;
    c10 += a1 * b0, c11 += a1 * b1, c12 += a1 * b2, c13 += a1 * b3;
    c20 += a2 * b0, c21 += a2 * b1, c22 += a2 * b2, c23 += a2 * b3;
    c30 += a3 * b0, c31 += a3 * b1, c32 += a3 * b2, c33 += a3 * b3;
    ia += 4;
    ib += 4;
  }
  let o = cOff;
  c[o] += c00, c[o + 1] += c01, c[o + 2] += c02, c[o + 3] += c03;
  o += ldc;
  c[o] += c10, c[o + 1] += c11, c[o + 2] += c12, c[o + 3] += c13;
  o += ldc;
  c[o] += c20, c[o + 1] += c21, c[o + 2] += c22, c[o + 3] += c23;
  o += ldc;
  c[o] += c30, c[o + 1] += c31, c[o + 2] += c32, c[o + 3] += c33;
}
