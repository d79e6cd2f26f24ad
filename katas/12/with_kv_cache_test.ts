/**
 * Kata 12, step 12.11: generation with a KV cache gives the same logits and
 * tokens as running the whole sequence each time. Run `deno test katas/12`.
 *
 * @module
 */

import { deepEqual, equal } from "node:assert/strict";
import {
  assertTensor,
  build,
  columns,
  plain,
  refLayerNorm,
  refMatmul,
  TINY,
  TINY_HPARAMS,
  TINY_PARAMS,
} from "./_checks.ts";
import { cachedLength, generateCached, gpt2Cached, newCache } from "./with_kv_cache.ts";

const N_HEAD = TINY_HPARAMS.nHead, V = TINY_HPARAMS.nVocab, T = TINY.prompt.length;
const rows = (from: number, n: number) => ({
  data: TINY.logits.slice(from * V, (from + n) * V),
  shape: [n, V],
});

Deno.test("12.11 gpt2Cached on an empty cache: the whole prompt's logits, and 8 positions cached", () => {
  const cache = newCache(TINY_HPARAMS.nLayer);
  equal(cachedLength(cache), 0, "12.11 a new cache holds 0 positions");
  assertTensor(
    "12.11 gpt2Cached(prompt, …, newCache)",
    gpt2Cached(TINY.prompt, TINY_PARAMS, N_HEAD, cache),
    rows(0, T),
    2e-4,
  );
  equal(cachedLength(cache), T, "12.11 after the prompt the cache holds its 8 positions");
});

Deno.test("12.11 the cache holds each layer's keys (not queries), (T, C)", () => {
  const cache = newCache(TINY_HPARAMS.nLayer);
  gpt2Cached(TINY.prompt, TINY_PARAMS, N_HEAD, cache);
  const p = TINY_PARAMS, wte = p.wte.dataSync(), wpe = p.wpe.dataSync();
  const x = build([T, 64], (i) => wte[TINY.prompt[Math.floor(i / 64)] * 64 + (i % 64)] + wpe[i]);
  const a = refLayerNorm(x, p.blocks[0].ln1.g.dataSync(), p.blocks[0].ln1.b.dataSync());
  const qkv = refMatmul(a, plain("c_attn", p.blocks[0].attn.cAttn.w)),
    b = p.blocks[0].attn.cAttn.b.dataSync();
  const k = columns(build([T, 192], (i) => qkv.data[i] + b[i % 192]), 64, 64);
  assertTensor(
    "12.11 cache.k[0] (layer 0's keys: the middle third of c_attn's output)",
    cache.k[0],
    k,
    1e-4,
  );
});

Deno.test("12.11 the prompt in two calls (5, then 3 tokens) gives the same logits: positions continue", () => {
  const cache = newCache(TINY_HPARAMS.nLayer);
  assertTensor(
    "12.11 first call, tokens 0–4",
    gpt2Cached(TINY.prompt.slice(0, 5), TINY_PARAMS, N_HEAD, cache),
    rows(0, 5),
    2e-4,
  );
  assertTensor(
    "12.11 second call, tokens 5–7 (positions 5..7, attending to all cached keys)",
    gpt2Cached(TINY.prompt.slice(5), TINY_PARAMS, N_HEAD, cache),
    rows(5, 3),
    2e-4,
  );
});

Deno.test("12.11 one token at a time gives the same logits at every position", () => {
  const cache = newCache(TINY_HPARAMS.nLayer);
  for (let t = 0; t < T; t++) {
    assertTensor(
      `12.11 token ${t} alone`,
      gpt2Cached([TINY.prompt[t]], TINY_PARAMS, N_HEAD, cache),
      rows(t, 1),
      2e-4,
    );
  }
});

Deno.test("12.11 generateCached: the same 12 greedy tokens as without the cache", () => {
  deepEqual(
    generateCached(TINY.prompt, TINY_PARAMS, N_HEAD, 12),
    TINY.continuation,
    "12.11 generateCached",
  );
});
