/**
 * Kata 08 benchmark: your training steps against the reference — 20 steps of
 * the hierarchical network (76,579 parameters, batch 32) and of the flat one
 * (22,097), and the evaluation of 2,000 dev rows. Run `deno bench katas/08`.
 *
 * @module
 */

import { Generator } from "../../mod.ts";
import { lectureSplit } from "./_checks.ts";
import * as learnerModel from "./model.ts";
import * as learnerTrain from "./train.ts";
import * as referenceModel from "../../solutions/08/model.ts";
import * as referenceTrain from "../../solutions/08/train.ts";

const { Xtr, Ytr, Xdev, Ydev } = await lectureSplit();
const Xd = Xdev.slice(0, 0, 2000), Yd = Ydev.slice(0, 0, 2000);

type Kata = { model: typeof referenceModel; train: typeof referenceTrain };
const reference: Kata = { model: referenceModel, train: referenceTrain };
const yours = { model: learnerModel, train: learnerTrain } as unknown as Kata;

/** Times 20 steps of `train` on the model `make` builds (built inside, so a stub fails only here). */
function steps(k: Kata, which: "hierarchicalModel" | "flatModel") {
  return (b: Deno.BenchContext) => {
    const g = new Generator(42);
    const model = k.model[which](g);
    b.start();
    k.train.train(model, Xtr, Ytr, g, { steps: 20 });
    b.end();
  };
}

for (
  const [which, label] of [["hierarchicalModel", "hierarchical"], ["flatModel", "flat"]] as const
) {
  Deno.bench({
    name: `reference: 20 steps of the ${label} model`,
    group: `kata 08 ${label} training steps`,
    baseline: true,
    fn: steps(reference, which),
  });
  Deno.bench({
    name: `yours: 20 steps of the ${label} model`,
    group: `kata 08 ${label} training steps`,
    fn: steps(yours, which),
  });
}

/** Times `splitLoss` on 2,000 dev rows (evaluation mode, no graph). */
function evaluation(k: Kata) {
  return (b: Deno.BenchContext) => {
    const model = k.model.hierarchicalModel(new Generator(42));
    b.start();
    k.train.splitLoss(model, Xd, Yd);
    b.end();
  };
}

Deno.bench({
  name: "reference: splitLoss on 2,000 dev rows",
  group: "kata 08 evaluation",
  baseline: true,
  fn: evaluation(reference),
});
Deno.bench({
  name: "yours: splitLoss on 2,000 dev rows",
  group: "kata 08 evaluation",
  fn: evaluation(yours),
});
