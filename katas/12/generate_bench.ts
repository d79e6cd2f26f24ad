/**
 * Kata 12 benchmark: greedy generation of 16 tokens after a 16-token prompt on
 * a random GPT-2-shaped model (4 layers, 4 heads, n_embd 256, vocabulary 2,048),
 * without and with a KV cache — yours and the reference's. Run
 * `deno bench katas/12`; the cache's speed-up is the ratio within a group.
 *
 * @module
 */

import { Generator, randn, type Tensor } from "../../mod.ts";
import type { GPT2Params } from "./_types.ts";
import * as learnerCache from "./with_kv_cache.ts";
import * as learnerModel from "./transformer.ts";
import * as referenceCache from "../../solutions/12/with_kv_cache.ts";
import * as referenceModel from "../../solutions/12/transformer.ts";

const V = 2048, N_CTX = 128, C = 256, N_HEAD = 4, N_LAYER = 4;

/** A random model with GPT-2's shapes (weights N(0, 0.02), LayerNorm gains 1). */
function randomModel(): GPT2Params {
  const g = new Generator(12);
  const r = (shape: number[], std = 0.02): Tensor => randn(shape, { generator: g }).mul(std);
  const ones = (n: number) => r([n], 0).add(1);
  const lin = (i: number, o: number) => ({ w: r([i, o]), b: r([o]) });
  return {
    wte: r([V, C]),
    wpe: r([N_CTX, C]),
    blocks: Array.from({ length: N_LAYER }, () => ({
      ln1: { g: ones(C), b: r([C]) },
      attn: { cAttn: lin(C, 3 * C), cProj: lin(C, C) },
      ln2: { g: ones(C), b: r([C]) },
      mlp: { cFc: lin(C, 4 * C), cProj: lin(4 * C, C) },
    })),
    lnF: { g: ones(C), b: r([C]) },
  };
}

const params = randomModel();
const prompt = Array.from({ length: 16 }, (_, i) => (i * 37) % V);

Deno.bench({
  name: "reference, no cache: 16 tokens",
  group: "reference",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: () => void referenceModel.generate(prompt, params, N_HEAD, 16),
});
Deno.bench({
  name: "reference, KV cache: 16 tokens",
  group: "reference",
  n: 3,
  warmup: 1,
  fn: () => void referenceCache.generateCached(prompt, params, N_HEAD, 16),
});
Deno.bench({
  name: "yours, no cache: 16 tokens",
  group: "yours",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: () => void learnerModel.generate(prompt, params, N_HEAD, 16),
});
Deno.bench({
  name: "yours, KV cache: 16 tokens",
  group: "yours",
  n: 3,
  warmup: 1,
  fn: () => void learnerCache.generateCached(prompt, params, N_HEAD, 16),
});
