/**
 * CPU kernels of the fused nn.functional ops (softmax, logSoftmax, crossEntropy), on contiguous
 * row-major Float32Arrays. The frontend (`functional.ts`) validates; the kernels assume valid
 * input. Arithmetic is done in float64 and rounded once, so results sit within an ulp or two of
 * PyTorch's.
 *
 * @module
 */

import { expInPlace, expScratch, expSimd } from "../cpu/exp_simd.ts";

let rowMaxes = new Float64Array(64);

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
 * import { softmaxKernel } from "./functional_kernels.ts";
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

/**
 * Cross-entropy of (N, C) logits against int32 class targets, fused: one pass per row computes
 * the softmax probabilities (kept for the backward pass) and the loss `logsumexp(row) - row[t]`.
 *
 * @param logits (N, C) logits
 * @param n the batch size N
 * @param c the number of classes C
 * @param targets N class indices in `[0, C)`
 * @param probs the (N, C) destination of the softmax probabilities
 * @param losses the N per-row losses (destination)
 * @returns nothing; `probs` and `losses` are filled
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { crossEntropyKernel } from "./functional_kernels.ts";
 * const probs = new Float32Array(2), losses = new Float32Array(1);
 * crossEntropyKernel(new Float32Array([0, 0]), 1, 2, new Int32Array([1]), probs, losses);
 * ok(Math.abs(losses[0] - Math.log(2)) < 1e-7 && probs[0] === 0.5);
 * ```
 */
export function crossEntropyKernel(
  logits: Float32Array,
  n: number,
  c: number,
  targets: Int32Array,
  probs: Float32Array,
  losses: Float32Array,
): void {
  // exp(x - rowmax) for the whole batch in one SIMD call (Math.exp where there is none)
  const xs = expSimd ? expScratch(n * c) : new Float64Array(n * c);
  if (rowMaxes.length < n) rowMaxes = new Float64Array(n);
  const maxes = rowMaxes;
  for (let i = 0; i < n; i++) {
    const row = i * c;
    let max = -Infinity;
    for (let j = 0; j < c; j++) {
      const v = logits[row + j];
      if (v > max || v !== v) max = v;
    }
    maxes[i] = max;
    for (let j = 0; j < c; j++) xs[row + j] = logits[row + j] - max;
  }
  if (expSimd) expInPlace(n * c);
  else for (let k = 0; k < n * c; k++) xs[k] = Math.exp(xs[k]);
  for (let i = 0; i < n; i++) {
    const row = i * c;
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const e = xs[row + j];
      probs[row + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < c; j++) probs[row + j] *= inv;
    losses[i] = Math.log(sum) + maxes[i] - logits[row + targets[i]];
  }
}

/**
 * The gradient of cross-entropy with respect to the logits: `(probs - onehot(t)) * scale[i]`
 * per row, where `scale` is the incoming gradient of row i's loss (1/N times the upstream scalar
 * for "mean", the upstream scalar for "sum", the upstream vector for "none").
 *
 * @param probs the (N, C) softmax probabilities saved by the forward pass
 * @param n the batch size N
 * @param c the number of classes C
 * @param targets N class indices
 * @param scale per-row scale (length N), or a single number applied to every row
 * @param out the (N, C) destination
 * @returns nothing; `out` is filled
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { crossEntropyBackwardKernel } from "./functional_kernels.ts";
 * const out = new Float32Array(2);
 * crossEntropyBackwardKernel(new Float32Array([0.5, 0.5]), 1, 2, new Int32Array([1]), 2, out);
 * deepEqual([...out], [1, -1]);
 * ```
 */
export function crossEntropyBackwardKernel(
  probs: Float32Array,
  n: number,
  c: number,
  targets: Int32Array,
  scale: Float32Array | number,
  out: Float32Array,
): void {
  for (let i = 0; i < n; i++) {
    const s = typeof scale === "number" ? scale : scale[i];
    const row = i * c;
    for (let j = 0; j < c; j++) out[row + j] = probs[row + j] * s;
    out[row + targets[i]] -= s;
  }
}
