/**
 * The CPU cross-entropy kernel: per-row losses and the unscaled gradient `softmax − target
 * distribution` of `(N, C)` logits in one pass, with PyTorch's `ignore_index` and
 * `label_smoothing`. Targets are checked here (an out-of-range target is an IndexError).
 *
 * @module
 */

import type { CrossEntropyKernelOptions } from "../backend.ts";
import { IndexError } from "../errors.ts";
import { expInPlace, expScratch, expSimd } from "./exp_simd.ts";

let rowMaxes = new Float64Array(64);
/** Doubles of exponentials per SIMD exp call (a block of whole rows). */
const EXP_BLOCK = 32768;

/**
 * Cross-entropy of (N, C) logits at int32 targets. Per row, `l_i = (1 − ε)·(lse_i − x[i, t_i]) +
 * ε/C·Σ_j (lse_i − x[i, j])` and `d_i = softmax(x_i) − ((1 − ε)·onehot(t_i) + ε/C)`; rows whose
 * target is `ignoreIndex` get 0 in both and are not counted. `loss` receives the `l_i`
 * ("none"), or their sum or mean over counted rows (summed in float64); `dlogits` the `d_i`,
 * divided by the count for "mean". exp runs for the whole batch in one WebAssembly SIMD call
 * where available.
 *
 * @param logits (N, C) logits
 * @param n the batch size N
 * @param c the number of classes C
 * @param targets N class indices
 * @param opts reduction, ignoreIndex and labelSmoothing
 * @param loss N per-row losses ("none"), else 1 element (destination)
 * @param dlogits the (N, C) gradient (destination)
 * @throws {IndexError} naming a target outside `[0, C)` that is not `ignoreIndex`
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { crossEntropyKernel } from "./cross_entropy.ts";
 * const loss = new Float32Array(1), d = new Float32Array(2);
 * const opts = { reduction: "mean", ignoreIndex: -100, labelSmoothing: 0 } as const;
 * crossEntropyKernel(new Float32Array([0, 0]), 1, 2, new Int32Array([1]), opts, loss, d);
 * ok(Math.abs(loss[0] - Math.LN2) < 1e-6 && Math.abs(d[1] + 0.5) < 1e-6);
 * ```
 */
export function crossEntropyKernel(
  logits: Float32Array,
  n: number,
  c: number,
  targets: Int32Array,
  opts: CrossEntropyKernelOptions,
  loss: Float32Array,
  dlogits: Float32Array,
): void {
  const { ignoreIndex, labelSmoothing: eps, reduction } = opts;
  const perRow = reduction === "none";
  for (let i = 0; i < n; i++) {
    const t = targets[i];
    if (t !== ignoreIndex && !(t >= 0 && t < c)) {
      throw new IndexError(
        `crossEntropy: target ${t} at position ${i} is out of bounds for ${c} classes`,
      );
    }
  }
  // exp(x - rowmax) for a block of rows per SIMD call (Math.exp where there is none); blocks
  // keep the kernel's scratch memory, which never shrinks, small for a whole split's logits
  const per = Math.max(1, Math.floor(EXP_BLOCK / c));
  if (rowMaxes.length < Math.min(n, per)) rowMaxes = new Float64Array(Math.min(n, per));
  const maxes = rowMaxes;
  const hit = 1 - eps, spread = eps / c;
  let total = 0, count = 0;
  for (let i0 = 0; i0 < n; i0 += per) {
    const rows = Math.min(per, n - i0);
    const xs = expSimd ? expScratch(rows * c) : new Float64Array(rows * c);
    for (let r = 0; r < rows; r++) {
      const row = (i0 + r) * c, at = r * c;
      let max = -Infinity;
      for (let j = 0; j < c; j++) {
        const v = logits[row + j];
        if (v > max || v !== v) max = v;
      }
      maxes[r] = max;
      for (let j = 0; j < c; j++) xs[at + j] = logits[row + j] - max;
    }
    if (expSimd) expInPlace(rows * c);
    else for (let k = 0; k < rows * c; k++) xs[k] = Math.exp(xs[k]);
    for (let r = 0; r < rows; r++) {
      const i = i0 + r, row = i * c, at = r * c, t = targets[i];
      if (t === ignoreIndex) {
        if (perRow) loss[i] = 0;
        dlogits.fill(0, row, row + c);
        continue;
      }
      let sum = 0;
      for (let j = 0; j < c; j++) sum += xs[at + j];
      const inv = 1 / sum;
      for (let j = 0; j < c; j++) dlogits[row + j] = xs[at + j] * inv - spread;
      dlogits[row + t] -= hit;
      const lse = Math.log(sum) + maxes[r];
      let l = lse - logits[row + t];
      if (eps !== 0) {
        let all = 0;
        for (let j = 0; j < c; j++) all += lse - logits[row + j];
        l = hit * l + spread * all;
      }
      if (perRow) loss[i] = l;
      total += l;
      count++;
    }
  }
  if (perRow) return;
  if (reduction === "sum") {
    loss[0] = total;
    return;
  }
  loss[0] = total / count; // NaN when every row is ignored, as PyTorch
  const scale = 1 / count;
  for (let k = 0; k < n * c; k++) dlogits[k] *= scale;
}
