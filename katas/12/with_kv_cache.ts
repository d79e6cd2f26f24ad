/**
 * Kata 12, step 12.11: generation with a KV cache. Each new token's keys and
 * values are kept per layer, so a step runs the model on the new token alone
 * instead of the whole sequence. Replace every `todo(...)` with your code.
 *
 * From the library: `cat([a, b], 0)`, and your own `linear`, `layerNorm`,
 * `ffn`, `attention`, `causalMask(tq, tk)`, `splitHeads`, `mergeHeads`, `embed`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { cat, type Tensor } from "../../mod.ts";
import type { AttentionParams, GPT2Params } from "./_types.ts";
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
  return todo("12.11", "newCache: nLayer empty slots for keys and for values");
}

/**
 * How many positions the cache holds.
 *
 * @param cache a cache
 * @returns 0 for a new cache
 */
export function cachedLength(cache: KVCache): number {
  return todo("12.11", "cachedLength: rows of the first layer's keys, 0 when empty");
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
  return todo(
    "12.11",
    "gpt2Cached: embed from the cached length; per block, attention over cat(cached, new) keys",
  );
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
  return todo("12.11", "generateCached: gpt2Cached(prompt), then gpt2Cached([next]) per token");
}
