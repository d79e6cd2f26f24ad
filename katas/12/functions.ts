/**
 * Kata 12, steps 12.1–12.4: GPT-2's small functions, as picoGPT writes them in
 * NumPy (`gpt2.py`, lines 4–25). Replace every `todo(...)` with your code;
 * `deno test katas/12` tells you what to do next. Read katas/12/README.md first.
 *
 * From the library (NumPy in brackets): `x.pow(3)` [`x**3`], `x.tanh()`,
 * `x.mul(a)`, `x.add(a)`, `x.sub(a)`, `x.div(a)`, `x.exp()`, `x.sqrt()`,
 * `x.amax(-1, { keepdim: true })` [`np.max(x, axis=-1, keepdims=True)`],
 * `x.sum(-1, { keepdim: true })`, `x.mean(-1, { keepdim: true })`,
 * `x.var(-1, { keepdim: true, unbiased: false })` [`np.var`], `x.matmul(w)` [`x @ w`].
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import type { Tensor } from "../../mod.ts";
import type { LayerNormParams, LinearParams, MlpParams } from "./_types.ts";

/**
 * GELU in GPT-2's tanh form: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 *
 * @param x any shape
 * @returns the same shape
 */
export function gelu(x: Tensor): Tensor {
  return todo("12.1", "gelu: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))");
}

/**
 * Softmax over the last axis, the row's max subtracted first so `exp` cannot overflow.
 *
 * @param x `(..., n)`
 * @returns `(..., n)`, each row summing to 1
 */
export function softmax(x: Tensor): Tensor {
  return todo("12.2", "softmax: exp(x − max) / sum, over the last axis");
}

/**
 * LayerNorm over the last axis with the biased variance (NumPy's `np.var`).
 *
 * @param x `(..., n)`
 * @param ln gain and bias `[n]`
 * @param eps added to the variance (1e-5)
 * @returns `(..., n)`
 */
export function layerNorm(x: Tensor, ln: LayerNormParams, eps = 1e-5): Tensor {
  return todo("12.3", "layerNorm: (x − mean) / √(var + eps) · g + b over the last axis");
}

/**
 * `x @ w + b` with `w` stored `[in, out]`.
 *
 * @param x `(..., in)`
 * @param p weight `[in, out]`, bias `[out]`
 * @returns `(..., out)`
 */
export function linear(x: Tensor, p: LinearParams): Tensor {
  return todo("12.4", "linear: x @ w + b");
}

/**
 * The feed-forward network: project up 4×, GELU, project back down.
 *
 * @param x `(T, nEmbd)`
 * @param mlp the two projections
 * @returns `(T, nEmbd)`
 */
export function ffn(x: Tensor, mlp: MlpParams): Tensor {
  return todo("12.4", "ffn: linear(gelu(linear(x, c_fc)), c_proj)");
}
