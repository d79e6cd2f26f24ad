/**
 * Kata 09, steps 09.6–09.8: the mathematical trick three ways, scaled
 * dot-product attention, one head of self-attention. Run `deno test katas/09`.
 *
 * Each result is compared with a float64 reference written with plain loops
 * (`_checks.ts`), on shapes whose sizes all differ.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose, assertClose, KataAssertionError } from "../_lib/assert.ts";
import { cat, Generator, nn, randint, randn, type Tensor } from "../../mod.ts";
import {
  assertMatches,
  asTensor,
  LECTURE,
  lectureHead,
  maxDiffAlongT,
  type Plain,
  plain,
  refAttention,
  refHead,
  shapeOf,
} from "./_checks.ts";
import {
  attention,
  attentionScores,
  attentionWeights,
  averagingWeights,
  Head,
  prefixMeanLoop,
  prefixMeanMatmul,
  prefixMeanSoftmax,
} from "./head.ts";

/** xbow[b, t] = mean(x[b, :t+1]) in float64. */
function refPrefixMean(x: Tensor): Plain {
  const [B, T, C] = x.shape;
  const xs = x.dataSync(), out = new Float64Array(B * T * C);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let i = 0; i <= t; i++) s += xs[(b * T + i) * C + c];
        out[(b * T + t) * C + c] = s / (t + 1);
      }
    }
  }
  return { data: out, shape: [B, T, C] };
}

/** Asserts every row of a `(..., Tq, Tk)` weight tensor sums to 1. */
function assertRowsSumToOne(name: string, wei: Tensor): void {
  const Tk = wei.shape[wei.ndim - 1];
  const w = wei.dataSync();
  for (let r = 0; r < w.length / Tk; r++) {
    let s = 0;
    for (let j = 0; j < Tk; j++) s += w[r * Tk + j];
    if (!(Math.abs(s - 1) < 1e-5)) {
      throw new KataAssertionError(
        `${name}: row ${r} sums to ${s}, expected 1 — the softmax normalises over the keys ` +
          `(the last dim), after the mask`,
      );
    }
  }
}

Deno.test("09.6 the lecture's toy: averagingWeights(3) @ b averages the rows so far", () => {
  const a = averagingWeights(3);
  assertAllClose("averagingWeights(3)", plain(asTensor("averagingWeights(3)", a)), {
    data: [1, 0, 0, 0.5, 0.5, 0, 1 / 3, 1 / 3, 1 / 3],
    shape: [3, 3],
  }, 1e-6);
  const b = randint(0, 10, [3, 2], { generator: new Generator(42) }).to("float32");
  deepEqual(
    b.toArraySync(),
    [[2, 7], [6, 4], [6, 5]],
    "torch.manual_seed(42); randint(0, 10, (3, 2))",
  );
  assertAllClose("a @ b (cell 19)", plain(a.matmul(b)), {
    data: [2, 7, 4, 5.5, 14 / 3, 16 / 3],
    shape: [3, 2],
  }, 1e-5);
  const w = averagingWeights(5).toArraySync() as number[][];
  assertClose("averagingWeights(5)[3][3]", w[3][3], 0.25);
  assertClose("averagingWeights(5)[1][4] (the future gets 0)", w[1][4], 0, 0);
});

Deno.test("09.6 prefixMeanLoop: xbow[b, t] is the mean of x[b, 0..t]", () => {
  const x = randn([4, 8, 2], { generator: new Generator(1337) }); // cell 20
  assertMatches(
    "prefixMeanLoop(x) for the lecture's x (4, 8, 2)",
    prefixMeanLoop(x),
    refPrefixMean(x),
  );
  const y = randn([3, 5, 4], { generator: new Generator(1) });
  assertMatches("prefixMeanLoop on (3, 5, 4)", prefixMeanLoop(y), refPrefixMean(y));
});

Deno.test("09.6 the three versions agree: loop, tril matmul, masked softmax", () => {
  for (const shape of [[4, 8, 2], [2, 11, 3]]) {
    const x = randn(shape, { generator: new Generator(1337) });
    const want = refPrefixMean(x);
    assertMatches(`prefixMeanMatmul on (${shape})`, prefixMeanMatmul(x), want);
    assertMatches(`prefixMeanSoftmax on (${shape})`, prefixMeanSoftmax(x), want);
  }
});

Deno.test("09.7 attentionScores: q @ kᵀ · head_size^-0.5 (Tq 3, Tk 5, head_size 4)", () => {
  const g = new Generator(7);
  const q = randn([2, 3, 4], { generator: g }), k = randn([2, 5, 4], { generator: g });
  const got = asTensor("attentionScores(q, k)", attentionScores(q, k));
  equal(shapeOf(got), "(2, 3, 5)", "the scores are (B, Tq, Tk): one per query and key");
  const qs = q.toArraySync() as number[][][], ks = k.toArraySync() as number[][][];
  const dot = (b: number, i: number, j: number) =>
    qs[b][i].reduce((s, v, c) => s + v * ks[b][j][c], 0);
  const want = [0, 1].flatMap((b) =>
    [0, 1, 2].flatMap((i) => [0, 1, 2, 3, 4].map((j) => dot(b, i, j)))
  );
  assertMatches("attentionScores(q, k), scaled by 1/√4", got, {
    data: Float64Array.from(want, (v) => v / 2),
    shape: [2, 3, 5],
  });
  assertMatches("attentionScores(q, k, { scale: 1 })", attentionScores(q, k, { scale: 1 }), {
    data: Float64Array.from(want),
    shape: [2, 3, 5],
  });
});

Deno.test("09.7 the variance check: q·k grows like head_size; scaled by 1/√head_size it stays ≈ 1", () => {
  const { k2, q2 } = lectureHead(); // cells 27–30
  assertClose("k.var() (cell 28)", k2.var().itemSync(), LECTURE.kVar, 1e-4);
  assertClose("q.var() (cell 29)", q2.var().itemSync(), LECTURE.qVar, 1e-4);
  const wei = asTensor("attentionScores(q, k)", attentionScores(q2, k2));
  assertClose(
    "attentionScores(q, k).var(), head_size 16 (cell 30)",
    wei.var().itemSync(),
    LECTURE.weiVar,
    1e-4,
  );
  for (const hs of [16, 64, 256]) {
    const g = new Generator(hs);
    const q = randn([8, 16, hs], { generator: g }), k = randn([8, 16, hs], { generator: g });
    const raw = attentionScores(q, k, { scale: 1 }).var().itemSync();
    const scaled = attentionScores(q, k).var().itemSync();
    ok(raw / hs > 0.8 && raw / hs < 1.25, `unscaled var ${raw.toFixed(1)} ≈ head_size ${hs}`);
    if (!(scaled > 0.8 && scaled < 1.25)) {
      throw new KataAssertionError(
        `head_size ${hs}: var(attentionScores(q, k)) is ${scaled.toFixed(4)}, expected ≈ 1 — ` +
          `multiply by head_size ** -0.5 (1/√${hs} = ${(hs ** -0.5).toFixed(4)})`,
      );
    }
  }
});

Deno.test("09.7 attentionWeights: the future masked with −∞ before the softmax, rows summing to 1", () => {
  const g = new Generator(3);
  const q = randn([2, 6, 5], { generator: g }), k = randn([2, 6, 5], { generator: g });
  const v = randn([2, 6, 3], { generator: g });
  const wei = asTensor("attentionWeights(q, k)", attentionWeights(q, k));
  equal(shapeOf(wei), "(2, 6, 6)", "the weights are (B, Tq, Tk)");
  const w = wei.toArraySync() as number[][][];
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 6; j++) {
      if (j > i && w[0][i][j] !== 0) {
        throw new KataAssertionError(
          `attentionWeights(q, k)[0, ${i}, ${j}] is ${
            w[0][i][j]
          }: query ${i} gives weight to the ` +
            `future key ${j} — mask the scores where tril(ones) == 0 (above the diagonal)`,
        );
      }
    }
  }
  assertRowsSumToOne("attentionWeights(q, k)", wei);
  const want = refAttention(plain(q), plain(k), plain(v), { causal: true });
  assertMatches("attentionWeights(q, k) (causal, scaled)", wei, want.wei);
  const open = attentionWeights(q, k, { causal: false });
  assertRowsSumToOne("attentionWeights(q, k, { causal: false })", open);
  const wantOpen = refAttention(plain(q), plain(k), plain(v), { causal: false });
  assertMatches("attentionWeights(q, k, { causal: false }) (no mask)", open, wantOpen.wei);
});

Deno.test("09.7 attentionWeights: the lecture's wei[0] (one unscaled head, cell 25)", () => {
  const { q, k } = lectureHead();
  const wei = asTensor(
    "attentionWeights(q, k, { scale: 1 })",
    attentionWeights(q, k, { scale: 1 }),
  );
  equal(shapeOf(wei), "(4, 8, 8)", "wei is (B, T, T)");
  assertAllClose("wei[0] (lecture cell 25, printed to 4 decimals)", plain(wei.slice(0, 0, 1)), {
    data: LECTURE.wei0.flat(),
    shape: [1, 8, 8],
  }, 6e-5);
});

Deno.test("09.7 without the scale, the softmax turns one-hot as head_size grows", () => {
  const g = new Generator(256);
  const q = randn([8, 16, 256], { generator: g }), k = randn([8, 16, 256], { generator: g });
  const peak = (w: Tensor) => w.max(-1).values.mean().itemSync(); // mean of each row's largest weight
  const sharp = peak(attentionWeights(q, k, { causal: false, scale: 1 }));
  const diffuse = peak(attentionWeights(q, k, { causal: false }));
  ok(sharp > 0.85, `unscaled, head_size 256: each query puts ${sharp.toFixed(2)} on one key`);
  ok(
    diffuse < 0.35,
    `scaled: the largest weight is ${diffuse.toFixed(2)} on average, expected < 0.35`,
  );
  ok(diffuse > 0.1, `scaled: the largest weight is ${diffuse.toFixed(2)}, not uniform (1/16)`);
});

Deno.test("09.7 attention: weights @ values (Tq 4, Tk 7, head_size 5, value size 3)", () => {
  const g = new Generator(9);
  const q = randn([2, 4, 5], { generator: g }), k = randn([2, 7, 5], { generator: g });
  const v = randn([2, 7, 3], { generator: g });
  const got = asTensor(
    "attention(q, k, v, { causal: false })",
    attention(q, k, v, { causal: false }),
  );
  const want = refAttention(plain(q), plain(k), plain(v), { causal: false });
  assertMatches("attention(q, k, v, { causal: false }), (2, 4, 3)", got, want.out);
  const k4 = k.slice(1, 0, 4), v4 = v.slice(1, 0, 4); // T = Tq = Tk = 4 for the causal case
  const causal = refAttention(plain(q), plain(k4), plain(v4), { causal: true });
  assertMatches("attention(q, k, v) (causal, T 4)", attention(q, k4, v4), causal.out);
});

Deno.test("09.8 Head: key, query, value are Linear(C, head_size, bias=False), in this order", () => {
  const head = new Head(12, 7, { generator: new Generator(5) });
  const g = new Generator(5);
  const names = ["key", "query", "value"] as const;
  for (const name of names) {
    const want = new nn.Linear(12, 7, { bias: false, generator: g });
    const layer = head[name];
    equal(shapeOf(layer.weight), "(7, 12)", `${name}.weight is (head_size, C)`);
    equal(layer.bias, null, `${name} has no bias`);
    deepEqual(
      layer.weight.dataSync().slice(0, 4),
      want.weight.dataSync().slice(0, 4),
      `${name}: drawn from opts.generator in the order key, query, value`,
    );
  }
  equal(head.numParameters(), 3 * 12 * 7, "the head's parameters are the three projections");
  equal(head.causal, true, "a head is causal unless told otherwise");
});

Deno.test("09.8 Head.forward: attention of query(x), key(x), value(x) (B 2, T 5, C 12, head_size 7)", () => {
  const head = new Head(12, 7, { generator: new Generator(5) });
  const x = randn([2, 5, 12], { generator: new Generator(6) });
  const out = asTensor("head.forward(x)", head.forward(x));
  equal(shapeOf(out), "(2, 5, 7)", "a head maps (B, T, C) to (B, T, head_size)");
  assertMatches("head.forward(x)", out, refHead(head, plain(x), true));
  const open = new Head(12, 7, { generator: new Generator(5), causal: false });
  assertMatches(
    "new Head(..., { causal: false }).forward(x)",
    open.forward(x),
    refHead(open, plain(x), false),
  );
});

Deno.test("09.8 causality: changing a future token never changes an earlier output", () => {
  const head = new Head(6, 4, { generator: new Generator(8) });
  const T = 7;
  const x = randn([2, T, 6], { generator: new Generator(9) });
  const out = head.forward(x);
  for (let t = 0; t < T; t++) {
    // x with position t replaced, in both batch rows
    const noise = randn([2, 1, 6], { generator: new Generator(100 + t) });
    const x2 = catT([x.slice(1, 0, t), noise, x.slice(1, t + 1)]);
    const out2 = head.forward(x2);
    const before = maxDiffAlongT(out, out2, 0, t);
    if (before > 1e-6) {
      throw new KataAssertionError(
        `changing x at position ${t} changed the outputs at positions < ${t} by up to ` +
          `${before.toExponential(2)}: token t may only attend to positions 0..t (mask the ` +
          `scores above the diagonal: tril, not triu)`,
      );
    }
    ok(maxDiffAlongT(out, out2, t, t + 1) > 1e-4, `changing x at ${t} changes the output at ${t}`);
  }
});

Deno.test("09.8 batch rows never talk to each other; an encoder head (causal: false) sees the future", () => {
  const head = new Head(6, 4, { generator: new Generator(8), causal: false });
  const x = randn([2, 5, 6], { generator: new Generator(9) });
  const x2 = catT([x.slice(1, 0, 4), randn([2, 1, 6], { generator: new Generator(1) })]);
  const out = head.forward(x), out2 = head.forward(x2);
  ok(
    maxDiffAlongT(out, out2, 0, 1) > 1e-4,
    "without the mask, the last token changes the first output",
  );
  const other = catT([x.slice(0, 0, 1), randn([1, 5, 6], { generator: new Generator(2) })], 0);
  const a = head.forward(other).slice(0, 0, 1), b = out.slice(0, 0, 1);
  ok(maxDiffAlongT(a, b, 0, 5) < 1e-6, "changing batch row 1 leaves batch row 0's output alone");
});

/** Concatenates the non-empty parts along `dim` (time by default). */
function catT(parts: Tensor[], dim = 1): Tensor {
  return cat(parts.filter((p) => p.shape[dim] > 0), dim);
}
