/**
 * Kata 14, steps 14.6–14.7: the block and the whole forward pass for one
 * token, then the loss of one document.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { sum, type Value } from "./autograd.ts";
import type { Config, LayerWeights, StateDict } from "./data.ts";
import { linear, rmsnorm, softmax } from "./layers.ts";
import { attention, emptyCache, type LayerCache } from "./multi_head.ts";

/**
 * A pre-norm transformer block for one position:
 * `x = x + attn(rmsnorm(x))`, then `x = x + fc2(relu(fc1(rmsnorm(x))))`.
 *
 * @param x `(nEmbd)`
 * @param layer the block's weights
 * @param cache the block's KV cache
 * @param config the sizes
 * @returns `(nEmbd)`
 */
export function block(
  x: readonly Value[],
  layer: LayerWeights,
  cache: LayerCache,
  config: Config,
): Value[] {
  return todo("14.6", "block: x + attention(rmsnorm(x)), then + fc2(relu(fc1(rmsnorm(x))))");
}

/**
 * The GPT for one token at one position: token + position embedding,
 * rmsnorm, the blocks, lm_head.
 *
 * @param tokenId the token
 * @param posId its position (< blockSize)
 * @param sd the weights
 * @param caches one cache per layer, holding the earlier positions
 * @param config the sizes
 * @returns `(vocabSize)` logits for the next token
 */
export function gpt(
  tokenId: number,
  posId: number,
  sd: StateDict,
  caches: LayerCache[],
  config: Config,
): Value[] {
  return todo("14.6", "gpt: rmsnorm(wte[token] + wpe[pos]), the blocks, linear(x, lmHead)");
}

/**
 * The mean over positions of `-log p(next token)`, for `[BOS, ...name, BOS]`
 * cut to blockSize predictions; fresh caches.
 *
 * @param tokens the encoded document
 * @param sd the weights
 * @param config the sizes
 * @returns the loss, ready for backward
 */
export function documentLoss(tokens: readonly number[], sd: StateDict, config: Config): Value {
  return todo(
    "14.7",
    "documentLoss: mean of -log softmax(gpt(...))[next] over min(blockSize, n - 1)",
  );
}
