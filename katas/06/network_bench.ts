/**
 * Kata 06 benchmark: your training steps against the reference — the
 * BatchNorm'd MLP (12,097 parameters) and the deep network with its
 * diagnostics (47,024 parameters), batch 32. Run `deno bench katas/06`.
 *
 * @module
 */

import { Generator } from "../../mod.ts";
import { lectureSplit } from "./_checks.ts";
import * as learnerMlp from "./mlp_batchnorm.ts";
import * as learnerNet from "./network.ts";
import * as referenceMlp from "../../solutions/06/mlp_batchnorm.ts";
import * as referenceNet from "../../solutions/06/network.ts";

const { Xtr, Ytr } = lectureSplit();

/** Times 100 steps of `trainBnMlp`. */
function bnSteps(m: typeof referenceMlp) {
  return (b: Deno.BenchContext) => {
    // Built inside the bench so an unfinished stub fails this bench, not the file.
    const g = new Generator(2147483647);
    const model = m.initBnMlp(g);
    b.start();
    m.trainBnMlp(model, Xtr, Ytr, g, { steps: 100 });
    b.end();
  };
}

/** Times 50 steps of `trainDeep` (retained grads and update ratios included). */
function deepSteps(m: typeof referenceNet) {
  return (b: Deno.BenchContext) => {
    const g = new Generator(2147483647);
    const net = m.deepNetwork(g);
    b.start();
    m.trainDeep(net, Xtr, Ytr, g, { steps: 50 });
    b.end();
  };
}

Deno.bench({
  name: "reference: 100 steps of the BatchNorm'd MLP",
  group: "kata 06 BatchNorm'd MLP",
  baseline: true,
  fn: bnSteps(referenceMlp),
});

Deno.bench({
  name: "yours: 100 steps of the BatchNorm'd MLP",
  group: "kata 06 BatchNorm'd MLP",
  fn: bnSteps(learnerMlp),
});

Deno.bench({
  name: "reference: 50 steps of the deep network",
  group: "kata 06 deep network",
  baseline: true,
  fn: deepSteps(referenceNet),
});

Deno.bench({
  name: "yours: 50 steps of the deep network",
  group: "kata 06 deep network",
  fn: deepSteps(learnerNet),
});
