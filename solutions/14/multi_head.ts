/**
 * Kata 14, steps 14.4–14.5: one attention head over the cached positions, then
 * the layer of four heads with its KV cache.
 *
 * @module
 */

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
  return Array.from({ length: nLayer }, () => ({ keys: [], values: [] }));
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
  const hd = q.length;
  const logits = keys.map((k) => sum(q.map((qj, j) => qj.mul(k[j]))).div(hd ** 0.5)); // (T)
  const w = softmax(logits); // (T)
  const out: Value[] = [];
  for (let j = 0; j < hd; j++) out.push(sum(values.map((v, t) => w[t].mul(v[j]))));
  return out;
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
  const q = linear(x, layer.attnWq); // (nEmbd)
  const k = linear(x, layer.attnWk);
  const v = linear(x, layer.attnWv);
  cache.keys.push(k);
  cache.values.push(v);
  const hd = q.length / nHead;
  const heads: Value[] = [];
  for (let h = 0; h < nHead; h++) {
    const s = h * hd;
    heads.push(
      ...attendHead(
        q.slice(s, s + hd),
        cache.keys.map((kt) => kt.slice(s, s + hd)), // (T, hd)
        cache.values.map((vt) => vt.slice(s, s + hd)),
      ),
    );
  }
  return linear(heads, layer.attnWo);
}
