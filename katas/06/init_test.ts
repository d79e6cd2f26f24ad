/**
 * Kata 06, steps 06.1–06.3: the loss at initialisation, tanh saturation, and
 * Kaiming init. Run `deno test katas/06`.
 *
 * PyTorch's numbers (testdata/gen_kata06.py) come from the part-2 MLP drawn
 * with `Generator(2147483647)` at each stage of the lecture, on the first
 * minibatch drawn after the parameters.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose, assertClose } from "../_lib/assert.ts";
import { F, Generator, randn, tensor, zeros } from "../../mod.ts";
import { assertShape, assertStat, firstBatch, lectureSplit, SEED, TORCH } from "./_checks.ts";
import {
  deadNeurons,
  expectedInitialLoss,
  initMlp,
  kaimingStd,
  lectureScales,
  mlpForward,
  mlpLoss,
  saturation,
  saturationImage,
  saturationMask,
} from "./init.ts";

const { Xtr, Ytr } = lectureSplit();

/** The part-2 MLP at a stage of the lecture, and its first minibatch. */
function stage(name: "untuned" | "softmax" | "tanh" | "kaiming") {
  const g = new Generator(SEED);
  const p = initMlp(g, lectureScales(name));
  return { p, ...firstBatch(g, Xtr, Ytr) };
}

Deno.test("06.1 expectedInitialLoss is -ln(1/27) = 3.2958: every character equally likely", () => {
  assertClose("expectedInitialLoss(27)", expectedInitialLoss(27), 3.295836866004329, 1e-12);
  assertClose(
    "expectedInitialLoss() (27 by default)",
    expectedInitialLoss(),
    3.2958368660043,
    1e-12,
  );
  // The lecture's 4-character example: equal logits give -ln(1/4).
  assertClose("expectedInitialLoss(4)", expectedInitialLoss(4), Math.log(4), 1e-12);
  const uniform = F.crossEntropy(zeros([5, 27]), tensor([0, 3, 9, 26, 1], { dtype: "int32" }));
  assertClose("F.crossEntropy of all-zero logits", uniform.itemSync(), expectedInitialLoss(), 1e-6);
});

Deno.test("06.1 initMlp draws C, W1, b1, W2, b2 in order, each times its scale", () => {
  const p = initMlp(new Generator(7), { W1: 0.5, b1: 0.25, W2: 2, b2: 0 }, {
    blockSize: 4,
    nEmbd: 5,
    nHidden: 7,
  });
  const shapes = [p.C, p.W1, p.b1, p.W2, p.b2].map((t) => `(${t.shape.join(", ")})`);
  deepEqual(
    shapes,
    ["(27, 5)", "(20, 7)", "(7)", "(7, 27)", "(27)"],
    "shapes of C, W1, b1, W2, b2",
  );
  const g = new Generator(7);
  const want = [
    ["C", randn([27, 5], { generator: g }), 1],
    ["W1", randn([20, 7], { generator: g }), 0.5],
    ["b1", randn(7, { generator: g }), 0.25],
    ["W2", randn([7, 27], { generator: g }), 2],
    ["b2", randn(27, { generator: g }), 0],
  ] as const;
  for (const [name, drawn, scale] of want) {
    const got = p[name];
    assertAllClose(
      `${name} = randn(...) * ${scale} (drawn in the order C, W1, b1, W2, b2)`,
      {
        data: got.dataSync(),
        shape: got.shape,
      },
      { data: drawn.mul(scale).dataSync(), shape: drawn.shape },
      1e-7,
    );
    ok(got.requiresGrad, `${name} requires grad`);
  }
  const plain = initMlp(new Generator(7), {}, { blockSize: 4, nEmbd: 5, nHidden: 7 });
  assertClose(
    "W2[0] without scales (1 by default)",
    plain.W2.dataSync()[0],
    want[3][1].dataSync()[0],
    0,
  );
});

Deno.test("06.1 mlpForward: hpreact = C[X].view(n, -1) @ W1 + b1, h = tanh(hpreact), logits = h @ W2 + b2", () => {
  const C = tensor([[0, 1], [2, -1], [-1, 3]]);
  const W1 = tensor([[1, 0, 0.5], [0, 1, 0], [0.5, 0, 1], [0, 0.5, 0]]); // (4, 3): block 2, embd 2
  const b1 = tensor([0.1, -0.2, 0]);
  const W2 = tensor([[1, -1, 0], [0, 2, 1], [1, 0, -1]]);
  const b2 = tensor([0, 0.5, 0]);
  const w2 = W2.toArraySync() as number[][];
  const X = tensor([[0, 2], [1, 1]], { dtype: "int32" });
  const a = mlpForward({ C, W1, b1, W2, b2 }, X);
  // Row i of C[X].view(n, -1) is C[X[i, 0]] then C[X[i, 1]], side by side.
  const embcat = [[0, 1, -1, 3], [2, -1, 2, -1]];
  const w1 = W1.toArraySync() as number[][], bias1 = b1.dataSync();
  const hpre = embcat.map((r) =>
    [0, 1, 2].map((u) => r.reduce((s, v, f) => s + v * w1[f][u], bias1[u]))
  );
  assertAllClose("hpreact", { data: a.hpreact.dataSync(), shape: a.hpreact.shape }, {
    data: hpre.flat(),
    shape: [2, 3],
  });
  const h = hpre.map((r) => r.map(Math.tanh));
  assertAllClose("h", { data: a.h.dataSync(), shape: a.h.shape }, {
    data: h.flat(),
    shape: [2, 3],
  });
  const logits = h.map((r) =>
    [0, 1, 2].map((c) => r.reduce((s, v, u) => s + v * w2[u][c], b2.dataSync()[c]))
  );
  assertAllClose("logits", { data: a.logits.dataSync(), shape: a.logits.shape }, {
    data: logits.flat(),
    shape: [2, 3],
  });
});

Deno.test("06.1 the untuned MLP starts at 27.88, not 3.2958; W2 · 0.01, b2 · 0 bring it to 3.32", () => {
  const untuned = stage("untuned");
  assertStat(
    "first-batch loss of the untuned MLP",
    mlpLoss(untuned.p, untuned.Xb, untuned.Yb).itemSync(),
    TORCH.init.untuned.loss,
    1e-5,
  );
  const fixed = stage("softmax");
  const loss = mlpLoss(fixed.p, fixed.Xb, fixed.Yb).itemSync();
  assertStat(
    'first-batch loss with lectureScales("softmax")',
    loss,
    TORCH.init.softmax.loss,
    1e-5,
    1,
    "the lecture scales the output layer down: W2 by 0.01 and b2 by 0 (logits near 0)",
  );
  ok(
    Math.abs(loss - expectedInitialLoss()) < 0.05,
    `the fixed loss ${loss} is close to ${expectedInitialLoss()}`,
  );
  const logits = mlpForward(fixed.p, fixed.Xb).logits.abs().max().itemSync();
  ok(logits < 0.5, `the fixed logits are all near 0 (largest |logit| ${logits})`);
});

Deno.test("06.2 saturationMask and saturation count |t| > threshold, on both sides of 0", () => {
  const t = tensor([[-0.995, 0.995, 0.99, -0.99], [0.5, -1, 0.98, -0.975]]);
  const mask = saturationMask(t);
  equal(mask.dtype, "bool", "the mask is a bool tensor (h.abs() > 0.99)");
  assertShape("saturationMask(t)", mask, [2, 4]);
  deepEqual(
    mask.toArraySync(),
    [[true, true, false, false], [false, true, false, false]],
    "|t| > 0.99: -0.995 and -1 saturate as much as 0.995; exactly 0.99 does not",
  );
  assertClose("saturation(t)", saturation(t), 3 / 8, 1e-7);
  assertClose("saturation(t, 0.97)", saturation(t, 0.97), 7 / 8, 1e-7);
  deepEqual(
    (saturationMask(t, 0.97).toArraySync() as boolean[][])[1],
    [false, true, true, true],
    "threshold 0.97",
  );
});

Deno.test("06.2 deadNeurons lists the columns saturated in every row", () => {
  const h = tensor([
    [0.1, -0.99995, 0.995, 1, 0.2],
    [-0.3, 0.99995, -0.995, 0.5, -0.9999],
    [0.2, -1, 0.997, -1, 0.1],
  ]);
  deepEqual(
    deadNeurons(h),
    [1, 2],
    "columns 1 and 2 are saturated in all three rows (either sign)",
  );
  deepEqual(deadNeurons(h, 0.9999), [1], "with threshold 0.9999 only column 1");
  deepEqual(deadNeurons(tensor([[0.5, 0.1]])), [], "no dead neuron");
});

Deno.test("06.2 the untuned tanh is 61% saturated on the first batch; W1 · 0.2, b1 · 0.01 bring it to 1%", () => {
  const untuned = stage("untuned");
  const h = mlpForward(untuned.p, untuned.Xb).h;
  const one = 1 / h.size; // one activation either way
  assertStat(
    "saturation of the untuned MLP's h",
    saturation(h),
    TORCH.init.untuned.saturation,
    one,
    1,
  );
  deepEqual(deadNeurons(h), TORCH.init.untuned.dead, "dead neurons of the untuned MLP");
  const fixed = stage("tanh");
  const a = mlpForward(fixed.p, fixed.Xb);
  assertStat(
    'saturation with lectureScales("tanh")',
    saturation(a.h),
    TORCH.init.tanh.saturation,
    one,
    1,
    "the lecture squashes the pre-activations: W1 by 0.2 and b1 by 0.01 (and keeps the softmax fix)",
  );
  assertStat(
    'first-batch loss with lectureScales("tanh")',
    mlpLoss(fixed.p, fixed.Xb, fixed.Yb).itemSync(),
    TORCH.init.tanh.loss,
    1e-5,
  );
  assertStat("std of hpreact", a.hpreact.std().itemSync(), TORCH.init.tanh.hpreact_std, 1e-4);
});

Deno.test("06.2 saturationImage draws h.abs() > 0.99 as white pixels, one row per example", () => {
  const h = tensor([[0.995, 0.995, 0, -1], [0, 0, 0, 0], [-0.999, 0.5, 0.999, 0.2]]);
  const svg = saturationImage(h).toSvg();
  ok(svg.startsWith("<svg") || svg.includes("<svg"), "an SVG document");
  // booleanImage draws one white rectangle per run of saturated pixels in a row:
  // row 0 has [0, 2) and [3, 4), row 2 has [0, 1) and [2, 3).
  equal(svg.match(/class="pixels"/g)?.length ?? 0, 4, "white runs: |h| > 0.99 (both signs)");
});

Deno.test("06.3 kaimingStd is gain / sqrt(fanIn): torch.nn.init.kaiming_normal_'s std", () => {
  // Our weights are laid out (fanIn, fanOut) and used as x @ W; torch's are (fanOut, fanIn).
  const cases: [[number, number], "tanh" | "relu" | "linear", string][] = [
    [[30, 200], "tanh", "tanh_30_200"],
    [[100, 27], "relu", "relu_100_27"],
    [[200, 30], "linear", "linear_200_30"],
    [[100, 100], "tanh", "tanh_100_100"],
  ];
  for (const [shape, nl, key] of cases) {
    assertStat(
      `kaimingStd([${shape}], "${nl}")`,
      kaimingStd(shape, nl),
      TORCH.kaiming.std[key],
      1e-6,
      1,
      "fanIn is shape[0] here (x @ W sums over the rows of W); gains: tanh 5/3, relu √2, linear 1",
    );
  }
  assertClose(
    'kaimingStd([30, 200]) is "tanh" by default',
    kaimingStd([30, 200]),
    0.3042903097,
    1e-8,
  );
});

Deno.test("06.3 x @ (randn · kaimingStd) keeps x's spread: the lecture's 1000×10 demo", () => {
  const g = new Generator(SEED);
  const x = randn([1000, 10], { generator: g });
  const w = randn([10, 200], { generator: g });
  const d = TORCH.kaiming.demo;
  assertStat(
    "std of x @ w (unscaled: grows by √10)",
    x.matmul(w).std().itemSync(),
    d.y_std_unscaled,
    1e-5,
  );
  assertStat(
    'std of x @ (w · kaimingStd([10, 200], "linear"))',
    x.matmul(w.mul(kaimingStd([10, 200], "linear"))).std().itemSync(),
    d.y_std_linear,
    1e-5,
  );
  assertStat(
    'std of x @ (w · kaimingStd([10, 200], "tanh"))',
    x.matmul(w.mul(kaimingStd([10, 200], "tanh"))).std().itemSync(),
    d.y_std_tanh,
    1e-5,
  );
});

Deno.test('06.3 lectureScales("kaiming"): W1 · (5/3)/√30 instead of 0.2, the lecture\'s first loss', () => {
  const k = stage("kaiming");
  const a = mlpForward(k.p, k.Xb);
  const fixedLoss = mlpLoss(k.p, k.Xb, k.Yb).itemSync();
  assertStat(
    'first-batch loss with lectureScales("kaiming")',
    fixedLoss,
    TORCH.init.kaiming.loss,
    1e-5,
  );
  assertStat(
    "saturation with Kaiming init",
    saturation(a.h),
    TORCH.init.kaiming.saturation,
    1 / a.h.size,
  );
  assertStat("std of h with Kaiming init", a.h.std().itemSync(), TORCH.init.kaiming.h_std, 1e-4);
});
