/**
 * Kata 05's three figures, drawn with core/plot (see /work/briefs/plot_api.md):
 * the learning-rate range test (loss against the exponent), the loss curve of
 * the 200,000 steps (log10 of the loss, as the lecture plots it), and the 2-d
 * character embeddings, each point labelled with its character.
 *
 * @module
 */

import { join } from "node:path";

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

/** The part of the plot API these figures use. */
interface PlotApi {
  linePlot(opts: {
    series: { y: number[]; x?: number[]; label?: string }[];
    title?: string;
    xLabel?: string;
    yLabel?: string;
  }): { save(path: string): Promise<string> };
  scatterPlot(opts: {
    x: number[];
    y: number[];
    labels?: string[];
    title?: string;
    xLabel?: string;
    yLabel?: string;
  }): { save(path: string): Promise<string> };
}

/**
 * Means of `values` over consecutive windows of `size` (the last one may be shorter).
 *
 * @param values the values
 * @param size the window
 * @returns one mean per window, and the index of each window's first value
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
    x.push(start);
    y.push(s / (end - start));
  }
  return { x, y };
}

/**
 * Writes `lr_range.svg`, `loss_curve.svg` and `embedding_2d.svg` into `dir`.
 *
 * @param dir the folder (created if missing)
 * @param f the data of the figures
 * @returns a line that says where the figures are (or why there are none)
 */
export async function saveKata05Figures(dir: string, f: Kata05Figures): Promise<string> {
  // core/plot lands on main separately; until then this script prints its figures as text only.
  const mod = await import("../../mod.ts") as unknown as Partial<PlotApi>;
  if (typeof mod.linePlot !== "function" || typeof mod.scatterPlot !== "function") {
    return "figures: not drawn — this checkout has no core/plot (linePlot, scatterPlot) yet";
  }
  const { linePlot, scatterPlot } = mod as PlotApi;
  await Deno.mkdir(dir, { recursive: true });
  const lr = await linePlot({
    series: [{ x: Array.from(f.lre), y: Array.from(f.lrLosses), label: "minibatch loss" }],
    title: `Learning-rate range test: one step per rate (chosen ${f.chosenLr.toPrecision(2)})`,
    xLabel: "exponent lre (learning rate 10^lre)",
    yLabel: "loss",
  }).save(join(dir, "lr_range.svg"));
  // 200,000 points would make a 10 MB file: the mean log10 loss of every 200 steps instead.
  const log10 = Float64Array.from(f.losses, (l) => Math.log10(l));
  const curve = windowMeans(log10, 200);
  const losses = await linePlot({
    series: [{ ...curve, label: "mean of 200 steps" }],
    title: "Training: log10 of the minibatch loss",
    xLabel: "step",
    yLabel: "log10(loss)",
  }).save(join(dir, "loss_curve.svg"));
  const emb = await scatterPlot({
    ...f.embedding,
    title: "Character embeddings C[:, 0] and C[:, 1] (embedding: 2)",
    xLabel: "C[:, 0]",
    yLabel: "C[:, 1]",
  }).save(join(dir, "embedding_2d.svg"));
  return `figures: ${lr} (loss against the exponent), ${losses} (loss curve), ${emb} ` +
    `(2-d embeddings)`;
}
