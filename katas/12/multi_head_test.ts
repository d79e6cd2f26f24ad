/**
 * Kata 12, steps 12.5–12.6: causal attention and multi-head attention from
 * GPT-2's fused projection. Run `deno test katas/12`.
 *
 * @module
 */

import { deepEqual, ok } from "node:assert/strict";
import { Generator, randn, tensor } from "../../mod.ts";
import {
  assertTensor,
  build,
  type Plain,
  plain,
  refAttention,
  refMha,
  TINY_PARAMS,
} from "./_checks.ts";
import { attention, causalMask, mergeHeads, mha, splitHeads } from "./multi_head.ts";

const g = () => new Generator(1212);

Deno.test("12.5 causalMask(4): 0 on and below the diagonal, −1e10 above (picoGPT's mask)", () => {
  const m = plain("12.5 causalMask(4)", causalMask(4));
  deepEqual(m.shape, [4, 4], "12.5 causalMask(4) must be (4, 4)");
  const want = build([4, 4], (i) => (i % 4) > Math.floor(i / 4) ? -1e10 : 0);
  assertTensor("12.5 causalMask(4)", causalMask(4), want, 1e-6);
});

Deno.test("12.5 causalMask(2, 5): 2 new queries after 3 earlier keys see keys 0..3 and 0..4", () => {
  const want = build([2, 5], (i) => (i % 5) > Math.floor(i / 5) + 3 ? -1e10 : 0);
  assertTensor("12.5 causalMask(2, 5) (offset tk − tq = 3)", causalMask(2, 5), want, 1e-6);
});

Deno.test("12.5 attention: softmax(q @ kᵀ / √d_k + mask) @ v, (T 5, d_k 6, d_v 3)", () => {
  const gen = g();
  const q = randn([5, 6], { generator: gen }), k = randn([5, 6], { generator: gen });
  const v = randn([5, 3], { generator: gen });
  const ref = refAttention(plain("q", q), plain("k", k), plain("v", v));
  assertTensor(
    "12.5 attention(q, k, v, causalMask(5)) (scores divided by √d_k, mask added before softmax)",
    attention(q, k, v, causalMask(5)),
    ref,
  );
});

Deno.test("12.5 attention: a future key or value never changes an earlier output", () => {
  const gen = g();
  const q = randn([6, 4], { generator: gen }), k = randn([6, 4], { generator: gen });
  const v = randn([6, 4], { generator: gen });
  const before = plain("12.5 attention", attention(q, k, v, causalMask(6)));
  const kd = Float32Array.from(k.dataSync()), vd = Float32Array.from(v.dataSync());
  kd[5 * 4] += 10;
  vd[5 * 4 + 1] -= 10;
  const k2 = tensor(kd, { shape: [6, 4] }), v2 = tensor(vd, { shape: [6, 4] });
  const after = plain("12.5 attention", attention(q, k2, v2, causalMask(6)));
  for (let i = 0; i < 5 * 4; i++) {
    ok(
      before.data[i] === after.data[i],
      `12.5 attention: changing the last key and value changed output row ${Math.floor(i / 4)} (${
        before.data[i]
      } → ${after.data[i]}): the mask must hide the future`,
    );
  }
});

Deno.test("12.5 attention: batched over heads, (2, 4, 3) q, k, v", () => {
  const gen = g();
  const q = randn([2, 4, 3], { generator: gen }), k = randn([2, 4, 3], { generator: gen });
  const v = randn([2, 4, 3], { generator: gen });
  const [pq, pk, pv] = [q, k, v].map((t) => plain("x", t));
  const head = (p: Plain, h: number) => build([4, 3], (i) => p.data[h * 12 + i]);
  const r0 = refAttention(head(pq, 0), head(pk, 0), head(pv, 0));
  const r1 = refAttention(head(pq, 1), head(pk, 1), head(pv, 1));
  assertTensor(
    "12.5 attention over a leading heads axis",
    attention(q, k, v, causalMask(4)),
    { data: [...Array.from(r0.data), ...Array.from(r1.data)], shape: [2, 4, 3] },
  );
});

Deno.test("12.6 splitHeads: (T 3, C 4) into 2 heads is (2, 3, 2), head h holding columns h·2..h·2+1", () => {
  const x = tensor(Float32Array.from({ length: 12 }, (_, i) => i), { shape: [3, 4] });
  const s = plain("12.6 splitHeads", splitHeads(x, 2));
  deepEqual(s.shape, [2, 3, 2], "12.6 splitHeads((3, 4), 2) must be (nHead 2, T 3, hs 2)");
  deepEqual(
    Array.from(s.data),
    [0, 1, 4, 5, 8, 9, 2, 3, 6, 7, 10, 11],
    "12.6 splitHeads: head 0 is columns 0–1 of every row, head 1 columns 2–3 (reshape to " +
      "(T, nHead, hs), then swap the first two axes)",
  );
});

Deno.test("12.6 mergeHeads undoes splitHeads", () => {
  const x = randn([5, 6], { generator: g() });
  assertTensor("12.6 mergeHeads(splitHeads(x, 3))", mergeHeads(splitHeads(x, 3)), plain("x", x), 0);
});

Deno.test("12.6 mha: the fixture's first block, T 6, 2 heads of 32, against a float64 reference", () => {
  const attn = TINY_PARAMS.blocks[0].attn;
  const x = randn([6, 64], { generator: g() });
  assertTensor(
    "12.6 mha(x): q, k, v = split(linear(x, c_attn)); heads; attention; merge; linear(c_proj)",
    mha(x, attn, 2),
    refMha(plain("x", x), attn, 2),
    1e-4,
  );
});

Deno.test("12.6 mha: the number of heads matters (4 heads of 16 ≠ 2 heads of 32)", () => {
  const attn = TINY_PARAMS.blocks[1].attn;
  const x = randn([5, 64], { generator: g() });
  assertTensor("12.6 mha(x, attn, 4)", mha(x, attn, 4), refMha(plain("x", x), attn, 4), 1e-4);
});
