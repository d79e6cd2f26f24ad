/**
 * Kata 06, step 06.4: the lecture's BatchNorm'd MLP with raw tensors. Run
 * `deno test katas/06`.
 *
 * PyTorch ran the notebook's cells 6–10 for 300 steps with the same seed
 * (testdata/gen_kata06.py); the calibration and the split losses there use the
 * first 5,000 rows of train and dev.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose } from "../_lib/assert.ts";
import { Generator, ones, randn, tensor, zeros } from "../../mod.ts";
import {
  assertNoGraph,
  assertShape,
  assertStat,
  columnStats,
  firstBatch,
  lectureSplit,
  normalise,
  rows,
  SEED,
  TORCH,
} from "./_checks.ts";
import {
  batchStats,
  bnForward,
  type BnMlp,
  bnParameters,
  bnPreact,
  bnSplitLoss,
  calibrate,
  initBnMlp,
  trainBnMlp,
} from "./mlp_batchnorm.ts";

const { Xtr, Ytr, Xdev, Ydev } = lectureSplit();
const T = TORCH.bn_mlp;

/** The lecture's model after 300 steps, trained once for the tests that need it. */
let trained: { m: BnMlp; losses: Float32Array } | undefined;
function trainedModel() {
  if (trained === undefined) {
    const g = new Generator(SEED);
    const m = initBnMlp(g);
    trained = { m, losses: trainBnMlp(m, Xtr, Ytr, g, { steps: T.steps }) };
  }
  return trained;
}

/** The logits in float64 from the model's numbers, normalising with (mean, std). */
function referenceLogits(m: BnMlp, X: ReturnType<typeof tensor>, mean: number[], std: number[]) {
  const hpre = rows(bnPreact(m, X));
  const v = std.map((s) => s * s);
  const hn = normalise(hpre, mean, v, 0, m.bngain.dataSync(), m.bnbias.dataSync());
  const H = hpre[0].length, W2 = m.W2.dataSync(), b2 = m.b2.dataSync();
  return hpre.flatMap((_, i) =>
    Array.from({ length: 27 }, (_, c) => {
      let s = b2[c];
      for (let u = 0; u < H; u++) s += Math.tanh(hn[i * H + u]) * W2[u * 27 + c];
      return s;
    })
  );
}

Deno.test("06.4 initBnMlp: 12,097 parameters, no b1 — so W2 takes the draws b1 took in part 2", () => {
  const m = initBnMlp(new Generator(SEED));
  const ps = bnParameters(m);
  deepEqual(
    ps.map((p) => `(${p.shape.join(", ")})`),
    ["(27, 10)", "(30, 200)", "(200, 27)", "(27)", "(1, 200)", "(1, 200)"],
    "bnParameters: [C, W1, W2, b2, bngain, bnbias] (no b1: BatchNorm subtracts the mean, bnbias adds one back)",
  );
  equal(ps.reduce((n, p) => n + p.size, 0), T.parameters, "the lecture's 12,097 parameters");
  ok(ps.every((p) => p.requiresGrad), "every parameter requires grad");
  const g = new Generator(SEED);
  const C = randn([27, 10], { generator: g });
  const W1 = randn([30, 200], { generator: g }).mul((5 / 3) / Math.sqrt(30));
  assertAllClose("C", { data: m.C.dataSync(), shape: m.C.shape }, {
    data: C.dataSync(),
    shape: [27, 10],
  }, 1e-7);
  assertAllClose("W1 = randn · (5/3)/√30", { data: m.W1.dataSync(), shape: m.W1.shape }, {
    data: W1.dataSync(),
    shape: [30, 200],
  }, 1e-6);
  T.W2_first.forEach((w, i) =>
    assertStat(
      `W2.flat[${i}]`,
      m.W2.dataSync()[i],
      w,
      1e-6,
      1e-3,
      "W2 is drawn right after W1 (times 0.01): drawing a b1 first, as part 2 did, shifts every later draw",
    )
  );
  ok(
    m.b2.dataSync().every((v) => v === 0),
    "b2 = randn · 0: drawn (the lecture draws it), all zeros",
  );
  ok(
    m.bngain.dataSync().every((v) => v === 1) && m.bnbias.dataSync().every((v) => v === 0),
    "bngain ones, bnbias zeros",
  );
  assertShape("bnmeanRunning", m.bnmeanRunning, [1, 200]);
  assertShape("bnstdRunning", m.bnstdRunning, [1, 200]);
  ok(m.bnmeanRunning.dataSync().every((v) => v === 0), "bnmeanRunning starts at zeros");
  ok(m.bnstdRunning.dataSync().every((v) => v === 1), "bnstdRunning starts at ones");
  ok(
    !m.bnmeanRunning.requiresGrad && !m.bnstdRunning.requiresGrad,
    "the running statistics are not parameters",
  );
});

Deno.test("06.4 batchStats: the mean and the unbiased std of each column, kept (1, nHidden)", () => {
  const x = randn([5, 3], { generator: new Generator(3) }).mul(2).add(tensor([1, -1, 0.5]));
  const s = batchStats(x);
  const why =
    "keepdim: true keeps them (1, nHidden), rows that broadcast over the batch like the running buffers";
  assertShape("batchStats(x).mean", s.mean, [1, 3], why);
  assertShape("batchStats(x).std", s.std, [1, 3], why);
  const ref = columnStats(rows(x), true);
  assertAllClose("batchStats(x).mean", { data: s.mean.dataSync(), shape: [3] }, {
    data: ref.mean,
    shape: [3],
  });
  const biased = columnStats(rows(x), false).v.map(Math.sqrt);
  const got = Array.from(s.std.dataSync());
  ok(
    !got.every((v, j) => Math.abs(v - biased[j]) < 1e-5),
    `batchStats(x).std is the biased std ${got}: the lecture's hpreact.std(0) divides by n - 1`,
  );
  assertAllClose("batchStats(x).std (unbiased: / (n - 1))", { data: got, shape: [3] }, {
    data: ref.v.map(Math.sqrt),
    shape: [3],
  });
});

Deno.test('06.4 bnForward(m, X, "train") normalises with the batch and moves the running statistics by 0.001', () => {
  const g = new Generator(SEED);
  const m = initBnMlp(g);
  const { Xb } = firstBatch(g, Xtr, Ytr);
  const hpre = rows(bnPreact(m, Xb));
  const { mean, v } = columnStats(hpre, true);
  const std = v.map(Math.sqrt);
  T.first_batch.mean.forEach((want, j) => assertStat(`batch mean[${j}]`, mean[j], want, 1e-4));
  const logits = bnForward(m, Xb, "train");
  assertAllClose("logits of the first batch", { data: logits.dataSync(), shape: logits.shape }, {
    data: referenceLogits(m, Xb, mean, std),
    shape: [32, 27],
  }, 1e-4);
  assertNoGraph("bnmeanRunning", m.bnmeanRunning, "06.4");
  assertNoGraph("bnstdRunning", m.bnstdRunning, "06.4");
  assertAllClose(
    "bnmeanRunning after one batch: 0.999 · 0 + 0.001 · mean",
    {
      data: m.bnmeanRunning.dataSync(),
      shape: m.bnmeanRunning.shape,
    },
    { data: mean.map((a) => 0.001 * a), shape: [1, 200] },
    1e-6,
  );
  assertAllClose(
    "bnstdRunning after one batch: 0.999 · 1 + 0.001 · std",
    {
      data: m.bnstdRunning.dataSync(),
      shape: m.bnstdRunning.shape,
    },
    { data: std.map((s) => 0.999 + 0.001 * s), shape: [1, 200] },
    1e-6,
  );
  bnForward(m, Xb, "train");
  assertAllClose(
    "bnmeanRunning after the same batch twice: 0.999 · r + 0.001 · mean",
    {
      data: m.bnmeanRunning.dataSync(),
      shape: m.bnmeanRunning.shape,
    },
    { data: mean.map((a) => 0.999 * 0.001 * a + 0.001 * a), shape: [1, 200] },
    1e-6,
  );
});

Deno.test("06.4 bnForward(m, X, stats) normalises with the given statistics, one example at a time if need be", () => {
  const m = initBnMlp(new Generator(SEED));
  const X = Xdev.slice(0, 0, 6);
  const stats = {
    mean: randn([1, 200], { generator: new Generator(5) }),
    std: ones([1, 200]).mul(2),
  };
  const logits = bnForward(m, X, stats);
  assertAllClose("logits with the given mean and std", {
    data: logits.dataSync(),
    shape: logits.shape,
  }, {
    data: referenceLogits(m, X, Array.from(stats.mean.dataSync()), new Array(200).fill(2)),
    shape: [6, 27],
  }, 1e-4);
  ok(m.bnmeanRunning.dataSync().every((v) => v === 0), "evaluation leaves bnmeanRunning alone");
  ok(m.bnstdRunning.dataSync().every((v) => v === 1), "evaluation leaves bnstdRunning alone");
  const one = bnForward(m, X.slice(0, 2, 3), { mean: zeros([1, 200]), std: ones([1, 200]) });
  ok(
    one.dataSync().every(Number.isFinite),
    "a single example evaluates (its batch std would be NaN)",
  );
});

Deno.test("06.4 trainBnMlp: the lecture's first loss 3.3239, then 300 steps of PyTorch's losses", () => {
  const { m, losses } = trainedModel();
  equal(losses.length, T.steps, "one loss per step");
  assertStat("loss of step 0 (the lecture prints 3.3239)", losses[0], T.losses[0], 1e-5);
  for (let i = 1; i < T.steps; i++) assertStat(`loss of step ${i}`, losses[i], T.losses[i], 1e-4);
  assertNoGraph("bnmeanRunning after training", m.bnmeanRunning, "06.4");
  assertAllClose(
    "bnmeanRunning after 300 steps",
    {
      data: m.bnmeanRunning.dataSync(),
      shape: m.bnmeanRunning.shape,
    },
    { data: T.running_mean, shape: [1, 200] },
    1e-4,
  );
  assertAllClose(
    "bnstdRunning after 300 steps",
    {
      data: m.bnstdRunning.dataSync(),
      shape: m.bnstdRunning.shape,
    },
    { data: T.running_std, shape: [1, 200] },
    1e-4,
  );
});

Deno.test("06.4 calibrate: the mean and std of the pre-activations over the training set", () => {
  const { m } = trainedModel();
  const s = calibrate(m, Xtr.slice(0, 0, T.rows));
  assertShape("calibrate(...).mean", s.mean, [1, 200]);
  assertNoGraph("calibrate(...).mean", s.mean, "06.4");
  assertAllClose(
    `calibrated mean over ${T.rows} training rows`,
    {
      data: s.mean.dataSync(),
      shape: s.mean.shape,
    },
    { data: T.calibrated_mean, shape: [1, 200] },
    1e-4,
  );
  assertAllClose(
    `calibrated std over ${T.rows} training rows`,
    {
      data: s.std.dataSync(),
      shape: s.std.shape,
    },
    { data: T.calibrated_std, shape: [1, 200] },
    1e-4,
  );
});

Deno.test("06.4 bnSplitLoss evaluates with the running statistics, or the calibrated ones", () => {
  const { m } = trainedModel();
  const before = Array.from(m.bnmeanRunning.dataSync());
  const Xv = Xdev.slice(0, 0, T.rows), Yv = Ydev.slice(0, 0, T.rows);
  const val = bnSplitLoss(m, Xv, Yv);
  equal(typeof val, "number", "bnSplitLoss returns a number");
  assertStat("val loss with the running statistics", val, T.val_running, 1e-4);
  assertStat(
    "train loss with the running statistics",
    bnSplitLoss(m, Xtr.slice(0, 0, T.rows), Ytr.slice(0, 0, T.rows)),
    T.train_running,
    1e-4,
  );
  const cal = calibrate(m, Xtr.slice(0, 0, T.rows));
  assertStat(
    "val loss with the calibrated statistics",
    bnSplitLoss(m, Xv, Yv, cal),
    T.val_calibrated,
    1e-4,
  );
  deepEqual(
    Array.from(m.bnmeanRunning.dataSync()),
    before,
    "evaluating leaves the running mean alone",
  );
  // With fixed statistics each example's loss is its own: the mean over halves is the mean.
  const a = bnSplitLoss(m, Xv.slice(0, 0, 10), Yv.slice(0, 0, 10));
  const b = bnSplitLoss(m, Xv.slice(0, 10, 30), Yv.slice(0, 10, 30));
  assertStat(
    "loss of rows 0–29 from rows 0–9 and 10–29",
    bnSplitLoss(m, Xv.slice(0, 0, 30), Yv.slice(0, 0, 30)),
    (10 * a + 20 * b) / 30,
    1e-5,
    1,
    "evaluation normalises with the running statistics, never the batch's own",
  );
});
