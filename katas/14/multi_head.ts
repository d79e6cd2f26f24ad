/**
 * Kata 14, steps 14.4–14.5: one attention head over the cached positions, then
 * the layer of four heads with its KV cache.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { sum, type Value } from "./autograd.ts";
import type { LayerWeights } from "./data.ts";
import { linear, softmax } from "./layers.ts";

/**
 * What one layer has seen so far: for each earlier position (and the current
 * one once appended), its key and its value, each `(nEmbd)`, all heads side by side.
 */
export interface LayerCache {
  /** `(T, nEmbd)` keys, one per position. */
  keys: Value[][];
  /** `(T, nEmbd)` values, one per position. */
  values: Value[][];
}

/**
 * An empty cache per layer, for a new document.
 *
 * @param nLayer the number of layers
 * @returns `nLayer` empty caches
 */
export function emptyCache(nLayer: number): LayerCache[] {
  return todo("14.5", "emptyCache: one { keys: [], values: [] } per layer");
}

/**
 * One head for the newest position: logits `q·k[t] / sqrt(headDim)` over
 * every cached position t, softmax, then the weighted sum of the values.
 *
 * @param q `(headDim)` the current position's query
 * @param keys `(T, headDim)` the keys of positions 0..T-1 (the current one last)
 * @param values `(T, headDim)` their values
 * @returns `(headDim)`
 */
export function attendHead(
  q: readonly Value[],
  keys: readonly (readonly Value[])[],
  values: readonly (readonly Value[])[],
): Value[] {
  return todo("14.4", "attendHead: softmax(q·k[t] / sqrt(headDim)), then sum of w[t] * v[t]");
}

/**
 * Multi-head self-attention for one new position: q, k, v projections of x,
 * k and v appended to the cache, each head attends over its slice of every
 * cached key and value, the heads are concatenated and projected by attn_wo.
 *
 * @param x `(nEmbd)` the normalized input of the current position
 * @param layer the block's weights
 * @param cache the block's cache (grows by one position)
 * @param nHead the number of heads
 * @returns `(nEmbd)`, before the residual
 */
export function attention(
  x: readonly Value[],
  layer: LayerWeights,
  cache: LayerCache,
  nHead: number,
): Value[] {
  return todo(
    "14.5",
    "attention: q, k, v = linear; cache k and v; each head on its slice; attn_wo",
  );
}
