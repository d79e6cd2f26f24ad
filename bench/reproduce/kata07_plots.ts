/**
 * Kata 07's figures, drawn with core/plot: the loss curve of exercise 4
 * (log10 of each step's minibatch loss, as the lecture plots `lossi`) and the
 * lecture's picture of `dlogits` (cell 18, `plt.imshow(dlogits)`): one row per
 * example, dark where the gradient pulls a logit up — at each row's target.
 *
 * @module
 */

import { join } from "node:path";
import { heatmap, linePlot } from "../../mod.ts";
import { windowMeans } from "./kata05_plots.ts";

/** What the figures show. */
export interface Kata07Figures {
  /** The minibatch loss of every training step. */
  losses: ArrayLike<number>;
  /** `dlogits` of the first batch `(32, 27)`, from exercise 2. */
  dlogits: number[][];
  /** The batch's targets. */
  targets: number[];
}

/**
 * Writes `loss_curve.svg` and `dlogits.svg` into `dir`.
 *
 * @param dir the folder (created if missing)
 * @param f the data of the figures
 * @returns a line that says where the figures are
 */
export async function saveKata07Figures(dir: string, f: Kata07Figures): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const log10 = Float64Array.from(f.losses, (l) => Math.log10(l));
  const curve = await linePlot({
    series: [
      { y: log10, label: "each step" },
      { ...windowMeans(log10, 1000), label: "mean of 1,000 steps" },
    ],
    title: "Exercise 4, trained with the manual backward: log10 of the minibatch loss",
    xLabel: "step",
    yLabel: "log10(loss)",
  }).save(join(dir, "loss_curve.svg"));
  // imshow(dlogits, cmap='gray') shows the targets dark; on the Blues ramp the largest values are
  // darkest, so draw -dlogits: the targets (negative gradient) stand out.
  const img = await heatmap({
    values: f.dlogits.map((row) => row.map((v) => -v)),
    rowLabels: f.targets.map((t, i) => `${i}: ${t}`),
    title: "-dlogits, first batch: each target dark",
    cellSize: 12,
  }).save(join(dir, "dlogits.svg"));
  return `figures: ${curve} (loss curve), ${img} (the lecture's dlogits picture)`;
}
