/**
 * Kata 07, steps 07.8–07.9 (exercise 4): training with the backward pass
 * written by hand, then BatchNorm calibrated on the training set, evaluation
 * and sampling. Run `deno test katas/07`.
 *
 * PyTorch's numbers: the lecture's cell 22 run for 1,000 steps with the
 * lecture's seeds (testdata/lectures/backprop.json, testdata/gen_backprop.py).
 * The lecture's 200,000 steps are `deno task reproduce 07`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertClose } from "../_lib/assert.ts";
import { F, Generator, index, noGrad, randint, Tensor } from "../../mod.ts";
import { assertGrad, exercise4Params, lectureCase, lectureSplit, SMALL, TORCH } from "./_checks.ts";
import { initParams, type NetParams, parameters } from "./chunks.ts";
import {
  calibrate,
  forwardStep,
  lectureLr,
  manualGrads,
  sampleNames,
  splitLoss,
  train,
} from "./train.ts";

const { Xtr, Ytr, Xdev, Ydev, vocab } = await lectureSplit();
const PARAMS = ["C", "W1", "b1", "W2", "b2", "bngain", "bnbias"];

/** Exercise 4's model after `TORCH.exercise4.steps` steps of your `train`, built once. */
let trained: { p: NetParams; losses: Float32Array } | undefined;
function trainedModel(): { p: NetParams; losses: Float32Array } {
  if (trained === undefined) {
    const { p, g } = exercise4Params();
    trained = { p, losses: train(p, Xtr, Ytr, g, { steps: TORCH.exercise4.steps }) };
  }
  return trained;
}

function mean(a: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s / (to - from);
}

/** Checks manualGrads against autograd on one batch of a network. */
function checkManualGrads(p: NetParams, Xb: Tensor, Yb: Tensor): void {
  const c = forwardStep(p, Xb, Yb);
  c.loss.backward();
  const grads = noGrad(() => manualGrads(p, c, Xb, Yb));
  equal(grads.length, 7, "07.8 manualGrads returns [dC, dW1, db1, dW2, db2, dbngain, dbnbias]");
  parameters(p).forEach((q, k) => assertGrad("07.8", PARAMS[k], grads[k], q));
}

Deno.test("07.8 forwardStep: mean and var(unbiased) give the chunked forward's BatchNorm and loss", async () => {
  const { p, Xb, Yb, f } = await lectureCase();
  const c = forwardStep(p, Xb, Yb);
  assertClose("07.8 loss (chunked: 3.3377)", c.loss.itemSync(), f.loss.itemSync(), 1e-6);
  const bnraw = c.bnraw.dataSync(), ref = f.bnraw.dataSync();
  ref.forEach((v, i) =>
    assertClose(`07.8 bnraw[${Math.floor(i / 64)}, ${i % 64}]`, bnraw[i], v, 1e-5)
  );
  const h = c.h.dataSync(), href = f.h.dataSync();
  href.forEach((v, i) => assertClose(`07.8 h[${Math.floor(i / 64)}, ${i % 64}]`, h[i], v, 1e-5));
  deepEqual(c.bnvar_inv.shape, [1, 64], "07.8 bnvar_inv keeps its (1, nHidden) shape");
});

Deno.test("07.8 manualGrads: each parameter's gradient equals autograd's (exercise 4's network, cell 23's check)", () => {
  const { p, g } = exercise4Params();
  const ix = randint(0, Xtr.shape[0], [32], { generator: g });
  checkManualGrads(p, index(Xtr, ix), index(Ytr, ix));
});

Deno.test("07.8 manualGrads at other sizes (n 13, block 4, embedding 5, hidden 7, vocab 11)", () => {
  const g = new Generator(31);
  const { n, ...config } = SMALL;
  const p = initParams(g, config);
  const Xb = randint(0, SMALL.vocabSize, [n, SMALL.blockSize], { generator: g });
  const Yb = randint(0, SMALL.vocabSize, [n], { generator: g });
  checkManualGrads(p, Xb, Yb);
});

Deno.test("07.8 train never calls backward(): its first minibatch losses are PyTorch's", () => {
  const { p, g } = exercise4Params();
  const original = Tensor.prototype.backward;
  const calls: string[] = [];
  Tensor.prototype.backward = function (...args: Parameters<Tensor["backward"]>) {
    calls.push(new Error().stack?.split("\n")[2]?.trim() ?? "?");
    return original.apply(this, args);
  };
  let losses: Float32Array;
  try {
    losses = train(p, Xtr, Ytr, g, { steps: 11 });
  } finally {
    Tensor.prototype.backward = original;
  }
  deepEqual(calls, [], "07.8 train called backward(): write the gradients by hand (manualGrads)");
  ok(parameters(p).every((q) => q.grad === null), "07.8 train leaves every parameter's .grad null");
  equal(losses.length, 11, "one loss per step");
  for (let i = 0; i <= 10; i++) {
    const want = TORCH.exercise4.losses[i];
    assertClose(`07.8 loss of step ${i} (PyTorch: ${want})`, losses[i], want, 1e-4);
  }
});

Deno.test("07.8 train: lr(step) sets each step's rate, onStep sees each loss, batchSize is honoured", () => {
  for (const [step, lr] of [[0, 0.1], [99_999, 0.1], [100_000, 0.01], [199_999, 0.01]]) {
    assertClose(`07.8 lectureLr(${step})`, lectureLr(step), lr, 0);
  }
  const { p, g } = exercise4Params();
  const asked: number[] = [], seen: [number, number][] = [];
  const losses = train(p, Xtr, Ytr, g, {
    steps: 3,
    batchSize: 5,
    lr: (step) => {
      asked.push(step);
      return 0.05;
    },
    onStep: (step, loss) => seen.push([step, loss]),
  });
  deepEqual(asked, [0, 1, 2], "07.8 train calls options.lr once per step");
  deepEqual(seen, [...losses].map((l, i) => [i, l]), "07.8 onStep(step, loss) after every step");
  // The third step's batch of 5, drawn after two batches of 5 from the same stream:
  const { p: q, g: h } = exercise4Params();
  for (let k = 0; k < 2; k++) {
    const ix = randint(0, Xtr.shape[0], [5], { generator: h });
    const c = noGrad(() => forwardStep(q, index(Xtr, ix), index(Ytr, ix)));
    const grads = noGrad(() => manualGrads(q, c, index(Xtr, ix), index(Ytr, ix)));
    noGrad(() => parameters(q).forEach((t, j) => t.add_(grads[j], { alpha: -0.05 })));
  }
  const ix = randint(0, Xtr.shape[0], [5], { generator: h });
  const want = noGrad(() => forwardStep(q, index(Xtr, ix), index(Ytr, ix)).loss.itemSync());
  assertClose("07.8 loss of step 2 with batchSize 5 and lr 0.05", losses[2], want, 1e-5);
});

Deno.test("07.8 1,000 steps with the manual backward follow PyTorch's losses step by step", () => {
  // BatchNorm keeps float32 rounding from growing: the reference stays within 1e-6 of PyTorch
  // at every one of the 1,000 steps; 1e-3 leaves room for other ways of writing the same sums.
  const { losses } = trainedModel();
  TORCH.exercise4.losses.forEach((want: number, i: number) =>
    assertClose(`07.8 loss of step ${i} (PyTorch ${want.toFixed(4)})`, losses[i], want, 1e-3)
  );
  const last = mean(losses, 750, 1000);
  ok(last < 2.6, `07.8 the last 250 steps average ${last.toFixed(4)} (PyTorch about 2.45)`);
});

Deno.test("07.9 calibrate: the mean and the unbiased variance of embcat @ W1 + b1 over the whole set", () => {
  const { p } = exercise4Params();
  const X = Xtr.slice(0, 0, 3000);
  const bn = calibrate(p, X);
  deepEqual([bn.bnmean.shape, bn.bnvar.shape], [[1, 200], [1, 200]], "07.9 (1, nHidden) each");
  const hpre = noGrad(() => index(p.C, X).view(3000, -1).matmul(p.W1).add(p.b1));
  const m = hpre.mean(0).dataSync(), v = hpre.var(0, { unbiased: true }).dataSync();
  const gm = bn.bnmean.dataSync(), gv = bn.bnvar.dataSync();
  for (let j = 0; j < 200; j++) {
    assertClose(`07.9 bnmean[0, ${j}]`, gm[j], m[j], 1e-5);
    assertClose(`07.9 bnvar[0, ${j}] (Bessel: n - 1)`, gv[j], v[j], 1e-5);
  }
  ok(!bn.bnmean.requiresGrad && !bn.bnvar.requiresGrad, "07.9 calibrate records no graph");
});

Deno.test("07.9 splitLoss normalises with the calibrated statistics, so one example alone has a loss", () => {
  const { p } = trainedModel();
  const bn = calibrate(p, Xtr.slice(0, 0, 5000));
  const X = Xdev.slice(0, 0, 1), Y = Ydev.slice(0, 0, 1);
  const want = noGrad(() => {
    const hpre = index(p.C, X).view(1, -1).matmul(p.W1).add(p.b1);
    const hp = p.bngain.mul(hpre.sub(bn.bnmean).mul(bn.bnvar.add(1e-5).pow(-0.5))).add(p.bnbias);
    return F.crossEntropy(hp.tanh().matmul(p.W2).add(p.b2), Y).itemSync();
  });
  assertClose("07.9 splitLoss of one dev example", splitLoss(p, bn, X, Y), want, 1e-5);
});

Deno.test("07.9 after 1,000 steps: the calibrated dev loss is PyTorch's; its twenty names too", () => {
  const { p } = trainedModel();
  const bn = calibrate(p, Xtr); // all 182,625 training contexts, as the lecture
  const e = TORCH.exercise4;
  const bnmean = bn.bnmean.dataSync();
  e.bnmean_first3.forEach((v: number, j: number) =>
    assertClose(`07.9 bnmean[0, ${j}] (PyTorch ${v.toFixed(4)})`, bnmean[j], v, 1e-4)
  );
  const dev = splitLoss(p, bn, Xdev, Ydev);
  assertClose(`07.9 dev loss (PyTorch ${e.dev_loss.toFixed(4)})`, dev, e.dev_loss, 1e-3);
  deepEqual(sampleNames(p, bn, new Generator(2147483647 + 10), vocab), e.names);
});
