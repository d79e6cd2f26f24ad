/**
 * The TypeScript matmul kernel behind `matmulScalarF32` (and `matmulF32`
 * where WebAssembly SIMD is missing or the product is tiny): packed panels of
 * A and B, a 4x4 register tile with float64 partial sums, blocked by K, M
 * and N for the caches, and direct loops for thin products.
 *
 * @module
 */

import type { StridedProduct } from "./matmul.ts";

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
 * `out = A · B` (or `+=`) in TypeScript; the caller has checked the
 * arguments. Sums are float64, rounded to float32 once per K block of 256.
 *
 * @param x the operands
 * @param accumulate add to out instead of overwriting it
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { scalarProduct } from "./matmul_scalar.ts";
 * // (2 x 3) · (3 x 2), with B given as Bᵀ (2 x 3)
 * const a = new Float32Array([1, 2, 3, 4, 5, 6]), b = new Float32Array([1, 0, 1, 0, 1, 1]);
 * const out = new Float32Array(4);
 * const [sai, sap, sbp, sbj] = [3, 1, 1, 3];
 * scalarProduct({ a, aOff: 0, sai, sap, b, bOff: 0, sbp, sbj, out, oOff: 0, m: 2, k: 3, n: 2 }, false);
 * deepEqual(Array.from(out), [4, 5, 10, 11]);
 * ```
 */
export function scalarProduct(x: StridedProduct, accumulate: boolean): void {
  if (!accumulate) x.out.fill(0, x.oOff, x.oOff + x.m * x.n);
  if (x.m === 0 || x.n === 0 || x.k === 0) return;
  if (x.m <= THIN_ROWS || x.n === 1) directProduct(x);
  else blockedProduct(x);
}

/**
 * Unblocked loops for thin products. For a wide output with B's rows
 * contiguous, rows of the output are built as float64 sums of scaled rows of
 * B (i-k-j order); otherwise each output is a float64 dot product.
 */
function directProduct(x: StridedProduct): void {
  const { a, aOff, sai, sap, b, bOff, sbp, sbj, out, oOff, m, k, n } = x;
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
function blockedProduct(x: StridedProduct): void {
  const { a, aOff, sai, sap, b, bOff, sbp, sbj, out, oOff, m, k, n } = x;
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
