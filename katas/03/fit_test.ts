/**
 * Kata 03, steps 03.3–03.6: random search, gradient descent and Adam, and
 * their comparison under one budget. Run `deno test katas/03`.
 *
 * @module
 */

import { equal, ok } from "node:assert/strict";
import { assertClose } from "../_lib/assert.ts";
import { Generator, type nn, noGrad, optim, randn, type Tensor, tensor } from "../../mod.ts";
import { datasetLoss, makeModel } from "./data.ts";
import { adam, compareMethods, gradientDescent, randomSearch } from "./fit.ts";
import {
  assertParamsClose,
  BUDGET,
  counting,
  kataSplit,
  MODEL_SEED,
  rmsDiff,
  snapshot,
} from "./_setup.ts";

/** A fresh model and its training loss, the same for every call. */
function fresh(seed = MODEL_SEED) {
  const model = makeModel({ generator: new Generator(seed) });
  return { model, loss: datasetLoss(model, kataSplit().train) };
}

/** The loss of `model` on the training set, without a graph. */
function trainLoss(model: nn.Sequential): number {
  return noGrad(() => datasetLoss(model, kataSplit().train)().itemSync());
}

/** `Σ over parameters of Σ (p - c)²`: its gradient is `2·(p - c)`, known in closed form. */
function bowl(model: nn.Module, c: number): () => Tensor {
  return () =>
    model.parameters().map((p) => p.sub(c).mul(p.sub(c)).sum()).reduce((a, b) => a.add(b));
}

/** `c + f·(p0 - c)` for every element of every parameter snapshot. */
function towards(p0: readonly Float32Array[], c: number, f: (p: number) => number) {
  return p0.map((t) => t.map((p) => c + f(p - c)));
}

// ---- 03.3 random search ----

Deno.test("03.3 randomSearch spends exactly `steps` loss evaluations, the first on the start", () => {
  const { model, loss } = fresh();
  const start = trainLoss(model);
  const c = counting(loss);
  const history = randomSearch(model, c.loss, { steps: 25, generator: new Generator(1) });
  equal(c.calls(), 25, "calls to loss(): the budget is 25 evaluations, the first one included");
  equal(history.length, 25, "one history entry per evaluation");
  assertClose("history[0] (the loss of the starting weights)", history[0], start, 1e-7);
});

Deno.test("03.3 randomSearch keeps a change only when it lowers the loss, and undoes the others", () => {
  const { model } = fresh();
  // A scripted loss: evaluation k returns script[k] whatever the weights, and
  // the test records the weights each evaluation saw.
  const script = [5, 6, 4, 4.5, 3, 7];
  const seen: Float32Array[][] = [];
  const loss = () => {
    seen.push(snapshot(model));
    return tensor(script[seen.length - 1]);
  };
  const history = randomSearch(model, loss, { steps: 6, scale: 0.1, generator: new Generator(1) });
  equal(
    history.join(", "),
    "5, 5, 4, 4, 3, 3",
    "history[k] is the loss of the weights kept after evaluation k (6 is worse than 5: rejected)",
  );
  // Each proposal starts from the weights kept so far, not from the rejected ones.
  for (const [from, to] of [[0, 1], [0, 2], [2, 3], [2, 4], [4, 5]]) {
    const r = rmsDiff(seen[to], seen[from]) / 0.1;
    ok(
      r > 0.85 && r < 1.15,
      `evaluation ${to} should be one proposal (rms change ≈ scale 0.1) away from the weights ` +
        `kept at evaluation ${from}; the rms change is ${r.toFixed(2)}·scale` +
        (r > 1.15 ? " — was a rejected change kept?" : ""),
    );
  }
  assertParamsClose(
    "the final weights (those that scored 3; the last change, 7, must be undone)",
    snapshot(model),
    seen[4],
    1e-6,
  );
});

Deno.test("03.3 randomSearch proposes p + scale·randn(p.shape, { generator }) for every parameter", () => {
  const { model } = fresh();
  const start = snapshot(model);
  const seen: Float32Array[][] = [];
  const loss = () => {
    seen.push(snapshot(model));
    return tensor(1);
  };
  randomSearch(model, loss, { steps: 2, scale: 0.05, generator: new Generator(9) });
  const g = new Generator(9);
  const proposal = model.parameters().map((p, i) => {
    const d = randn(p.shape, { generator: g }).dataSync();
    return start[i].map((v, j) => v + 0.05 * d[j]);
  });
  assertParamsClose(
    "the first proposal: every parameter in parameters() order plus 0.05·randn(p.shape, { generator })",
    seen[1],
    proposal,
    1e-6,
  );
});

Deno.test("03.3 randomSearch lowers the loss of the x² fit and never records an increase", () => {
  const { model, loss } = fresh();
  const history = randomSearch(model, loss, { steps: 200, generator: new Generator(1) });
  for (let k = 1; k < history.length; k++) {
    ok(
      history[k] <= history[k - 1],
      `history[${k}] = ${history[k]} > history[${k - 1}] = ${
        history[k - 1]
      }: a worse proposal was kept`,
    );
  }
  ok(history[199] < history[0] / 2, `200 evaluations: ${history[0]} → ${history[199]}, not halved`);
  assertClose("the trained model's loss (= history[199])", trainLoss(model), history[199], 1e-6);
});

// ---- 03.4 gradient descent ----

Deno.test("03.4 gradientDescent spends `steps` evaluations and records each loss before its update", () => {
  const { model, loss } = fresh();
  const seen: number[] = [];
  const c = counting(() => {
    const l = loss();
    seen.push(l.itemSync());
    return l;
  });
  const history = gradientDescent(model, c.loss, { steps: 5, lr: 0.1 });
  equal(c.calls(), 5, "calls to loss(): one per step");
  equal(history.length, 5, "one history entry per step");
  history.forEach((h, k) => assertClose(`history[${k}] (the loss loss() returned)`, h, seen[k], 0));
  ok(
    history[4] < history[0],
    `the loss should go down (p -= lr·grad: downhill): ${history.join(", ")}`,
  );
});

Deno.test("03.4 gradientDescent steps p ← p - lr·grad, with grads zeroed before each backward", () => {
  // With L = Σ (p - c)², grad = 2·(p - c), so one step maps p - c to (1 - 2·lr)·(p - c).
  const { model } = fresh();
  const p0 = snapshot(model);
  gradientDescent(model, bowl(model, 0.5), { steps: 1, lr: 0.1 });
  assertParamsClose(
    "after 1 step, p - lr·grad (downhill: subtract)",
    snapshot(model),
    towards(p0, 0.5, (d) => 0.8 * d),
    1e-5,
  );
  gradientDescent(model, bowl(model, 0.5), { steps: 2, lr: 0.1 });
  assertParamsClose(
    "after 3 steps, 0.8³·(p0 - c) + c (grads accumulate unless zeroed before each backward)",
    snapshot(model),
    towards(p0, 0.5, (d) => 0.512 * d),
    1e-5,
  );
});

Deno.test("03.4 gradientDescent matches optim.SGD step for step on the x² fit", () => {
  const mine = fresh(), ref = fresh();
  const history = gradientDescent(mine.model, mine.loss, { steps: 10, lr: 0.2 });
  const opt = new optim.SGD(ref.model.parameters(), { lr: 0.2 });
  for (let k = 0; k < 10; k++) {
    opt.zeroGrad();
    const l = ref.loss();
    l.backward();
    opt.step();
    assertClose(`history[${k}] vs optim.SGD`, history[k], l.itemSync(), 1e-5);
  }
  assertParamsClose(
    "weights after 10 steps vs optim.SGD",
    snapshot(mine.model),
    snapshot(ref.model),
    1e-5,
  );
});

// ---- 03.5 Adam ----

Deno.test("03.5 adam spends `steps` evaluations and records each loss before its update", () => {
  const { model, loss } = fresh();
  const c = counting(loss);
  const history = adam(model, c.loss, { steps: 5 });
  equal(c.calls(), 5, "calls to loss(): one per step");
  equal(history.length, 5, "one history entry per step");
  assertClose("history[0] (the starting loss)", history[0], fresh().loss().itemSync(), 1e-7);
});

Deno.test("03.5 adam's first step moves every parameter by lr against its gradient's sign", () => {
  // Step 1: m̂ = g and v̂ = g² after bias correction, so the update is lr·g/|g|.
  const { model } = fresh();
  const p0 = snapshot(model);
  adam(model, bowl(model, 0.5), { steps: 1, lr: 0.01 });
  assertParamsClose(
    "after 1 step, p - lr·sign(grad) (needs m̂ = m/(1-β1), v̂ = v/(1-β2))",
    snapshot(model),
    towards(p0, 0.5, (d) => d - 0.01 * Math.sign(d)),
    1e-5,
  );
});

Deno.test("03.5 adam matches optim.Adam step for step (betas, bias correction, eps)", () => {
  for (
    const opts of [
      { lr: 0.01, betas: [0.9, 0.999] as const, eps: 1e-8 },
      { lr: 0.02, betas: [0.8, 0.99] as const, eps: 1e-3 },
    ]
  ) {
    const mine = fresh(), ref = fresh();
    const what = `lr ${opts.lr}, betas [${opts.betas}], eps ${opts.eps}`;
    const history = adam(mine.model, mine.loss, { steps: 12, ...opts });
    const opt = new optim.Adam(ref.model.parameters(), opts);
    for (let k = 0; k < 12; k++) {
      opt.zeroGrad();
      const l = ref.loss();
      l.backward();
      opt.step();
      assertClose(
        `${what}: history[${k}] vs optim.Adam (β1 for m, β2 for v, bias-corrected)`,
        history[k],
        l.itemSync(),
        1e-5,
      );
    }
    assertParamsClose(
      `${what}: weights after 12 steps vs optim.Adam`,
      snapshot(mine.model),
      snapshot(ref.model),
      1e-5,
    );
  }
});

// ---- 03.6 the comparison ----

Deno.test("03.6 compareMethods starts all three from the same weights with the same budget", () => {
  const r = compareMethods(kataSplit().train, { steps: 40, seed: 2 });
  const start = trainLoss(makeModel({ generator: new Generator(2) }));
  for (const m of ["randomSearch", "gradientDescent", "adam"] as const) {
    equal(r[m].history.length, 40, `${m}: 40 evaluations, like the others`);
    assertClose(
      `${m}.history[0]: the loss of makeModel({ generator: new Generator(seed) })`,
      r[m].history[0],
      start,
      1e-6,
    );
    assertClose(
      `${m}.final: the trained model's training loss`,
      r[m].final,
      trainLoss(r[m].model),
      1e-6,
    );
  }
  ok(
    r.randomSearch.model !== r.adam.model && r.gradientDescent.model !== r.adam.model,
    "each method trains its own copy of the model",
  );
});

Deno.test(`03.6 with ${BUDGET} evaluations each: Adam beats gradient descent 2×, which beats random search 2×`, () => {
  const r = compareMethods(kataSplit().train, { steps: BUDGET, seed: MODEL_SEED });
  const [rs, gd, ad] = [r.randomSearch.final, r.gradientDescent.final, r.adam.final];
  const report = `random search ${rs.toExponential(2)}, gradient descent ${gd.toExponential(2)}, ` +
    `Adam ${ad.toExponential(2)}`;
  // Seed 5: gd/Adam 8.6 and rs/gd 7.5 (PyTorch, same runs: 8.9 and 7.3). Over seeds 0–19 the
  // reference stays ≥ 2.9 and ≥ 3.1; PyTorch's rounding drops seed 0 to 1.9, where Adam is
  // in one of its loss spikes at step 300 — a reason to pin a seed with room to spare.
  ok(ad < gd / 2, `Adam should reach less than half gradient descent's loss: ${report}`);
  ok(gd < rs / 2, `gradient descent should reach less than half random search's loss: ${report}`);
  ok(ad < 1e-3, `Adam should fit x² to an mse below 1e-3 in ${BUDGET} steps: ${report}`);
});
