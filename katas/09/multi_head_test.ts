/**
 * Kata 09, steps 09.9–09.10: multi-head attention, cross-attention and an
 * encoder block. Run `deno test katas/09`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { KataAssertionError } from "../_lib/assert.ts";
import { cat, Generator, nn, randn, type Tensor } from "../../mod.ts";
import {
  assertMatches,
  asTensor,
  maxDiffAlongT,
  type Plain,
  plain,
  refCatLast,
  refHead,
  refLinear,
  shapeOf,
} from "./_checks.ts";
import { Head } from "./head.ts";
import { CrossAttentionHead, EncoderBlock, MultiHeadAttention } from "./multi_head.ts";

/** Multi-head attention in float64: every head, side by side along channels, then proj. */
function refMultiHead(m: MultiHeadAttention, x: Plain, causal: boolean): Plain {
  const outs = [...m.heads].map((h) => refHead(h, x, causal));
  return refLinear(refCatLast(outs), plain(m.proj.weight), plain(m.proj.bias!));
}

/** `x` with position `t` of every batch row replaced by noise. */
function replaceAt(x: Tensor, t: number, seed: number): Tensor {
  const [B, T, C] = x.shape;
  const parts = [x.slice(1, 0, t), randn([B, 1, C], { generator: new Generator(seed) })];
  if (t + 1 < T) parts.push(x.slice(1, t + 1));
  return cat(parts.filter((p) => p.shape[1] > 0), 1);
}

Deno.test("09.9 MultiHeadAttention: numHeads Heads, then proj; 16,448 parameters for 4 heads of 16", () => {
  const mha = new MultiHeadAttention(64, 4, 16, { generator: new Generator(1) });
  equal(mha.heads.length, 4, "heads holds numHeads heads");
  ok([...mha.heads].every((h) => h instanceof Head), "each head is a Head (09.8)");
  equal(shapeOf(mha.heads.at(0).key.weight), "(16, 64)", "each head maps C = 64 to head_size 16");
  equal(shapeOf(mha.proj.weight), "(64, 64)", "proj is Linear(numHeads · head_size, C)");
  ok(mha.proj.bias !== null, "proj has a bias, as gpt.py's");
  equal(mha.numParameters(), 4 * 3 * 64 * 16 + 64 * 64 + 64, "4·3·64·16 + 64·64 + 64 = 16,448");
  // The draws: heads first (each key, query, value), then proj — as gpt.py's __init__.
  const g = new Generator(1);
  const heads = [0, 1, 2, 3].map(() => new Head(64, 16, { generator: g }));
  const proj = new nn.Linear(64, 64, { generator: g });
  deepEqual(
    mha.heads.at(3).value.weight.dataSync().slice(0, 3),
    heads[3].value.weight.dataSync().slice(0, 3),
    "the last head's value drawn 12th",
  );
  deepEqual(
    mha.proj.weight.dataSync().slice(0, 3),
    proj.weight.dataSync().slice(0, 3),
    "proj drawn after every head",
  );
});

Deno.test("09.9 forward: the heads' outputs side by side along the channels, then proj", () => {
  // 2 heads of 5 on C = 12: the concatenation is 10 wide, proj maps it back to 12.
  const mha = new MultiHeadAttention(12, 2, 5, { generator: new Generator(2) });
  const x = randn([3, 6, 12], { generator: new Generator(3) });
  let out: Tensor;
  try {
    out = asTensor("mha.forward(x)", mha.forward(x));
  } catch (e) {
    throw new KataAssertionError(
      `mha.forward(x) on x of shape (3, 6, 12) threw ${String(e).split("\n")[0]}\n  concatenate ` +
        `the heads' (B, T, head_size) outputs along the channels (the last dim): proj takes ` +
        `(B, T, numHeads · head_size)`,
    );
  }
  equal(shapeOf(out), "(3, 6, 12)", "(B, T, C) in, (B, T, C) out");
  assertMatches(
    "mha.forward(x): proj(cat([h(x) for h in heads], dim=-1))",
    out,
    refMultiHead(mha, plain(x), true),
  );
});

Deno.test("09.9 causality through every head: a future token never changes an earlier output", () => {
  const mha = new MultiHeadAttention(8, 4, 2, { generator: new Generator(4) });
  const x = randn([2, 6, 8], { generator: new Generator(5) });
  const out = mha.forward(x);
  for (let t = 0; t < 6; t++) {
    const before = maxDiffAlongT(out, mha.forward(replaceAt(x, t, 50 + t)), 0, t);
    if (before > 1e-6) {
      throw new KataAssertionError(
        `changing x at position ${t} changed outputs before it by ${before.toExponential(2)}: ` +
          `every head must be causal (pass opts.causal on to each Head)`,
      );
    }
  }
  const open = new MultiHeadAttention(8, 4, 2, { generator: new Generator(4), causal: false });
  ok([...open.heads].every((h) => h.causal === false), "causal: false reaches every head");
});

Deno.test("09.10 cross-attention is not masked: every query sees the whole context", () => {
  const head = new CrossAttentionHead(6, 5, 4, { generator: new Generator(6) });
  const x = randn([2, 4, 6], { generator: new Generator(7) });
  const context = randn([2, 4, 5], { generator: new Generator(8) });
  const out = head.forward(x, context);
  const late = head.forward(x, replaceAt(context, 3, 1));
  const first = maxDiffAlongT(out, late, 0, 1);
  if (!(first > 1e-4)) {
    throw new KataAssertionError(
      "changing the last context token left the first query's output unchanged: " +
        "cross-attention has no mask (the context is not the future: it is another sequence)",
    );
  }
  // Queries never talk to each other: changing query 1 changes output 1 only.
  const q1 = head.forward(replaceAt(x, 1, 2), context);
  ok(
    maxDiffAlongT(out, q1, 0, 1) < 1e-6 && maxDiffAlongT(out, q1, 2, 4) < 1e-6,
    "outputs 0, 2, 3 stay",
  );
  ok(maxDiffAlongT(out, q1, 1, 2) > 1e-4, "output 1 changes with query 1");
});

Deno.test("09.10 CrossAttentionHead: queries from x, keys and values from the context (Tq 3, Tk 7)", () => {
  const head = new CrossAttentionHead(6, 10, 4, { generator: new Generator(6) });
  equal(shapeOf(head.query.weight), "(4, 6)", "query = Linear(nEmbd, head_size) reads x");
  equal(
    shapeOf(head.key.weight),
    "(4, 10)",
    "key = Linear(contextDim, head_size) reads the context",
  );
  equal(
    shapeOf(head.value.weight),
    "(4, 10)",
    "value = Linear(contextDim, head_size) reads the context",
  );
  equal(head.numParameters(), 4 * 6 + 2 * 4 * 10);
  const x = randn([2, 3, 6], { generator: new Generator(7) });
  const context = randn([2, 7, 10], { generator: new Generator(8) });
  const out = asTensor("head.forward(x, context)", head.forward(x, context));
  equal(shapeOf(out), "(2, 3, 4)", "one output per query: (B, Tq, head_size)");
  assertMatches(
    "head.forward(x, context): softmax(q kᵀ / √hs) v, q = query(x), k = key(ctx), v = value(ctx)",
    out,
    refHead(head, plain(x), false, plain(context)),
  );
});

Deno.test("09.10 EncoderBlock: x + sa(x), self-attention without a mask", () => {
  const block = new EncoderBlock(12, 3, { generator: new Generator(9) });
  equal(block.sa.heads.length, 3, "numHeads heads");
  equal(shapeOf(block.sa.heads.at(0).query.weight), "(4, 12)", "head_size = nEmbd / numHeads = 4");
  ok([...block.sa.heads].every((h) => h.causal === false), "an encoder's heads are not causal");
  const x = randn([2, 5, 12], { generator: new Generator(10) });
  const want = refMultiHead(block.sa, plain(x), false);
  const xs = plain(x).data;
  assertMatches("block.forward(x) = x + sa(x)", block.forward(x), {
    data: want.data.map((v, i) => v + xs[i]),
    shape: want.shape,
  });
  const out = block.forward(x), changed = block.forward(replaceAt(x, 4, 3));
  ok(maxDiffAlongT(out, changed, 0, 1) > 1e-4, "the last token reaches the first output");
});

Deno.test("09.10 attention acts on a set: permuting an encoder's input permutes its output", () => {
  const block = new EncoderBlock(8, 2, { generator: new Generator(11) });
  const x = randn([1, 5, 8], { generator: new Generator(12) });
  const perm = [3, 0, 4, 1, 2];
  const permuted = cat(perm.map((p) => x.slice(1, p, p + 1)), 1);
  const out = block.forward(x), outP = block.forward(permuted);
  const want = cat(perm.map((p) => out.slice(1, p, p + 1)), 1);
  ok(
    maxDiffAlongT(outP, want, 0, 5) < 1e-5,
    "no position is known to attention: the same tokens in another order give the same outputs, " +
      "reordered (this is why the model needs position embeddings, 09.11)",
  );
});
