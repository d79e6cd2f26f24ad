/**
 * The CPU softmax and log-softmax kernel, on contiguous row-major Float32Arrays. Arithmetic is
 * done in float64 and rounded once, so results sit within an ulp or two of PyTorch's. Rows
 * along the last dim (attention's) take their exponentials from the SIMD exp (exp_simd.ts),
 * one per element, a block of rows per call; other layouts call `Math.exp` twice per element.
 *
 * @module
 */

import { expInPlace, expScratch, expSimd } from "./exp_simd.ts";
import { softmaxRowsF32, softmaxSimd } from "./softmax_simd.ts";

/** Doubles per SIMD exp call (a block of whole rows; 256 KiB of scratch). */
const EXP_BLOCK = 32768;

/**
 * Rows up to this long take the float32 SIMD kernel (within 4 ulps of float64 softmax, its
 * four-lane sum in float32); longer ones, and log-softmax, the float64 path.
 */
const F32_MAX_ROW = 1024;

/**
 * Softmax (or log-softmax) along a dim of a contiguous tensor seen as (outer, size, inner),
 * stable (the max is subtracted first). A row containing NaN or +Inf gives NaN, a row of only
 * -Inf gives NaN, as in PyTorch.
 *
 * @param x the input
 * @param outer product of the dims before the softmax dim
 * @param size the length of the softmax dim
 * @param inner product of the dims after the softmax dim
 * @param log true for log-softmax
 * @param out the destination, same length as `x`
 * @returns nothing; `out` is filled
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { softmaxKernel } from "./softmax.ts";
 * const out = new Float32Array(2);
 * softmaxKernel(new Float32Array([0, Math.log(3)]), 1, 2, 1, false, out);
 * ok(Math.abs(out[0] - 0.25) < 1e-7 && Math.abs(out[1] - 0.75) < 1e-7);
 * ```
 */
export function softmaxKernel(
  x: Float32Array,
  outer: number,
  size: number,
  inner: number,
  log: boolean,
  out: Float32Array,
): void {
  if (inner === 1 && !log && softmaxSimd && size > 0 && size <= F32_MAX_ROW && outer > 0) {
    softmaxRowsF32(x, outer, size, out);
    return;
  }
  if (inner === 1 && expSimd && size <= EXP_BLOCK) {
    softmaxRows(x, outer, size, log, out);
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let n = 0; n < inner; n++) {
      const base = o * size * inner + n;
      let max = -Infinity;
      for (let k = 0, p = base; k < size; k++, p += inner) {
        const v = x[p];
        if (v > max || v !== v) max = v;
        if (max !== max) break;
      }
      let sum = 0;
      for (let k = 0, p = base; k < size; k++, p += inner) sum += Math.exp(x[p] - max);
      if (log) {
        const lse = Math.log(sum);
        for (let k = 0, p = base; k < size; k++, p += inner) out[p] = x[p] - max - lse;
      } else {
        const inv = 1 / sum;
        for (let k = 0, p = base; k < size; k++, p += inner) out[p] = Math.exp(x[p] - max) * inv;
      }
    }
  }
}

/** The row max, NaN as soon as one element is NaN. */
function rowMax(x: Float32Array, base: number, size: number): number {
  let max = -Infinity;
  for (let k = 0; k < size; k++) {
    const v = x[base + k];
    if (v > max || v !== v) max = v;
    if (max !== max) break;
  }
  return max;
}

/** {@link softmaxKernel} for `inner = 1`: blocks of rows through the SIMD exp. */
function softmaxRows(
  x: Float32Array,
  rows: number,
  size: number,
  log: boolean,
  out: Float32Array,
): void {
  const per = Math.max(1, Math.floor(EXP_BLOCK / size));
  const maxes = new Float64Array(Math.min(per, rows));
  for (let r0 = 0; r0 < rows; r0 += per) {
    const n = Math.min(per, rows - r0), e = expScratch(n * size);
    for (let r = 0; r < n; r++) {
      const base = (r0 + r) * size, max = rowMax(x, base, size);
      maxes[r] = max;
      for (let k = 0; k < size; k++) e[r * size + k] = x[base + k] - max;
    }
    expInPlace(n * size); // exp(-Inf) comes out as exp(-700): 0 once rounded, nothing in a sum
    for (let r = 0; r < n; r++) {
      const base = (r0 + r) * size, at = r * size;
      let sum = 0;
      for (let k = 0; k < size; k++) sum += e[at + k];
      if (log) {
        const max = maxes[r], lse = Math.log(sum);
        for (let k = 0; k < size; k++) out[base + k] = x[base + k] - max - lse;
      } else {
        const inv = 1 / sum;
        for (let k = 0; k < size; k++) out[base + k] = e[at + k] * inv;
      }
    }
  }
}

/**
 * Softmax's backward over rows: `out = scale·y·(g − Σ g·y)` for each of the `rows` rows of
 * `size` contiguous floats (the dot product in float64).
 *
 * @param y the softmax's output
 * @param g the gradient of y
 * @param rows the row count
 * @param size the row length
 * @param scale a factor (the scale a causal softmax applied before normalising; else 1)
 * @param out the gradient of the softmax's input
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { softmaxBackwardKernel } from "./softmax.ts";
 * const out = new Float32Array(2);
 * softmaxBackwardKernel(new Float32Array([0.5, 0.5]), new Float32Array([1, 0]), 1, 2, 1, out);
 * deepEqual(Array.from(out), [0.25, -0.25]);
 * ```
 */
export function softmaxBackwardKernel(
  y: Float32Array,
  g: Float32Array,
  rows: number,
  size: number,
  scale: number,
  out: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * size;
    let dot = 0;
    for (let j = 0; j < size; j++) dot += g[base + j] * y[base + j];
    for (let j = 0; j < size; j++) out[base + j] = scale * y[base + j] * (g[base + j] - dot);
  }
}
