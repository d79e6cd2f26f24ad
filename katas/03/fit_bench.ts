/**
 * Kata 03 benchmark: your optimizers against the reference, 100 steps each on
 * the x² fit (MLP 1 → 16 → 16 → 1, 40 training points). Run `deno bench katas/03`.
 * (On the untouched stubs the "yours" rows fail with KataTodo; that is expected.)
 *
 * @module
 */

import { Generator, type nn, type Tensor } from "../../mod.ts";
import * as refData from "../../solutions/03/data.ts";
import * as refFit from "../../solutions/03/fit.ts";
import * as fit from "./fit.ts";

type Fit = (model: nn.Module, loss: () => Tensor) => number[];

const split = refData.splitData(refData.makeData(50), 10, new Generator(0));

/** Builds a fresh model (the reference's, so only the optimizer is timed), then times `run`. */
function bench(run: Fit) {
  return (b: Deno.BenchContext) => {
    const model = refData.makeModel({ generator: new Generator(5) });
    const loss = refData.datasetLoss(model, split.train);
    b.start();
    run(model, loss);
    b.end();
  };
}

const rows: [string, Fit, Fit][] = [
  [
    "randomSearch",
    (m, l) => refFit.randomSearch(m, l, { steps: 100, generator: new Generator(6) }),
    (m, l) => fit.randomSearch(m, l, { steps: 100, generator: new Generator(6) }),
  ],
  [
    "gradientDescent",
    (m, l) => refFit.gradientDescent(m, l, { steps: 100 }),
    (m, l) => fit.gradientDescent(m, l, { steps: 100 }),
  ],
  ["adam", (m, l) => refFit.adam(m, l, { steps: 100 }), (m, l) => fit.adam(m, l, { steps: 100 })],
];

for (const [name, reference, yours] of rows) {
  const group = `kata 03: ${name}, 100 steps on the x² fit`;
  Deno.bench({
    name: `reference ${name} (solutions/03)`,
    group,
    baseline: true,
    fn: bench(reference),
  });
  Deno.bench({ name: `yours ${name} (katas/03/fit.ts)`, group, fn: bench(yours) });
}
