/**
 * Kata 03, steps 03.7–03.8: interpolation and extrapolation, and the knobs
 * that change extrapolation — the activation and weight decay. Run
 * `deno test katas/03`.
 *
 * @module
 */

import { equal, ok } from "node:assert/strict";
import { assertClose } from "../_lib/assert.ts";
import { Generator, type nn, noGrad, optim, tensor } from "../../mod.ts";
import { type Activation, type Data, datasetLoss, makeData, makeModel, mse } from "./data.ts";
import { adam, gradientDescent } from "./fit.ts";
import { evaluate, generalization, parameterNorm, slope } from "./generalize.ts";
import { assertParamsClose, BUDGET, kataSplit, MODEL_SEED, snapshot } from "./_setup.ts";

/** The mse of `model` on `d`, computed here (not with the learner's evaluate). */
function mseOf(model: nn.Sequential, d: Data): number {
  return noGrad(() => mse(model.forward(d.x), d.y).itemSync());
}

/** `f(x)` of a one-input model. */
function f(model: nn.Sequential, x: number): number {
  return noGrad(() => model.forward(tensor([[x]])).itemSync());
}

const cache = new Map<string, nn.Sequential>();
/** A model fitted with your Adam for BUDGET steps (trained once per file, then reused). */
function fitted(activation: Activation, weightDecay = 0): nn.Sequential {
  const key = `${activation} ${weightDecay}`;
  let model = cache.get(key);
  if (model === undefined) {
    model = makeModel({ activation, generator: new Generator(MODEL_SEED) });
    adam(model, datasetLoss(model, kataSplit().train), { steps: BUDGET, weightDecay });
    cache.set(key, model);
  }
  return model;
}

// ---- 03.7 interpolation and extrapolation ----

Deno.test("03.7 evaluate is the mse of the model on the points, as a number", () => {
  const model = makeModel({ generator: new Generator(1) });
  const got = evaluate(model, kataSplit().heldOut);
  equal(typeof got, "number", "evaluate returns a number, not a Tensor");
  assertClose("evaluate(model, heldOut)", got, mseOf(model, kataSplit().heldOut), 1e-7);
  ok(model.parameters().every((p) => p.grad === null), "evaluating leaves the gradients alone");
});

Deno.test("03.7 generalization measures train, held-out, and a grid outside the range", () => {
  const model = makeModel({ generator: new Generator(1) });
  const g = generalization(model, kataSplit());
  assertClose("train", g.train, mseOf(model, kataSplit().train), 1e-7);
  assertClose(
    "heldOut (the held-out points, not the training ones)",
    g.heldOut,
    mseOf(model, kataSplit().heldOut),
    1e-7,
  );
  assertClose(
    "outside: makeData(50, { low: 2, high: 3 }), never the training points",
    g.outside,
    mseOf(model, makeData(50, { low: 2, high: 3 })),
    1e-7,
  );
  const left = generalization(model, kataSplit(), { low: -3, high: -2, n: 7 });
  assertClose(
    "outside with { low: -3, high: -2, n: 7 }",
    left.outside,
    mseOf(model, makeData(7, { low: -3, high: -2 })),
    1e-7,
  );
});

Deno.test("03.7 the fitted model interpolates: held-out error below 1e-3", () => {
  const g = generalization(fitted("tanh"), kataSplit());
  // Reference (tanh, Adam, 300 steps, seed 5): train 1.5e-4, held-out 1.4e-4; seeds 0–19:
  // held-out 6.6e-6 to 5.6e-4.
  ok(g.train < 1e-3, `training mse ${g.train} should be below 1e-3`);
  ok(g.heldOut < 1e-3, `held-out mse ${g.heldOut} should be below 1e-3`);
});

Deno.test("03.7 ... and does not extrapolate: error on [2, 3] at least 10× the held-out error", () => {
  const g = generalization(fitted("tanh"), kataSplit());
  // Reference: 19 on [2, 3], 1.4e5 times the held-out error (seeds 0–19: at least 3.6e4
  // times); x² there runs from 4 to 9.
  ok(
    g.outside >= 10 * g.heldOut && g.outside > 1,
    `mse on [2, 3] ${g.outside} should be ≥ 10 × held-out ${g.heldOut} (and above 1)`,
  );
});

// ---- 03.8 activations and weight decay ----

Deno.test("03.8 slope is the secant slope (f(b) - f(a)) / (b - a) of the model", () => {
  const model = makeModel({ generator: new Generator(4) });
  for (const [a, b] of [[0, 1], [2, 3], [-1.5, 0.25]]) {
    assertClose(
      `slope(model, ${a}, ${b})`,
      slope(model, a, b),
      (f(model, b) - f(model, a)) / (b - a),
      1e-5,
    );
  }
});

Deno.test("03.8 parameterNorm is √(Σ p²) over every weight and bias", () => {
  const model = makeModel({ hidden: 3, generator: new Generator(1) });
  // Fill parameter k (weights and biases alternate) with the value k + 1.
  noGrad(() => model.parameters().forEach((p, k) => p.fill_(k + 1)));
  const sizes = model.parameters().map((p) => p.size); // 3, 3, 9, 3, 3, 1
  const expected = Math.sqrt(sizes.reduce((s, n, k) => s + n * (k + 1) ** 2, 0));
  assertClose(
    "parameterNorm (every weight and bias, squared, summed, square root)",
    parameterNorm(model),
    expected,
    1e-6,
  );
});

Deno.test("03.8 ReLU extrapolates linearly: a straight line on [2, 3], sloping up", () => {
  const relu = fitted("relu");
  const s1 = slope(relu, 2, 2.5), s2 = slope(relu, 2.5, 3);
  // Beyond its last kink a ReLU net is a straight line. Reference (seed 5): 1.592 and
  // 1.591; over seeds 0–19 the two differ by at most 0.083 and both stay above 0.58.
  // x² itself goes from slope 4.5 to 5.5 there: it bends, the net does not.
  ok(
    s1 > 0.5 && s2 > 0.5,
    `ReLU slopes on [2, 2.5] and [2.5, 3] should be above 0.5: ${s1}, ${s2}`,
  );
  ok(Math.abs(s1 - s2) < 0.1, `a ReLU net is straight out there: ${s1} vs ${s2} (|diff| < 0.1)`);
  ok(f(relu, 3) < 9 - 2, `ReLU f(3) = ${f(relu, 3)} should fall short of 3² = 9 by more than 2`);
});

Deno.test("03.8 tanh flattens: on [2, 3] the slope is small and shrinking", () => {
  const tanh = fitted("tanh"), relu = fitted("relu");
  const edge = slope(tanh, 0.5, 1), far = slope(tanh, 2, 3);
  const s1 = slope(tanh, 2, 2.5), s2 = slope(tanh, 2.5, 3);
  // Reference (seed 5): edge 1.42; on [2, 3] 0.233 (0.339, then 0.128), ReLU 1.59.
  // Over seeds 0–19, |slope on [2, 3]| ≤ 0.496 and under half of ReLU's, and it shrinks.
  ok(edge > 1, `tanh fits the data: slope on [0.5, 1] ${edge} should be above 1 (x² has 1.5)`);
  ok(Math.abs(far) < 0.6, `tanh slope on [2, 3] ${far} should be below 0.6 in size`);
  ok(s2 < s1, `tanh saturates: slope on [2.5, 3] ${s2} should be below that on [2, 2.5] ${s1}`);
  const r = slope(relu, 2, 3);
  ok(Math.abs(far) < r / 2, `tanh's slope on [2, 3] ${far} should be under half of ReLU's ${r}`);
});

Deno.test("03.8 gradientDescent's weightDecay adds weightDecay·p to the gradient (as optim.SGD)", () => {
  const mine = makeModel({ generator: new Generator(MODEL_SEED) });
  const ref = makeModel({ generator: new Generator(MODEL_SEED) });
  gradientDescent(mine, datasetLoss(mine, kataSplit().train), {
    steps: 5,
    lr: 0.2,
    weightDecay: 0.1,
  });
  const opt = new optim.SGD(ref.parameters(), { lr: 0.2, weightDecay: 0.1 });
  const loss = datasetLoss(ref, kataSplit().train);
  for (let k = 0; k < 5; k++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
  assertParamsClose(
    "weights after 5 steps with weightDecay 0.1 vs optim.SGD (g = grad + wd·p, then p -= lr·g)",
    snapshot(mine),
    snapshot(ref),
    1e-5,
  );
});

Deno.test("03.8 adam's weightDecay adds weightDecay·p to the gradient (as optim.Adam)", () => {
  const mine = makeModel({ generator: new Generator(MODEL_SEED) });
  const ref = makeModel({ generator: new Generator(MODEL_SEED) });
  adam(mine, datasetLoss(mine, kataSplit().train), { steps: 5, lr: 0.01, weightDecay: 0.1 });
  const opt = new optim.Adam(ref.parameters(), { lr: 0.01, weightDecay: 0.1 });
  const loss = datasetLoss(ref, kataSplit().train);
  for (let k = 0; k < 5; k++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
  assertParamsClose(
    "weights after 5 steps with weightDecay 0.1 vs optim.Adam (g = grad + wd·p before m and v)",
    snapshot(mine),
    snapshot(ref),
    1e-5,
  );
});

Deno.test("03.8 weight decay shrinks the weights: norm with 1e-3 under 0.8× the norm without", () => {
  const plain = fitted("relu"), decayed = fitted("relu", 1e-3);
  const n0 = parameterNorm(plain), n1 = parameterNorm(decayed);
  // Reference (ReLU, seed 5): 5.26 → 2.97 (0.56×); seeds 0–19: 0.53× to 0.70×.
  ok(n1 < 0.8 * n0, `‖p‖ with weightDecay 1e-3 is ${n1}, without ${n0}: should be below 0.8×`);
  const g = generalization(decayed, kataSplit());
  ok(g.train < 1e-3, `with weightDecay 1e-3 the fit stays good: training mse ${g.train} < 1e-3`);
});
