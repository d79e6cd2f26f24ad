/**
 * Kata 09's figures, drawn with core/plot: the unscaled head's attention
 * weights `wei[0]` (the lecture's cell 25) as a heatmap with each weight
 * printed in its cell, and the train/val losses of the bigram and of the
 * first attention model against the step.
 *
 * @module
 */

import { join } from "node:path";
import { heatmap, linePlot } from "../../mod.ts";

/** One estimate_loss of both splits. */
export interface EvalPoint {
  /** The step it was taken before. */
  step: number;
  /** The mean training loss. */
  train: number;
  /** The mean validation loss. */
  val: number;
}

/** What the figures show. */
export interface Kata09Figures {
  /** `wei[0]`, 8 rows of 8 weights. */
  wei0: number[][];
  /** The bigram run's evaluations. */
  bigram: EvalPoint[];
  /** The attention model's evaluations. */
  attention: EvalPoint[];
}

/**
 * Writes `attention_weights.svg` and `loss_curves.svg` into `dir`.
 *
 * @param dir the folder (created if missing)
 * @param f the data of the figures
 * @returns a line that says where the figures are
 */
export async function saveKata09Figures(dir: string, f: Kata09Figures): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const positions = f.wei0.map((_, i) => String(i));
  const weights = await heatmap({
    values: f.wei0,
    cellText: f.wei0.map((r) => r.map((w) => (w === 0 ? "0" : w.toFixed(2)))),
    rowLabels: positions.map((p) => `query ${p}`),
    colLabels: positions.map((p) => `key ${p}`),
    title: "wei[0] of one unscaled causal head (cell 25)",
  }).save(join(dir, "attention_weights.svg"));
  const series = (runs: EvalPoint[], key: "train" | "val", label: string) => ({
    x: runs.map((e) => e.step),
    y: runs.map((e) => e[key]),
    label,
  });
  const curves = await linePlot({
    series: [
      series(f.bigram, "train", "bigram, train"),
      series(f.bigram, "val", "bigram, val"),
      series(f.attention, "train", "4 heads of 8, train"),
      series(f.attention, "val", "4 heads of 8, val"),
    ],
    title: "estimate_loss (200 batches of 32×8) during training",
    xLabel: "step",
    yLabel: "loss",
  }).save(join(dir, "loss_curves.svg"));
  return `figures: ${weights}, ${curves}`;
}
