/**
 * Kata 10, steps 10.1–10.2: gpt.py's Head and MultiHeadAttention. Run
 * `deno test katas/10`.
 *
 * @module
 */

import { equal, ok } from "node:assert/strict";
import { KataAssertionError } from "../_lib/assert.ts";
import { cat, Generator, nn, randn, type Tensor, zeros } from "../../mod.ts";
import {
  assertMatches,
  asTensor,
  maxDiffAlongT,
  plain,
  refHead,
  refMultiHead,
  shapeOf,
} from "./_checks.ts";
import { Head, MultiHeadAttention } from "./attention.ts";

const CONFIG = { vocabSize: 65, blockSize: 8, nEmbd: 12, nHead: 3, nLayer: 1, dropout: 0 };

/** `x` with position `t` of every batch row replaced by noise. */
function replaceAt(x: Tensor, t: number, seed: number): Tensor {
  const [B, T, C] = x.shape;
  const parts = [x.slice(1, 0, t), randn([B, 1, C], { generator: new Generator(seed) })];
  if (t + 1 < T) parts.push(x.slice(1, t + 1));
  return cat(parts.filter((p) => p.shape[1] > 0), 1);
}

function assertCausalOutputs(f: (x: Tensor) => Tensor, x: Tensor, what: string): void {
  const out = f(x);
  for (let t = 0; t < x.shape[1]; t++) {
    const before = maxDiffAlongT(out, f(replaceAt(x, t, 40 + t)), 0, t);
    if (before > 1e-6) {
      throw new KataAssertionError(
        `${what}: changing x at position ${t} changed the outputs before it by ` +
          `${before.toExponential(2)}: mask the future (tril == 0) with −∞ before the softmax`,
      );
    }
  }
}

Deno.test("10.1 Head: key, query, value without bias, and the tril buffer (not a parameter)", () => {
  const h = new Head(CONFIG, 4, { generator: new Generator(1) });
  for (const name of ["key", "query", "value"] as const) {
    equal(shapeOf(h[name].weight), "(4, 12)", `${name} = Linear(nEmbd, headSize)`);
    equal(h[name].bias, null, `${name} has no bias (bias=False in gpt.py)`);
  }
  equal(shapeOf(asTensor("tril", h.tril)), "(8, 8)", "tril is (blockSize, blockSize)");
  equal(h.numParameters(), 3 * 12 * 4, "tril is a buffer (registerBuffer), not a parameter");
  equal(h.tril.dataSync()[1], 0, "tril is lower-triangular: tril[0, 1] = 0");
  equal(h.tril.dataSync()[8], 1, "tril[1, 0] = 1");
});

Deno.test("10.1 Head.forward: softmax(q kᵀ · head_size^−0.5, future masked) @ v, T 5 < blockSize 8", () => {
  const h = new Head(CONFIG, 4, { generator: new Generator(2) });
  const x = randn([3, 5, 12], { generator: new Generator(3) }).mul(3);
  const out = asTensor("head.forward(x)", h.forward(x));
  equal(shapeOf(out), "(3, 5, 4)", "(B, T, C) in, (B, T, headSize) out");
  assertMatches("head.forward(x)", out, refHead(h, plain(x)));
  assertCausalOutputs((t) => h.forward(t), x, "head.forward");
});

Deno.test("10.1 Head: dropout on the attention weights in training, none after eval()", () => {
  const h = new Head({ ...CONFIG, dropout: 0.5 }, 4, { generator: new Generator(4) });
  ok(h.dropout instanceof nn.Dropout, "head.dropout is an nn.Dropout(config.dropout)");
  equal(h.dropout.p, 0.5);
  const x = randn([2, 6, 12], { generator: new Generator(5) });
  const a = h.forward(x).dataSync(), b = h.forward(x).dataSync();
  ok(a.some((v, i) => v !== b[i]), "in training mode two forwards drop different weights");
  h.eval();
  assertMatches("head.forward(x) after eval(): no dropout", h.forward(x), refHead(h, plain(x)));
});

Deno.test("10.2 MultiHeadAttention: numHeads heads, proj with bias, dropout", () => {
  const m = new MultiHeadAttention(CONFIG, 3, 4, { generator: new Generator(6) });
  equal(m.heads.length, 3, "heads holds numHeads Heads");
  ok([...m.heads].every((h) => h instanceof Head), "each head is a Head (10.1)");
  equal(shapeOf(m.proj.weight), "(12, 12)", "proj = Linear(numHeads · headSize, nEmbd)");
  ok(m.proj.bias !== null, "proj has a bias");
  ok(m.dropout instanceof nn.Dropout, "mha.dropout is an nn.Dropout(config.dropout)");
  equal(m.numParameters(), 3 * 3 * 12 * 4 + 12 * 12 + 12);
});

Deno.test("10.2 MultiHeadAttention.forward: proj(cat(heads, dim=-1)), causal", () => {
  const m = new MultiHeadAttention(CONFIG, 3, 4, { generator: new Generator(7) });
  const x = randn([2, 7, 12], { generator: new Generator(8) });
  const out = asTensor("mha.forward(x)", m.forward(x));
  equal(shapeOf(out), "(2, 7, 12)", "(B, T, C) in, (B, T, C) out");
  assertMatches("mha.forward(x)", out, refMultiHead(m, plain(x)));
  assertCausalOutputs((t) => m.forward(t), x, "mha.forward");
});

Deno.test("10.2 MultiHeadAttention equals the library's nn.CausalSelfAttention with its weights", () => {
  // nanoGPT's fused attention: one Linear(C, 3C) for q, k, v of all heads (rows: the queries
  // of head 0, 1, 2, then the keys, then the values), a bias we set to zero, and cProj = proj.
  const m = new MultiHeadAttention(CONFIG, 3, 4, { generator: new Generator(9) });
  const lib = new nn.CausalSelfAttention({ ...CONFIG, bias: true });
  const heads = [...m.heads];
  const rows = (name: "query" | "key" | "value") => heads.map((h) => h[name].weight);
  lib.loadStateDict({
    "cAttn.weight": cat([...rows("query"), ...rows("key"), ...rows("value")], 0),
    "cAttn.bias": zeros([36]),
    "cProj.weight": m.proj.weight,
    "cProj.bias": m.proj.bias!,
  });
  const x = randn([2, 8, 12], { generator: new Generator(10) });
  assertMatches(
    "mha.forward(x) against nn.CausalSelfAttention",
    asTensor("mha.forward(x)", m.forward(x)),
    plain(lib.forward(x)),
    1e-5,
  );
});

Deno.test("10.2 eval() reaches every dropout: MultiHeadAttention is deterministic in eval mode", () => {
  const m = new MultiHeadAttention({ ...CONFIG, dropout: 0.5 }, 3, 4, {
    generator: new Generator(11),
  });
  const x = randn([2, 6, 12], { generator: new Generator(12) });
  m.eval();
  const a = m.forward(x).dataSync(), b = m.forward(x).dataSync();
  if (a.some((v, i) => v !== b[i])) {
    throw new KataAssertionError(
      "after mha.eval() two forwards differ: a Dropout that eval() cannot reach is still on. " +
        'Register it with this.registerModule("dropout", ...) so that train()/eval() reach it',
    );
  }
  assertMatches("mha.forward(x) after eval()", m.forward(x), refMultiHead(m, plain(x)));
});
