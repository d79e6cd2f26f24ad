/**
 * Kata 06, steps 06.6–06.8: the lecture's deep BatchNorm'd network and its
 * diagnostics. Run `deno test katas/06`.
 *
 * PyTorch ran the notebook's cells 13–17 with the same seed for 100 steps
 * (testdata/gen_kata06.py): the losses, every step's update ratios, and the
 * diagnostics after the first and the last step. The lecture's own 1,000 steps
 * are `deno task reproduce 06`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose, KataAssertionError } from "../_lib/assert.ts";
import { F, Generator, noGrad, randn, tensor } from "../../mod.ts";
import {
  assertStat,
  firstBatch,
  lectureSplit,
  SEED,
  TORCH,
  type TorchDiagnostics,
} from "./_checks.ts";
import {
  activationStats,
  deepForward,
  type DeepNet,
  deepNetwork,
  deepParameters,
  deepSplitLoss,
  gradientStats,
  trainDeep,
  updateRatios,
  weightStats,
} from "./network.ts";
import { BatchNorm1d, Linear, Tanh } from "./modules.ts";

const { Xtr, Ytr, Xdev, Ydev } = lectureSplit();
const T = TORCH.deep;

/** One training step as the notebook's cell 14 takes it, written here (not yours). */
function oneStep(): DeepNet {
  const g = new Generator(SEED);
  const net = deepNetwork(g);
  const { Xb, Yb } = firstBatch(g, Xtr, Ytr);
  const loss = F.crossEntropy(deepForward(net, Xb), Yb);
  for (const l of net.layers) l.out!.retainGrad();
  loss.backward();
  noGrad(() => {
    for (const p of deepParameters(net)) p.add_(p.grad!, { alpha: -0.1 });
  });
  return net;
}

/** The network after 100 steps of your trainDeep, trained once. */
let trained: { net: DeepNet; losses: Float32Array; ud: number[][] } | undefined;
function trainedNet() {
  if (trained === undefined) {
    const g = new Generator(SEED);
    const net = deepNetwork(g);
    trained = { net, ...trainDeep(net, Xtr, Ytr, g, { steps: T.steps }) };
  }
  return trained;
}

/** Compares the three diagnostics with PyTorch's at the same moment. */
function assertDiagnostics(net: DeepNet, want: TorchDiagnostics, when: string, rel: number) {
  const act = activationStats(net);
  deepEqual(
    act.map((a) => a.layer),
    want.activations.map((a) => a.layer),
    `${when}: the tanh layers`,
  );
  act.forEach((a, k) => {
    const w = want.activations[k];
    assertStat(`${when}: layer ${a.layer} activation mean`, a.mean, w.mean, rel, 0.1);
    assertStat(`${when}: layer ${a.layer} activation std`, a.std, w.std, rel);
    assertStat(
      `${when}: layer ${a.layer} saturated %`,
      a.saturated,
      w.saturated,
      0.04,
      1,
      "the percentage of |t| > 0.97 (absolute value, as a percentage: 100 · fraction)",
    );
  });
  const grads = gradientStats(net);
  grads.forEach((a, k) => {
    const w = want.gradients[k];
    equal(a.layer, w.layer, `${when}: gradient stats of layer ${w.layer}`);
    assertStat(`${when}: layer ${a.layer} out.grad std`, a.std, w.std, rel * 10);
    assertStat(`${when}: layer ${a.layer} out.grad mean`, a.mean, w.mean, 1e-3, w.std);
  });
  const weights = weightStats(deepParameters(net));
  deepEqual(
    weights.map((a) => `${a.index} (${a.shape.join(", ")})`),
    want.weights.map((a) => `${a.index} (${a.shape.join(", ")})`),
    `${when}: weightStats covers the 2-d parameters (C and the Linear weights), by parameter index`,
  );
  weights.forEach((a, k) => {
    const w = want.weights[k];
    assertStat(`${when}: weight ${a.index} grad mean`, a.mean, w.mean, 1e-3, w.std);
    assertStat(`${when}: weight ${a.index} grad std`, a.std, w.std, rel * 10);
    assertStat(`${when}: weight ${a.index} grad:data ratio`, a.gradToData, w.ratio, rel * 10);
  });
}

Deno.test("06.6 deepNetwork: 5 × [Linear, BatchNorm1d, Tanh], Linear, BatchNorm1d(27) — 47,024 parameters", () => {
  const net = deepNetwork(new Generator(SEED));
  const kinds = net.layers.map((l) =>
    l instanceof Linear
      ? "Linear"
      : l instanceof BatchNorm1d
      ? "BatchNorm1d"
      : l instanceof Tanh
      ? "Tanh"
      : "?"
  );
  deepEqual(kinds, [
    ...Array(5).fill(["Linear", "BatchNorm1d", "Tanh"]).flat(),
    "Linear",
    "BatchNorm1d",
  ], "the layers, in order (your Linear, BatchNorm1d, Tanh from layers.ts)");
  const linears = net.layers.filter((l): l is Linear => l instanceof Linear);
  deepEqual(
    linears.map((l) => `(${l.weight.shape.join(", ")}) bias ${l.bias === null ? "none" : "yes"}`),
    ["(30, 100) bias none", ...Array(4).fill("(100, 100) bias none"), "(100, 27) bias none"],
    "the Linear layers: no bias (the BatchNorm after each has its own)",
  );
  const params = deepParameters(net);
  equal(params[0], net.C, "deepParameters starts with C");
  equal(params.reduce((n, p) => n + p.size, 0), T.parameters, "the lecture's 47,024 parameters");
  ok(params.every((p) => p.requiresGrad), "every parameter requires grad");
  const last = net.layers.at(-1) as BatchNorm1d;
  ok(
    last.gamma.dataSync().every((v) => Math.abs(v - 0.1) < 1e-7),
    "the last BatchNorm's gamma is 0.1: unsure at first",
  );
  const small = deepNetwork(new Generator(1), { depth: 2, nHidden: 7, nEmbd: 4, blockSize: 2 });
  equal(small.layers.length, 2 * 3 + 2, "depth 2: two blocks and the output layers");
  equal(
    deepParameters(small).reduce((n, p) => n + p.size, 0),
    27 * 4 + (8 * 7 + 14) + (7 * 7 + 14) + (7 * 27 + 54),
    "depth 2, nHidden 7, nEmbd 4, block 2",
  );
});

Deno.test("06.6 deepNetwork draws C, then each Linear's weight in turn, from one generator", () => {
  const net = deepNetwork(new Generator(SEED));
  const g = new Generator(SEED);
  const C = randn([27, 10], { generator: g });
  const W0 = randn([30, 100], { generator: g }).div(Math.sqrt(30));
  const W1 = randn([100, 100], { generator: g }).div(10);
  const linears = net.layers.filter((l): l is Linear => l instanceof Linear);
  assertAllClose("C", { data: net.C.dataSync(), shape: net.C.shape }, {
    data: C.dataSync(),
    shape: [27, 10],
  }, 1e-7);
  assertAllClose("the first Linear's weight", {
    data: linears[0].weight.dataSync(),
    shape: linears[0].weight.shape,
  }, {
    data: W0.dataSync(),
    shape: [30, 100],
  }, 1e-6);
  assertAllClose("the second Linear's weight", {
    data: linears[1].weight.dataSync(),
    shape: linears[1].weight.shape,
  }, {
    data: W1.dataSync(),
    shape: [100, 100],
  }, 1e-6);
});

Deno.test("06.6 deepForward: the lecture's first loss, 3.2870", () => {
  const g = new Generator(SEED);
  const net = deepNetwork(g);
  const { Xb, Yb } = firstBatch(g, Xtr, Ytr);
  const logits = deepForward(net, Xb);
  deepEqual(logits.shape, [32, 27], "logits (32, 27)");
  assertStat(
    "first-batch loss (the lecture prints 3.2870)",
    F.crossEntropy(logits, Yb).itemSync(),
    T.losses[0],
    1e-5,
  );
  ok(net.layers.every((l) => l.out !== null), "every layer kept its output in out");
  equal(net.layers.at(-1)!.out, logits, "the last layer's out is the logits");
});

Deno.test("06.6 deepSplitLoss evaluates with the running statistics and leaves each layer's mode as it was", () => {
  const net = deepNetwork(new Generator(SEED));
  const bn = net.layers[1] as BatchNorm1d;
  const before = Array.from(bn.runningMean.dataSync());
  const X = Xdev.slice(0, 0, 30), Y = Ydev.slice(0, 0, 30);
  const all = deepSplitLoss(net, X, Y);
  equal(typeof all, "number", "deepSplitLoss returns a number");
  deepEqual(
    Array.from(bn.runningMean.dataSync()),
    before,
    "evaluation leaves the running mean alone",
  );
  ok(
    net.layers.every((l) => !(l instanceof BatchNorm1d) || l.training),
    "the layers are training again after",
  );
  const a = deepSplitLoss(net, X.slice(0, 0, 10), Y.slice(0, 0, 10));
  const b = deepSplitLoss(net, X.slice(0, 10, 30), Y.slice(0, 10, 30));
  assertStat(
    "loss of 30 rows from rows 0–9 and 10–29",
    all,
    (10 * a + 20 * b) / 30,
    1e-5,
    1,
    "evaluation must not use the batch's own statistics: set training = false",
  );
});

Deno.test("06.7 activationStats, gradientStats and weightStats after one step: PyTorch's diagnostics", () => {
  assertDiagnostics(oneStep(), T.after_first_step, "after step 0", 1e-4);
});

Deno.test("06.7 weightStats: grad:data is grad.std() / weight.std(), for 2-d parameters only", () => {
  const w = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const b = tensor([1, 2], { requiresGrad: true });
  w.grad = tensor([[0.1, 0, -0.1], [0.2, 0, -0.2]]);
  b.grad = tensor([1, 1]);
  const [s, ...rest] = weightStats([b, w]);
  equal(rest.length, 0, "one entry: the bias (1-d) is left out");
  equal(s.index, 1, "index: the weight's place in the parameter list");
  deepEqual(s.shape, [2, 3]);
  const gStd = Math.sqrt((0.01 + 0.01 + 0.04 + 0.04) / 5), dStd = Math.sqrt(17.5 / 5);
  assertStat("mean of the grad", s.mean, 0, 1e-6);
  assertStat("std of the grad (unbiased, as torch's std)", s.std, gStd, 1e-5);
  assertStat("grad:data ratio", s.gradToData, gStd / dStd, 1e-5);
});

Deno.test("06.7 updateRatios: log10((lr · grad).std() / data.std()) for every parameter", () => {
  const p = tensor([1, 2, 3, 4]), q = tensor([[0, 2], [4, 6]]);
  p.grad = tensor([0.1, 0.2, 0.3, 0.4]);
  q.grad = tensor([[1, 0], [0, 1]]);
  const got = updateRatios([p, q], 0.1);
  equal(got.length, 2, "one ratio per parameter, vectors too");
  assertStat("ratio of p: log10(0.1 · 0.1)", got[0], -2, 1e-6);
  const qStd = Math.sqrt(20 / 3), gStd = Math.sqrt(1 / 3);
  assertStat("ratio of q", got[1], Math.log10((0.1 * gStd) / qStd), 1e-6);
  const net = oneStep();
  const ud = updateRatios(deepParameters(net), 0.1);
  equal(ud.length, T.ud[0].length, "one ratio per parameter of the deep network");
  ud.forEach((r, i) =>
    assertStat(`update ratio of parameter ${i} after step 0`, r, T.ud[0][i], 1e-3, 1)
  );
});

Deno.test("06.8 trainDeep: PyTorch's losses for 100 steps, one row of update ratios per step", () => {
  const { losses, ud } = trainedNet();
  equal(losses.length, T.steps, "one loss per step");
  assertStat("loss of step 0 (the lecture prints 3.2870)", losses[0], T.losses[0], 1e-5);
  for (let i = 1; i < T.steps; i++) assertStat(`loss of step ${i}`, losses[i], T.losses[i], 1e-4);
  equal(ud.length, T.steps, "one row of update ratios per step");
  ud.forEach((row, i) =>
    row.forEach((r, j) =>
      assertStat(
        `ud[${i}][${j}] (measured after step ${i}'s update, at its lr)`,
        r,
        T.ud[i][j],
        5e-3,
        1,
      )
    )
  );
});

Deno.test("06.8 after 100 steps of trainDeep: PyTorch's diagnostics and evaluation loss", () => {
  const { net } = trainedNet();
  if (net.layers.some((l) => l.out?.grad == null)) {
    throw new KataAssertionError(
      "after trainDeep a layer's out.grad is null: call out.retainGrad() on every layer's " +
        "output before backward, as the lecture does, so the gradients can be inspected",
    );
  }
  assertDiagnostics(net, T.after_last_step, "after step 99", 1e-3);
  const bn = net.layers[1] as BatchNorm1d;
  T.bn1_running_mean.forEach((v, j) =>
    assertStat(`layers[1].runningMean[${j}]`, bn.runningMean.dataSync()[j], v, 1e-3, 0.1)
  );
  T.bn1_running_var.forEach((v, j) =>
    assertStat(`layers[1].runningVar[${j}]`, bn.runningVar.dataSync()[j], v, 1e-3)
  );
  assertStat(
    `val loss in evaluation mode (first ${T.rows} dev rows)`,
    deepSplitLoss(net, Xdev.slice(0, 0, T.rows), Ydev.slice(0, 0, T.rows)),
    T.val_eval,
    1e-4,
  );
});
