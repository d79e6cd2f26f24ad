/**
 * Kata 05 benchmark: your training step and your dev-split evaluation against
 * the reference, on the lecture's model (11,897 parameters, batch 32). Run
 * `deno bench katas/05`.
 *
 * @module
 */

import { Generator } from "../../mod.ts";
import { lectureSplit } from "./_checks.ts";
import * as learner from "./mlp.ts";
import * as reference from "../../solutions/05/mlp.ts";

const { Xtr, Ytr, Xdev, Ydev } = lectureSplit();

type Kata = typeof reference | typeof learner;

/** Times 100 steps of `train` (minibatch, forward, backward, update). */
function trainSteps(m: Kata) {
  return (b: Deno.BenchContext) => {
    // Built inside the bench so an unfinished stub fails this bench, not the file.
    const g = new Generator(2147483647);
    const p = m.initParams(g);
    b.start();
    m.train(p, Xtr, Ytr, g, { steps: 100 });
    b.end();
  };
}

/** Times the loss over the 22,655 dev examples. */
function devLoss(m: Kata) {
  return (b: Deno.BenchContext) => {
    const p = m.initParams(new Generator(2147483647));
    b.start();
    m.splitLoss(p, Xdev, Ydev);
    b.end();
  };
}

Deno.bench({
  name: "reference: 100 training steps, batch 32",
  group: "kata 05 training steps",
  baseline: true,
  fn: trainSteps(reference),
});

Deno.bench({
  name: "yours: 100 training steps, batch 32",
  group: "kata 05 training steps",
  fn: trainSteps(learner),
});

Deno.bench({
  name: "reference: dev loss, 22,655 examples",
  group: "kata 05 dev loss",
  baseline: true,
  fn: devLoss(reference),
});

Deno.bench({
  name: "yours: dev loss, 22,655 examples",
  group: "kata 05 dev loss",
  fn: devLoss(learner),
});
