/**
 * CPU reductions along the middle dim of a contiguous `(outer, n, inner)`
 * block. Sums accumulate in float64; max/min propagate NaN (the first NaN
 * wins, as in PyTorch) and can write the arg-index.
 *
 * @module
 */

import type { ReduceKernel } from "../backend.ts";
import type { TypedArray } from "../dtype.ts";
import { simdColumnSum, simdElementwise } from "./elementwise_simd.ts";

/** From this many elements on, float32 column sums run in WebAssembly SIMD (same floats). */
const SIMD_COLSUM_MIN = 256;

let scratch = new Float64Array(256);

/**
 * Reduces `x[xo ..]` viewed as `(outer, n, inner)` along `n` into `out`
 * (`(outer, inner)`), writing arg-indices into `idx` when given.
 *
 * @param op sum, max or min
 * @param x input data
 * @param xo offset of the first element
 * @param outer product of the dims before the reduced one
 * @param n the reduced dim's size
 * @param inner product of the dims after the reduced one
 * @param out output data, `outer * inner` elements
 * @param idx arg-index output or null
 */
export function reduceBlock(
  op: ReduceKernel,
  x: TypedArray,
  xo: number,
  outer: number,
  n: number,
  inner: number,
  out: TypedArray,
  idx: Int32Array | null,
): void {
  if (op === "sum") {
    if (inner === 1) {
      for (let o = 0; o < outer; o++) {
        let s = 0;
        const base = xo + o * n;
        for (let k = 0; k < n; k++) s += x[base + k];
        out[o] = s;
      }
      return;
    }
    if (
      simdElementwise && n * inner >= SIMD_COLSUM_MIN && x instanceof Float32Array &&
      out instanceof Float32Array
    ) {
      for (let o = 0; o < outer; o++) {
        simdColumnSum(x, xo + o * n * inner, n, inner, out, o * inner);
      }
      return;
    }
    if (scratch.length < inner) scratch = new Float64Array(inner);
    const acc = scratch;
    for (let o = 0; o < outer; o++) {
      acc.fill(0, 0, inner);
      for (let k = 0; k < n; k++) {
        const base = xo + (o * n + k) * inner;
        for (let j = 0; j < inner; j++) acc[j] += x[base + j];
      }
      const ob = o * inner;
      for (let j = 0; j < inner; j++) out[ob + j] = acc[j];
    }
    return;
  }
  if (op === "logsumexp") {
    logsumexpBlock(x, xo, outer, n, inner, out);
    return;
  }
  const isMax = op === "max";
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = xo + o * n * inner + j;
      let best = x[base], bi = 0;
      if (best === best) {
        for (let k = 1; k < n; k++) {
          const v = x[base + k * inner];
          if (v !== v) {
            best = v;
            bi = k;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bi = k;
          }
        }
      }
      out[o * inner + j] = best;
      if (idx !== null) idx[o * inner + j] = bi;
    }
  }
}

/** log Σ exp along the middle dim; the max is subtracted first (0 when it is ±Inf). */
function logsumexpBlock(
  x: TypedArray,
  xo: number,
  outer: number,
  n: number,
  inner: number,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = xo + o * n * inner + j;
      let m = -Infinity, nan = false;
      for (let k = 0; k < n; k++) {
        const v = x[base + k * inner];
        if (v > m) m = v;
        else if (v !== v) nan = true;
      }
      if (nan) {
        out[o * inner + j] = NaN;
        continue;
      }
      const c = m === Infinity || m === -Infinity ? 0 : m;
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(x[base + k * inner] - c);
      out[o * inner + j] = Math.log(s) + c;
    }
  }
}
