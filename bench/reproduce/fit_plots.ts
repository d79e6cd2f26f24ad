/**
 * Kata 03's two figures: the fitted functions beside the target y = x² on
 * [-1, 3] (trained on [-1, 1]), and the three methods' loss curves on a log
 * axis. Drawn with core/plot's `linePlot` (core/plot).
 *
 * @module
 */

import { join } from "node:path";
import { linePlot } from "../../mod.ts";

/** One line of a figure. */
export interface Series {
  /** The legend entry. */
  label: string;
  /** The y values. */
  y: number[];
}

/** What the two figures show. */
export interface FitFigures {
  /** The x grid of the fits. */
  xs: number[];
  /** x² on that grid. */
  target: number[];
  /** Each fitted model on the grid. */
  fits: Series[];
  /** Each method's loss history, one entry per evaluation. */
  histories: Series[];
}

/**
 * Writes `fits.svg` and `losses.svg` into `dir`.
 *
 * @param dir the folder (created if missing)
 * @param f the data of the two figures
 * @returns a line that says where the figures are
 */
export async function saveFitFigures(dir: string, f: FitFigures): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const fits = await linePlot({
    series: [
      { x: f.xs, y: f.target, label: "target y = x²" },
      ...f.fits.map((s) => ({ x: f.xs, y: s.y, label: s.label })),
    ],
    title: "Fits of y = x² trained on [-1, 1], extrapolated to 3",
    xLabel: "x",
    yLabel: "y",
  }).save(join(dir, "fits.svg"));
  const losses = await linePlot({
    series: f.histories.map((s) => ({ y: s.y, label: s.label })),
    title: "Training mse per loss evaluation, same budget and start",
    xLabel: "loss evaluations",
    yLabel: "training mse",
    logY: true,
  }).save(join(dir, "losses.svg"));
  return `figures: ${fits} (the fits beside the target), ${losses} (loss curves, log axis)`;
}
