/**
 * The end-to-end two-moons run of kata 02, timed: `deno run bench/moons_run.ts`.
 *
 * micrograd's demo with the kata's reference solution: 100 points
 * (`makeMoons(100, { noise: 0.1, seed: 1 })`), `MLP(2, [16, 16, 1])` with ReLU
 * hidden layers (weights from `seededUniform(1)`, the seeds of the kata test), max-margin loss plus
 * 1e-4·Σp², full-batch SGD with `lr = 1 - 0.9·k/100`, 100 steps. Prints the wall
 * time, the final loss and accuracy, and the first step at 100% accuracy.
 * Pass `--weights-seed N` / `--data-seed N` to try other seeds.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { makeMoons, seededUniform } from "../mod.ts";
import { MLP, type StepRecord, trainMoons } from "../solutions/02/nn.ts";

/** The seeds of the kata's moons test and of `bench/moons_bench.ts`. */
export const MOONS_SEEDS = { data: 1, weights: 1 } as const;

/**
 * One full moons run.
 *
 * @param dataSeed the seed of `makeMoons`
 * @param weightsSeed the seed of the initial weights
 * @returns the loss and accuracy of every step
 */
export function moonsRun(
  dataSeed: number = MOONS_SEEDS.data,
  weightsSeed: number = MOONS_SEEDS.weights,
): StepRecord[] {
  const { X, y } = makeMoons(100, { noise: 0.1, seed: dataSeed });
  const model = new MLP(2, [16, 16, 1], { nonlin: "relu", rng: seededUniform(weightsSeed) });
  return trainMoons(model, X, y, { steps: 100 });
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { "weights-seed": { type: "string" }, "data-seed": { type: "string" } },
  });
  const dataSeed = Number(values["data-seed"] ?? MOONS_SEEDS.data);
  const weightsSeed = Number(values["weights-seed"] ?? MOONS_SEEDS.weights);
  const t0 = performance.now();
  const history = moonsRun(dataSeed, weightsSeed);
  const ms = performance.now() - t0;
  const last = history[history.length - 1];
  const first100 = history.findIndex((h) => h.accuracy === 1);
  console.log(
    `moons: 100 steps in ${(ms / 1000).toFixed(3)} s (${(ms / 100).toFixed(1)} ms/step); ` +
      `final loss ${last.loss.toFixed(4)}, accuracy ${(last.accuracy * 100).toFixed(0)}%; ` +
      `first 100% at step ${first100 === -1 ? "never" : first100} ` +
      `(data seed ${dataSeed}, weights seed ${weightsSeed})`,
  );
}
