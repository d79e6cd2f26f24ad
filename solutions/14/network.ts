/**
 * Kata 14, steps 14.6–14.7: the block and the whole forward pass for one
 * token, then the loss of one document.
 *
 * @module
 */

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
  const a = attention(rmsnorm(x), layer, cache, config.nHead);
  const x1 = a.map((ai, i) => ai.add(x[i]));
  let h = linear(rmsnorm(x1), layer.mlpFc1); // (4·nEmbd)
  h = h.map((hi) => hi.relu());
  const m = linear(h, layer.mlpFc2); // (nEmbd)
  return m.map((mi, i) => mi.add(x1[i]));
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
  const tok = sd.wte[tokenId], pos = sd.wpe[posId];
  let x = rmsnorm(tok.map((t, i) => t.add(pos[i]))); // (nEmbd)
  for (let l = 0; l < config.nLayer; l++) x = block(x, sd.layers[l], caches[l], config);
  return linear(x, sd.lmHead);
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
  const n = Math.min(config.blockSize, tokens.length - 1);
  const caches = emptyCache(config.nLayer);
  const losses: Value[] = [];
  for (let p = 0; p < n; p++) {
    const probs = softmax(gpt(tokens[p], p, sd, caches, config));
    losses.push(probs[tokens[p + 1]].log().neg());
  }
  return sum(losses).mul(1 / n);
}
