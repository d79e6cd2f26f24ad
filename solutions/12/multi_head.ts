/**
 * Kata 12, steps 12.5–12.6, the reference solution: attention with a causal
 * mask, and multi-head attention from GPT-2's fused projection.
 *
 * @module
 */

import { type Tensor, tensor } from "../../mod.ts";
import type { AttentionParams } from "../../katas/12/_types.ts";
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
  const m = new Float32Array(tq * tk);
  for (let i = 0; i < tq; i++) {
    for (let j = i + offset + 1; j < tk; j++) m[i * tk + j] = -1e10;
  }
  return tensor(m, { shape: [tq, tk] });
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
  const dk = q.shape[q.ndim - 1];
  const scores = q.matmul(k.transpose(-2, -1)).div(Math.sqrt(dk)).add(mask); // (..., Tq, Tk)
  return softmax(scores).matmul(v);
}

/**
 * Splits `(T, C)` into heads: `(nHead, T, C / nHead)`.
 *
 * @param x `(T, C)`
 * @param nHead how many heads
 * @returns `(nHead, T, hs)`
 */
export function splitHeads(x: Tensor, nHead: number): Tensor {
  const [T, C] = x.shape;
  return x.reshape([T, nHead, C / nHead]).transpose(0, 1); // (nHead, T, hs)
}

/**
 * Puts the heads side by side again: `(nHead, T, hs)` → `(T, nHead·hs)`.
 *
 * @param x `(nHead, T, hs)`
 * @returns `(T, C)`
 */
export function mergeHeads(x: Tensor): Tensor {
  const [nHead, T, hs] = x.shape;
  return x.transpose(0, 1).reshape([T, nHead * hs]); // (T, C)
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
  const [T, C] = x.shape;
  const qkv = linear(x, attn.cAttn); // (T, 3C)
  const [q, k, v] = qkv.split(C, -1).map((t) => splitHeads(t, nHead)); // 3 × (nHead, T, hs)
  const heads = attention(q, k, v, causalMask(T)); // (nHead, T, hs)
  return linear(mergeHeads(heads), attn.cProj); // (T, C)
}
