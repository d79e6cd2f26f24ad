/**
 * Kata 08, step 08.7: the lecture's optimisation — minibatch SGD with lr 0.1,
 * then 0.01 from step 150,000 — checked step by step against PyTorch running
 * the lecture's code, then evaluation and sampling.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose, assertClose, KataAssertionError } from "../_lib/assert.ts";
import { Generator } from "../../mod.ts";
import { lectureGenerator, lectureSplit, TORCH } from "./_checks.ts";
import type { BatchNorm1d } from "./layers.ts";
import { flatModel, hierarchicalModel } from "./model.ts";
import { lectureLr, sampleNames, splitLoss, train } from "./train.ts";

const STEPS = TORCH.steps; // 30

Deno.test("08.7 lectureLr: 0.1 for steps 0 … 149,999, then 0.01", () => {
  equal(lectureLr(0), 0.1);
  equal(lectureLr(149_999), 0.1, "step 149,999 still learns at 0.1");
  equal(lectureLr(150_000), 0.01, "the decay starts at step 150,000 (i < 150000 else 0.01)");
  equal(lectureLr(199_999), 0.01);
});

/** The losses against PyTorch's, with a message that names the first step that drifts. */
function assertLosses(name: string, got: Float32Array, want: number[]) {
  equal(got.length, want.length, `${name}: one loss per step`);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 2e-4 * (1 + i / 10))) {
      throw new KataAssertionError(
        `${name}: step ${i} loss ${got[i]}, PyTorch ${want[i]} (same seed, same minibatches)` +
          (i === 0
            ? "\n  the first step is the model's first loss (08.5): draw the minibatch with randint(0, n, [32], { generator: g })"
            : "\n  the first step agrees, so the update is off: p -= lr · grad for every parameter, grads reset each step"),
      );
    }
  }
}

Deno.test("08.7 train: the hierarchical model's first 30 minibatch losses are PyTorch's", async () => {
  const { Xtr, Ytr } = await lectureSplit();
  const g = lectureGenerator();
  const model = hierarchicalModel(g);
  const seen: number[] = [];
  const losses = train(model, Xtr, Ytr, g, { steps: STEPS, onStep: (i) => seen.push(i) });
  ok(losses instanceof Float32Array, "train returns a Float32Array of losses");
  deepEqual(seen, Array.from({ length: STEPS }, (_, i) => i), "onStep(i, loss) after every step");
  assertLosses("hierarchical", losses, TORCH.hierarchical.losses);
  for (const i of [3, 7, 11]) {
    const bn = model.layers[i] as BatchNorm1d;
    const want = TORCH.hierarchical.buffers[String(i) as "3" | "7" | "11"];
    assertAllClose(
      `layer ${i} runningMean after ${STEPS} steps`,
      { data: bn.runningMean.dataSync(), shape: [128] },
      { data: want.running_mean, shape: [128] },
      2e-4,
    );
    assertAllClose(
      `layer ${i} runningVar after ${STEPS} steps`,
      { data: bn.runningVar.dataSync(), shape: [128] },
      { data: want.running_var, shape: [128] },
      2e-4,
    );
  }
  const dev = await lectureSplit();
  const loss = splitLoss(model, dev.Xdev.slice(0, 0, TORCH.rows), dev.Ydev.slice(0, 0, TORCH.rows));
  assertClose(
    `splitLoss on the first ${TORCH.rows} dev rows (evaluation mode)`,
    loss,
    TORCH.hierarchical.dev_loss,
    2e-4,
  );
  ok(
    model.layers.every((l) => l.training === false),
    "splitLoss leaves the model in evaluation mode",
  );
  const names = sampleNames(model, new Generator(52), dev.vocab, 8, 5);
  deepEqual(
    names,
    TORCH.hierarchical.names,
    "five names with Generator(52): PyTorch's, sampled as the lecture samples",
  );
});

Deno.test("08.7 train: the flat model's first 30 losses are PyTorch's, and train switches training back on", async () => {
  const { Xtr, Ytr } = await lectureSplit();
  const g = lectureGenerator();
  const model = flatModel(g);
  for (const l of model.layers) l.training = false;
  const losses = train(model, Xtr, Ytr, g, { steps: STEPS });
  assertLosses(
    "flat (a model left in evaluation mode must train in training mode)",
    losses,
    TORCH.flat.losses,
  );
});
