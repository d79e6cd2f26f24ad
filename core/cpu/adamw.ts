/**
 * The CPU Adam/AdamW step: one fused loop over a parameter, rounding to float32 after every
 * operation in the order of PyTorch 1.13's single-tensor `AdamW`/`Adam`, so the parameters it
 * produces are bit-identical to torch's.
 *
 * @module
 */

import type { AdamHyperParams } from "../backend.ts";

const f = Math.fround;

/**
 * One Adam (L2, `decoupled: false`) or AdamW (decoupled decay) step in place on `n` elements:
 * `p ← p·(1 − lr·wd)` (AdamW) or `g ← g + wd·p` (Adam); `m ← β1·m + (1 − β1)·g`;
 * `v ← β2·v + (1 − β2)·g²`; `p ← p − lr/(1 − β1ᵗ) · m / (√v/√(1 − β2ᵗ) + eps)`.
 *
 * @param p the parameter (from `po`)
 * @param po p's offset
 * @param g the gradient (from `go`)
 * @param go g's offset
 * @param m the first moments (from `mo`)
 * @param mo m's offset
 * @param v the second moments (from `vo`)
 * @param vo v's offset
 * @param n the number of elements
 * @param hp the step number and hyper-parameters
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { adamwKernel } from "./adamw.ts";
 * const p = new Float32Array([1]);
 * const hp = { step: 1, lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: true };
 * adamwKernel(p, 0, new Float32Array([0.5]), 0, new Float32Array(1), 0, new Float32Array(1), 0, 1, hp);
 * ok(Math.abs(p[0] - 0.9) < 1e-6); // the first step moves by lr·sign(g)
 * ```
 */
export function adamwKernel(
  p: Float32Array,
  po: number,
  g: Float32Array,
  go: number,
  m: Float32Array,
  mo: number,
  v: Float32Array,
  vo: number,
  n: number,
  hp: AdamHyperParams,
): void {
  const { beta1, beta2, lr, weightDecay: wd } = hp;
  const decay = hp.decoupled && wd !== 0 ? f(1 - lr * wd) : 1;
  const l2 = !hp.decoupled && wd !== 0 ? f(wd) : 0;
  const b1 = f(beta1), a1 = f(1 - beta1), b2 = f(beta2), a2 = f(1 - beta2);
  const bc1 = 1 - beta1 ** hp.step, bc2 = 1 - beta2 ** hp.step;
  const negStep = f(-(lr / bc1)), bc2Sqrt = f(Math.sqrt(bc2)), eps = f(hp.eps);
  for (let i = 0; i < n; i++) {
    let pi = p[po + i];
    let gi = g[go + i];
    if (decay !== 1) pi = f(pi * decay);
    if (l2 !== 0) gi = f(gi + l2 * pi);
    const mi = f(f(m[mo + i] * b1) + a1 * gi);
    const vi = f(f(v[vo + i] * b2) + a2 * f(gi * gi));
    m[mo + i] = mi;
    v[vo + i] = vi;
    const denom = f(f(f(Math.sqrt(vi)) / bc2Sqrt) + eps);
    p[po + i] = f(pi + f(f(mi * negStep) / denom));
  }
}
