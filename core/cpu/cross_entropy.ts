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
  const hit = 1 - eps, spread = eps / c;
  let total = 0, count = 0;
  for (let i = 0; i < n; i++) {
    const row = i * c, t = targets[i];
    if (t === ignoreIndex) {
      if (perRow) loss[i] = 0;
      dlogits.fill(0, row, row + c);
      continue;
    }
    let sum = 0;
    for (let j = 0; j < c; j++) sum += xs[row + j];
    const inv = 1 / sum;
    for (let j = 0; j < c; j++) dlogits[row + j] = xs[row + j] * inv - spread;
    dlogits[row + t] -= hit;
    const lse = Math.log(sum) + maxes[i];
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
  if (perRow) return;
  if (reduction === "sum") {
    loss[0] = total;
    return;
  }
  loss[0] = total / count; // NaN when every row is ignored, as PyTorch
  const scale = 1 / count;
  for (let k = 0; k < n * c; k++) dlogits[k] *= scale;
}
