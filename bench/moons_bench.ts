/**
 * End-to-end benchmark of kata 02's two-moons training (micrograd's demo) with
 * the reference solution: 100 full-batch SGD steps of MLP(2, [16, 16, 1]) on
 * 100 points, max-margin loss plus L2. About 70,000 `Value` nodes per step.
 * Python micrograd takes about 200 s for this run on a 2-core machine.
 *
 * `deno run bench/moons_run.ts` times one run and prints accuracy and loss.
 *
 * @module
 */

import { moonsRun } from "./moons_run.ts";

Deno.bench({
  name: "moons: 100 steps, MLP(2, [16, 16, 1]), 100 points (Value autograd)",
  group: "micrograd moons",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: () => {
    const history = moonsRun();
    if (history[history.length - 1].accuracy !== 1) {
      throw new Error(`moons run ended below 100%: ${JSON.stringify(history.at(-1))}`);
    }
  },
});
