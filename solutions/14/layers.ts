/**
 * Kata 14, step 14.3: `linear`, `softmax` and `rmsnorm` on lists of Values.
 *
 * @module
 */

import { sum, Value } from "./autograd.ts";
import type { Matrix } from "./data.ts";

/**
 * `w @ x` without a bias: output i is `sum(w[i][j] * x[j])`, summed from 0.
 *
 * @param x `(nin)`
 * @param w `(nout, nin)`
 * @returns `(nout)`
 */
export function linear(x: readonly Value[], w: Matrix): Value[] {
  return w.map((row) => sum(row.map((wi, j) => wi.mul(x[j]))));
}

/**
 * `exp(l - max) / sum(exp(l - max))`: the max (a plain number) is subtracted
 * first so no exp overflows.
 *
 * @param logits `(n)`
 * @returns `(n)` probabilities
 */
export function softmax(logits: readonly Value[]): Value[] {
  let max = -Infinity;
  for (const l of logits) if (l.data > max) max = l.data;
  const exps = logits.map((l) => l.sub(max).exp());
  const total = sum(exps);
  return exps.map((e) => e.div(total));
}

/**
 * RMSNorm without a gain: `x * (mean(x²) + 1e-5) ** -0.5`.
 *
 * @param x `(n)`
 * @returns `(n)`
 */
export function rmsnorm(x: readonly Value[]): Value[] {
  const ms = sum(x.map((xi) => xi.mul(xi))).div(x.length);
  const scale = ms.add(1e-5).pow(-0.5);
  return x.map((xi) => xi.mul(scale));
}
