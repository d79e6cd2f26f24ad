/**
 * Kata 12, steps 12.5–12.6: attention with a causal mask, and multi-head
 * attention from GPT-2's fused projection (picoGPT's `attention` and `mha`).
 * Replace every `todo(...)` with your code; `deno test katas/12` tells you what
 * to do next.
 *
 * From the library: `tensor(float32Array, { shape })`, `k.transpose(-2, -1)`
 * [`k.T`], `q.matmul(k)` (batched over leading axes), `x.split(C, -1)`
 * [`np.split(x, 3, axis=-1)`], `x.reshape([...])`, `x.transpose(0, 1)`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { type Tensor, tensor } from "../../mod.ts";
import type { AttentionParams } from "./_types.ts";
import { linear, softmax } from "./functions.ts";

/**
 * picoGPT's mask `(1 - np.tri(T)) * -1e10`: 0 where query `i` may look at key `j`
 * (`j ≤ i + offset`), −1e10 where it may not.
 *
 * @param tq how many queries
 * @param tk how many keys (default `tq`)
 * @param offset the first query's position among the keys (default `tk - tq`)
 * @returns `(tq, tk)`
 */
export function causalMask(tq: number, tk = tq, offset = tk - tq): Tensor {
  return todo("12.5", "causalMask: 0 where j ≤ i + offset, −1e10 after");
}

/**
 * `softmax(q @ kᵀ / √d_k + mask) @ v`.
 *
 * @param q `(..., Tq, d_k)`
 * @param k `(..., Tk, d_k)`
 * @param v `(..., Tk, d_v)`
 * @param mask `(Tq, Tk)`, added to the scores
 * @returns `(..., Tq, d_v)`
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor): Tensor {
  return todo("12.5", "attention: softmax(q @ kᵀ / √d_k + mask) @ v");
}

/**
 * Splits `(T, C)` into heads: `(nHead, T, C / nHead)`.
 *
 * @param x `(T, C)`
 * @param nHead how many heads
 * @returns `(nHead, T, hs)`
 */
export function splitHeads(x: Tensor, nHead: number): Tensor {
  return todo("12.6", "splitHeads: (T, C) → (T, nHead, hs) → (nHead, T, hs)");
}

/**
 * Puts the heads side by side again: `(nHead, T, hs)` → `(T, nHead·hs)`.
 *
 * @param x `(nHead, T, hs)`
 * @returns `(T, C)`
 */
export function mergeHeads(x: Tensor): Tensor {
  return todo("12.6", "mergeHeads: (nHead, T, hs) → (T, nHead, hs) → (T, C)");
}

/**
 * Causal multi-head self-attention: one fused projection to q, k and v, each
 * split into heads, attention per head (as one batched product), the heads
 * merged, and the output projection.
 *
 * @param x `(T, C)`
 * @param attn `cAttn` `[C, 3C]` and `cProj` `[C, C]`
 * @param nHead how many heads
 * @returns `(T, C)`
 */
export function mha(x: Tensor, attn: AttentionParams, nHead: number): Tensor {
  return todo("12.6", "mha: linear(c_attn), split q/k/v, heads, attention, merge, linear(c_proj)");
}
