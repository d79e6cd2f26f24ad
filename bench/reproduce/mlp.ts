/**
 * makemore part 2 at the lecture's scale: 200,000 steps of minibatch SGD
 * (lr 0.1, then 0.01 from step 100,000), then the loss on the training and dev
 * splits beside the lecture's 2.1260 / 2.1701.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Generator } from "../../mod.ts";
import { initMlp, loadMakemoreSplit, splitLoss, trainMlp } from "./makemore_mlp.ts";

/** The lecture's final losses (makemore part 2, 200 hidden units, 10-d embeddings). */
export const LECTURE_MLP = { train: 2.1260, dev: 2.1701 } as const;

/**
 * Runs the full training and prints progress and the final figures.
 *
 * @param args `--steps N` (default 200000), `--every N` (progress interval, default 10000)
 */
export async function reproduceMlp(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { steps: { type: "string", default: "200000" }, every: { type: "string" } },
  });
  const steps = Number(values.steps);
  const every = Number(values.every ?? Math.min(10_000, Math.max(1, Math.floor(steps / 20))));
  if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(every) || every < 1) {
    throw new RangeError(
      `Cannot reproduce mlp: --steps and --every must be positive integers, got ${values.steps}, ${values.every}`,
    );
  }
  const t0 = performance.now();
  const d = await loadMakemoreSplit(3);
  console.log(
    `makemore part 2 (MLP): train/dev/test ${d.Xtr.shape[0]} / ${d.Xdev.shape[0]} / ${
      d.Xte.shape[0]
    } examples; ${steps} steps, batch 32, lr 0.1 then 0.01 from step 100000`,
  );
  const g = new Generator(2147483647);
  const p = initMlp(g);
  let tick = performance.now(), window = 0;
  const tTrain = performance.now();
  trainMlp(p, d.Xtr, d.Ytr, g, {
    steps,
    onStep(i, loss) {
      window += loss;
      if ((i + 1) % every === 0 || i + 1 === steps) {
        const now = performance.now();
        const n = (i % every) + 1;
        console.log(
          `step ${String(i + 1).padStart(6)}  mean minibatch loss ${(window / n).toFixed(4)}  ` +
            `${(n / ((now - tick) / 1000)).toFixed(0)} steps/s`,
        );
        tick = now;
        window = 0;
      }
    },
  });
  const trainSeconds = (performance.now() - tTrain) / 1000;
  const train = splitLoss(p, d.Xtr, d.Ytr), dev = splitLoss(p, d.Xdev, d.Ydev);
  const wall = (performance.now() - t0) / 1000;
  console.log(`\n            katagrad   lecture`);
  console.log(`train loss  ${train.toFixed(4)}     ${LECTURE_MLP.train.toFixed(4)}`);
  console.log(`dev loss    ${dev.toFixed(4)}     ${LECTURE_MLP.dev.toFixed(4)}`);
  console.log(
    `\n${steps} steps in ${trainSeconds.toFixed(1)} s (${(steps / trainSeconds).toFixed(0)} ` +
      `steps/s); wall time ${
        wall.toFixed(1)
      } s; ${Deno.build.os}/${Deno.build.arch}, Deno ${Deno.version.deno}`,
  );
}
