/**
 * Kata 12, step 12.11, the reference solution: generation with a KV cache.
 * Each new token's keys and values are kept per layer, so a step runs the model
 * on the new token alone instead of the whole sequence.
 *
 * @module
 */

import { cat, type Tensor } from "../../mod.ts";
import type { AttentionParams, GPT2Params } from "../../katas/12/_types.ts";
import { ffn, layerNorm, linear } from "./functions.ts";
import { attention, causalMask, mergeHeads, splitHeads } from "./multi_head.ts";
import { embed } from "./transformer.ts";

/** The keys and values seen so far, per layer: each `(T, C)`, or undefined before the first call. */
export interface KVCache {
  /** keys per layer */
  k: (Tensor | undefined)[];
  /** values per layer */
  v: (Tensor | undefined)[];
}

/**
 * An empty cache.
 *
 * @param nLayer how many blocks
 * @returns a cache holding nothing
 */
export function newCache(nLayer: number): KVCache {
  return { k: Array(nLayer).fill(undefined), v: Array(nLayer).fill(undefined) };
}

/**
 * How many positions the cache holds.
 *
 * @param cache a cache
 * @returns 0 for a new cache
 */
export function cachedLength(cache: KVCache): number {
  return cache.k[0]?.shape[0] ?? 0;
}

function mhaCached(
  x: Tensor,
  attn: AttentionParams,
  nHead: number,
  cache: KVCache,
  layer: number,
): Tensor {
  const [T, C] = x.shape;
  const [q, kNew, vNew] = linear(x, attn.cAttn).split(C, -1); // 3 × (T, C)
  const kPrev = cache.k[layer], vPrev = cache.v[layer];
  const k = kPrev === undefined ? kNew : cat([kPrev, kNew], 0); // (past + T, C)
  const v = vPrev === undefined ? vNew : cat([vPrev, vNew], 0); // (past + T, C)
  cache.k[layer] = k;
  cache.v[layer] = v;
  const mask = causalMask(T, k.shape[0]); // (T, past + T): new query i sees keys 0..past+i
  const heads = attention(splitHeads(q, nHead), splitHeads(k, nHead), splitHeads(v, nHead), mask);
  return linear(mergeHeads(heads), attn.cProj); // (T, C)
}

/**
 * GPT-2's forward pass over the tokens that follow what the cache holds,
 * appending their keys and values to it.
 *
 * @param inputs the new token ids
 * @param params the weights
 * @param nHead attention heads
 * @param cache updated in place
 * @returns `(T_new, nVocab)`: the logits after each new position
 */
export function gpt2Cached(
  inputs: readonly number[],
  params: GPT2Params,
  nHead: number,
  cache: KVCache,
): Tensor {
  let x = embed(inputs, params, cachedLength(cache)); // (T_new, C)
  params.blocks.forEach((block, i) => {
    x = x.add(mhaCached(layerNorm(x, block.ln1), block.attn, nHead, cache, i));
    x = x.add(ffn(layerNorm(x, block.ln2), block.mlp));
  });
  return layerNorm(x, params.lnF).matmul(params.wte.transpose(0, 1)); // (T_new, nVocab)
}

/**
 * Greedy decoding with a KV cache: the prompt once, then one token per step.
 *
 * @param inputs the prompt's token ids
 * @param params the weights
 * @param nHead attention heads
 * @param nTokens how many tokens to generate
 * @returns the generated ids only
 */
export function generateCached(
  inputs: readonly number[],
  params: GPT2Params,
  nHead: number,
  nTokens: number,
): number[] {
  const cache = newCache(params.blocks.length);
  const out: number[] = [];
  let next = [...inputs];
  for (let i = 0; i < nTokens; i++) {
    const logits = gpt2Cached(next, params, nHead, cache); // (T_new, nVocab)
    const id = logits.select(0, next.length - 1).argmax().itemSync();
    out.push(id);
    next = [id];
  }
  return out;
}
