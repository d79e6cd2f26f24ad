/**
 * Kata 05's three figures, drawn with core/plot:
 * the learning-rate range test (loss against the exponent), the loss curve of
 * the 200,000 steps (log10 of the loss, as the lecture plots it), and the 2-d
 * character embeddings, each point labelled with its character.
 *
 * @module
 */

import { join } from "node:path";
import { linePlot, scatterPlot } from "../../mod.ts";

/** What the three figures show. */
export interface Kata05Figures {
  /** The range test's exponents. */
  lre: ArrayLike<number>;
  /** The range test's losses. */
  lrLosses: ArrayLike<number>;
  /** The rate chosen from them. */
  chosenLr: number;
  /** The minibatch loss of every training step. */
  losses: ArrayLike<number>;
  /** The 2-d embedding table, row `i` for character `i`. */
  embedding: { x: number[]; y: number[]; labels: string[] };
}

/**
 * Means of `values` over consecutive windows of `size` (the last one may be shorter).
 *
 * @param values the values
 * @param size the window
 * @returns one mean per window, at the middle index of its window
 */
export function windowMeans(
  values: ArrayLike<number>,
  size: number,
): { x: number[]; y: number[] } {
  const x: number[] = [], y: number[] = [];
  for (let start = 0; start < values.length; start += size) {
    const end = Math.min(values.length, start + size);
    let s = 0;
    for (let i = start; i < end; i++) s += values[i];
    x.push((start + end - 1) / 2);
    y.push(s / (end - start));
  }
  return { x, y };
}

/**
 * Writes `lr_range.svg`, `loss_curve.svg` and `embedding_2d.svg` into `dir`.
 *
 * @param dir the folder (created if missing)
 * @param f the data of the figures
 * @returns a line that says where the figures are
 */
export async function saveKata05Figures(dir: string, f: Kata05Figures): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const lr = await linePlot({
    series: [{ x: Array.from(f.lre), y: Array.from(f.lrLosses), label: "minibatch loss" }],
    title: `Learning-rate range test: one step per rate (chosen ${f.chosenLr.toPrecision(2)})`,
    xLabel: "exponent lre (learning rate 10^lre)",
    yLabel: "loss",
  }).save(join(dir, "lr_range.svg"));
  // As the lecture plots it: log10 of every step's loss (the plot keeps each pixel column's
  // extremes), and the mean of every 1,000 steps on top.
  const log10 = Float64Array.from(f.losses, (l) => Math.log10(l));
  const losses = await linePlot({
    series: [
      { y: log10, label: "each step" },
      { ...windowMeans(log10, 1000), label: "mean of 1,000 steps" },
    ],
    title: "Training: log10 of the minibatch loss",
    xLabel: "step",
    yLabel: "log10(loss)",
  }).save(join(dir, "loss_curve.svg"));
  const emb = await scatterPlot({
    ...f.embedding,
    title: "Character embeddings C[:, 0] and C[:, 1] (embedding: 2, hidden: 300)",
    xLabel: "C[:, 0]",
    yLabel: "C[:, 1]",
  }).save(join(dir, "embedding_2d.svg"));
  return `figures: ${lr} (loss against the exponent), ${losses} (loss curve), ${emb} ` +
    `(2-d embeddings)`;
}
