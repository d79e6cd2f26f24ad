/**
 * Kata 14, step 14.3: `linear`, `softmax` and `rmsnorm` on lists of Values.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { sum, type Value } from "./autograd.ts";
import type { Matrix } from "./data.ts";

/**
 * `w @ x` without a bias: output i is `sum(w[i][j] * x[j])`, summed from 0.
 *
 * @param x `(nin)`
 * @param w `(nout, nin)`
 * @returns `(nout)`
 */
export function linear(x: readonly Value[], w: Matrix): Value[] {
  return todo("14.3", "linear: for each row of w, sum(w[i][j] * x[j])");
}

/**
 * `exp(l - max) / sum(exp(l - max))`: the max (a plain number) is subtracted
 * first so no exp overflows.
 *
 * @param logits `(n)`
 * @returns `(n)` probabilities
 */
export function softmax(logits: readonly Value[]): Value[] {
  return todo("14.3", "softmax: exp(l - max), each divided by their sum");
}

/**
 * RMSNorm without a gain: `x * (mean(x²) + 1e-5) ** -0.5`.
 *
 * @param x `(n)`
 * @returns `(n)`
 */
export function rmsnorm(x: readonly Value[]): Value[] {
  return todo("14.3", "rmsnorm: x * (mean of squares + 1e-5) ** -0.5");
}
