/**
 * Kata 12, steps 12.1–12.4, the reference solution: GPT-2's small functions,
 * as picoGPT writes them in NumPy.
 *
 * @module
 */

import type { Tensor } from "../../mod.ts";
import type { LayerNormParams, LinearParams, MlpParams } from "../../katas/12/_types.ts";

/**
 * GELU in GPT-2's tanh form: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 *
 * @param x any shape
 * @returns the same shape
 */
export function gelu(x: Tensor): Tensor {
  const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
  return x.mul(0.5).mul(inner.tanh().add(1));
}

/**
 * Softmax over the last axis, the row's max subtracted first so `exp` cannot overflow.
 *
 * @param x `(..., n)`
 * @returns `(..., n)`, each row summing to 1
 */
export function softmax(x: Tensor): Tensor {
  const e = x.sub(x.amax(-1, { keepdim: true })).exp();
  return e.div(e.sum(-1, { keepdim: true }));
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
  const mean = x.mean(-1, { keepdim: true });
  const variance = x.var(-1, { keepdim: true, unbiased: false });
  return x.sub(mean).div(variance.add(eps).sqrt()).mul(ln.g).add(ln.b);
}

/**
 * `x @ w + b` with `w` stored `[in, out]`.
 *
 * @param x `(..., in)`
 * @param p weight `[in, out]`, bias `[out]`
 * @returns `(..., out)`
 */
export function linear(x: Tensor, p: LinearParams): Tensor {
  return x.matmul(p.w).add(p.b);
}

/**
 * The feed-forward network: project up 4×, GELU, project back down.
 *
 * @param x `(T, nEmbd)`
 * @param mlp the two projections
 * @returns `(T, nEmbd)`
 */
export function ffn(x: Tensor, mlp: MlpParams): Tensor {
  const a = gelu(linear(x, mlp.cFc)); // (T, 4·nEmbd)
  return linear(a, mlp.cProj); // (T, nEmbd)
}
