/**
 * The CPU softmax and log-softmax kernel, on contiguous row-major Float32Arrays. Arithmetic is
 * done in float64 and rounded once, so results sit within an ulp or two of PyTorch's.
 *
 * @module
 */

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
