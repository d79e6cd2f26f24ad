/**
 * Kata 02, steps 02.4–02.5: losses, gradient descent, and training on four
 * examples and on two moons. Run `deno test katas/02`.
 *
 * The pinned losses below come from the reference solution with these seeds; an
 * independent PyTorch (float64) re-implementation, testdata/kata02_crosscheck.py,
 * agrees to ~1e-15 (the tests allow 1e-9).
 *
 * @module
 */

import { equal, ok } from "node:assert/strict";
import { assertClose } from "../_lib/assert.ts";
import { makeMoons, seededUniform, Value } from "../../mod.ts";
import {
  accuracy,
  fit,
  hingeLoss,
  l2Penalty,
  MLP,
  sgdStep,
  squaredErrorLoss,
  trainMoons,
} from "./nn.ts";

/** The lecture's four examples: three inputs each, a target of ±1. */
const xs = [[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]];
const ys = [1, -1, -1, 1];

/** micrograd's moons demo: 100 points, ReLU MLP(2, [16, 16, 1]). */
function moonsSetup() {
  const { X, y } = makeMoons(100, { noise: 0.1, seed: 1 });
  const model = new MLP(2, [16, 16, 1], { nonlin: "relu", rng: seededUniform(1) });
  return { X, y, model };
}

Deno.test("02.4 squaredErrorLoss sums (pred - y)² and backpropagates 2·(pred - y)", () => {
  const preds = [new Value(0.5), new Value(-2), new Value(1), new Value(0.25)];
  const loss = squaredErrorLoss(preds, [1, -1, 1, -0.5]);
  ok(loss instanceof Value, "the loss is a Value");
  assertClose("loss", loss.data, 0.25 + 1 + 0 + 0.5625, 1e-12);
  loss.backward();
  [-1, -2, 0, 1.5].forEach((g, i) => assertClose(`preds[${i}].grad`, preds[i].grad, g, 1e-12));
});

Deno.test("02.4 sgdStep moves every parameter by -lr·grad", () => {
  const ps = [new Value(1), new Value(-2), new Value(0.5)];
  [0.5, -4, 0].forEach((g, i) => (ps[i].grad = g));
  sgdStep(ps, 0.1);
  [0.95, -1.6, 0.5].forEach((d, i) => assertClose(`params[${i}].data`, ps[i].data, d, 1e-12));
  [0.5, -4, 0].forEach((g, i) => equal(ps[i].grad, g, `sgdStep leaves params[${i}].grad alone`));
});

Deno.test("02.4 fit's first losses match the reference (zeroGrad each step)", () => {
  const model = new MLP(3, [4, 4, 1], { rng: seededUniform(1) });
  const losses = fit(model, xs, ys, { steps: 3, lr: 0.05 });
  equal(losses.length, 3);
  // Step 0 is the untrained model; steps 1 and 2 show whether the grads were
  // reset before each backward (accumulated grads change step 2).
  assertClose("losses[0]", losses[0], 5.461535964274885, 1e-9);
  assertClose("losses[1]", losses[1], 3.763262749534029, 1e-9);
  assertClose("losses[2]", losses[2], 2.8223917332354183, 1e-9);
});

Deno.test("02.4 fit uses its lr option; without options it runs 20 steps at lr 0.05", () => {
  const model = () => new MLP(3, [4, 4, 1], { rng: seededUniform(1) });
  // lr 0.1: twice the default step; it overshoots by step 2 (the default gives 3.7633, 2.8224).
  const fast = fit(model(), xs, ys, { steps: 3, lr: 0.1 });
  assertClose("losses[1] with lr 0.1", fast[1], 3.3441218681323877, 1e-9);
  assertClose("losses[2] with lr 0.1", fast[2], 3.6143209261188196, 1e-9);
  const byDefault = fit(model(), xs, ys);
  equal(byDefault.length, 20, "fit(model, xs, ys) runs 20 steps by default");
  assertClose("losses[19] with the defaults (lr 0.05)", byDefault[19], 0.03043516555760086, 1e-9);
  const stepsOnly = fit(model(), xs, ys, { steps: 3 });
  assertClose(
    "losses[2] with { steps: 3 } (lr 0.05 by default)",
    stepsOnly[2],
    2.8223917332354183,
    1e-9,
  );
  equal(fit(model(), xs, ys, { lr: 0.1 }).length, 20, "{ lr: 0.1 } keeps the default 20 steps");
});

Deno.test("02.4 fit drives the four-example loss below 1e-2 in 100 steps", () => {
  const model = new MLP(3, [4, 4, 1], { rng: seededUniform(1) });
  const losses = fit(model, xs, ys, { steps: 100, lr: 0.05 });
  equal(losses.length, 100);
  // The reference gets below 1e-2 at step 36 and ends at 6.9e-4.
  ok(losses[99] < 1e-2, `final loss ${losses[99]} should be < 1e-2`);
  xs.forEach((x, i) => {
    assertClose(`prediction for example ${i}`, model.forward(x)[0].data, ys[i], 0.1);
  });
});

Deno.test("02.5 hingeLoss is the mean of relu(1 - y·score)", () => {
  const scores = [2, 0.5, -0.3, -1.5, 0.2].map((s) => new Value(s));
  const labels = [1, 1, 1, -1, -1];
  const loss = hingeLoss(scores, labels);
  // Margins: 1-2 → 0, 1-0.5 → 0.5, 1+0.3 → 1.3, 1-1.5 → 0, 1+0.2 → 1.2.
  assertClose("loss", loss.data, (0 + 0.5 + 1.3 + 0 + 1.2) / 5, 1e-12);
  loss.backward();
  [0, -0.2, -0.2, 0, 0.2].forEach((g, i) =>
    assertClose(`scores[${i}].grad`, scores[i].grad, g, 1e-12)
  );
});

Deno.test("02.5 l2Penalty is alpha·Σp² with gradient 2·alpha·p", () => {
  const ps = [new Value(3), new Value(-4), new Value(0.5)];
  const penalty = l2Penalty(ps, 0.01);
  assertClose("penalty", penalty.data, 0.01 * (9 + 16 + 0.25), 1e-12);
  penalty.backward();
  [0.06, -0.08, 0.01].forEach((g, i) => assertClose(`params[${i}].grad`, ps[i].grad, g, 1e-12));
});

Deno.test("02.5 accuracy is the fraction of scores whose sign matches the label", () => {
  const scores = [2, -0.5, 0.3, -1.5, 0, 0.1, -0.2].map((s) => new Value(s));
  // A score of 0 counts as a negative prediction (score > 0 ⇔ class +1).
  assertClose("accuracy", accuracy(scores, [1, 1, 1, -1, -1, -1, 1]), 4 / 7, 1e-12);
  assertClose("all right", accuracy(scores.slice(0, 1), [1]), 1, 1e-12);
});

Deno.test("02.5 trainMoons records loss and accuracy before each update, lr = 1 - 0.9·k/steps", () => {
  const { X, y, model } = moonsSetup();
  const history = trainMoons(model, X, y, { steps: 3 });
  equal(history.length, 3);
  // Step 0: the untrained model; step 2 used lr 1 - 0.9·1/3 = 0.7 for its update.
  assertClose("history[0].loss", history[0].loss, 1.1857234557888572, 1e-9);
  assertClose("history[1].loss", history[1].loss, 0.8023352628699497, 1e-9);
  assertClose("history[2].loss", history[2].loss, 1.669147004053767, 1e-9);
  assertClose("history[0].accuracy", history[0].accuracy, 0.48, 1e-12);
  assertClose("history[1].accuracy", history[1].accuracy, 0.75, 1e-12);
  assertClose("history[2].accuracy", history[2].accuracy, 0.72, 1e-12);
  // alpha scales the L2 term.
  const heavy = trainMoons(moonsSetup().model, X, y, { steps: 1, alpha: 0.1 });
  assertClose("loss with alpha 0.1", heavy[0].loss, 13.197097598069936, 1e-9);
});

Deno.test("02.5 trainMoons reaches 100% training accuracy on two moons within 100 steps", () => {
  const { X, y, model } = moonsSetup();
  const history = trainMoons(model, X, y);
  equal(history.length, 100);
  const first = history.findIndex((h) => h.accuracy === 1);
  // The reference: 100% first at step 34, and at every step from 41 on.
  ok(first !== -1, `never reached 100%; best ${Math.max(...history.map((h) => h.accuracy))}`);
  const last = history[99];
  ok(last.accuracy === 1, `final accuracy ${last.accuracy}`);
  ok(last.loss < 0.05, `final loss ${last.loss} should be < 0.05 (the reference ends at 0.0139)`);
  const scores = X.map((x) => model.forward(x)[0]);
  equal(accuracy(scores, y), 1, "the trained model classifies every point");
});
