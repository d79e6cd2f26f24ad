/**
 * Kata 06's figures, drawn with core/plot: the saturation images
 * (`h.abs() > 0.99`) before and after the tanh fix, the histogram of `h`, the
 * BatchNorm'd MLP's loss curve, and the deep network's four visualisations —
 * activation and gradient distributions of the tanh layers, the weights'
 * gradient distributions, and the update:data ratios over training.
 *
 * @module
 */

import { join } from "node:path";
import { booleanImage, histogram, linePlot, type Tensor } from "../../mod.ts";
import { windowMeans } from "./kata05_plots.ts";

/** What the figures show. */
export interface Kata06Figures {
  /** The first batch's `h` (32 × 200) of the untuned MLP and after the tanh fix. */
  h: { untuned: Tensor; fixed: Tensor };
  /** Each step's minibatch loss of the BatchNorm'd MLP. */
  bnLosses: ArrayLike<number>;
  /** The deep network's tanh outputs and their gradients, by layer index. */
  tanh: { layer: number; out: Tensor; grad: Tensor }[];
  /** The 2-d parameters' gradients, by parameter index. */
  weights: { index: number; shape: readonly number[]; grad: Tensor }[];
  /** The update:data ratio (log10) of every parameter at every step. */
  ud: number[][];
}

/**
 * Writes the figures into `dir`.
 *
 * @param dir the folder (created if missing)
 * @param f the data
 * @returns a line that says what was written where
 */
export async function saveKata06Figures(dir: string, f: Kata06Figures): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const written: string[] = [];
  const save = async (name: string, fig: { save(p: string): Promise<string> }, what: string) => {
    written.push(`${await fig.save(join(dir, name))} (${what})`);
  };
  const mask = (h: Tensor) => h.abs().gt(0.99);
  await save(
    "saturation_untuned.svg",
    booleanImage({
      values: mask(f.h.untuned),
      title: "untuned MLP, first batch: |h| > 0.99 is white",
      xLabel: "neuron",
      yLabel: "example",
    }),
    "saturation before",
  );
  await save(
    "saturation_fixed.svg",
    booleanImage({
      values: mask(f.h.fixed),
      title: "W1 · 0.2, b1 · 0.01: |h| > 0.99 is white",
      xLabel: "neuron",
      yLabel: "example",
    }),
    "after",
  );
  await save(
    "h_histogram.svg",
    histogram({
      series: [{ values: f.h.untuned, label: "untuned" }, { values: f.h.fixed, label: "W1 · 0.2" }],
      bins: 50,
      title: "h on the first batch (plt.hist(h.view(-1), 50))",
      xLabel: "h",
    }),
    "histogram of h",
  );
  const log10 = Float64Array.from(f.bnLosses, (l) => Math.log10(l));
  await save(
    "bn_loss_curve.svg",
    linePlot({
      series: [{ y: log10, label: "each step" }, {
        ...windowMeans(log10, 1000),
        label: "mean of 1,000 steps",
      }],
      title: "BatchNorm'd MLP: log10 of the minibatch loss",
      xLabel: "step",
      yLabel: "log10(loss)",
    }),
    "loss curve",
  );
  await save(
    "activations.svg",
    histogram({
      series: f.tanh.map((t) => ({ values: t.out, label: `layer ${t.layer} (Tanh)` })),
      bins: 100,
      density: true,
      title: "activation distribution",
      xLabel: "tanh output",
    }),
    "activation histograms",
  );
  await save(
    "gradients.svg",
    histogram({
      series: f.tanh.map((t) => ({ values: t.grad, label: `layer ${t.layer} (Tanh)` })),
      bins: 100,
      density: true,
      title: "gradient distribution",
      xLabel: "gradient of the tanh output",
    }),
    "gradient histograms",
  );
  await save(
    "weight_gradients.svg",
    histogram({
      series: f.weights.map((w) => ({
        values: w.grad,
        label: `${w.index} (${w.shape.join(", ")})`,
      })),
      bins: 100,
      density: true,
      title: "weights gradient distribution",
      xLabel: "gradient",
    }),
    "weight-gradient histograms",
  );
  const steps = f.ud.length;
  await save(
    "update_ratios.svg",
    linePlot({
      series: [
        ...f.weights.map((w) => ({
          y: f.ud.map((row) => row[w.index]),
          label: `param ${w.index}`,
        })),
        { x: [0, steps - 1], y: [-3, -3], label: "1e-3" },
      ],
      title: "update:data ratio, log10((lr · grad).std() / data.std())",
      xLabel: "step",
      yLabel: "log10 ratio",
    }),
    "update ratios",
  );
  return `figures in ${dir}:\n  ${written.join("\n  ")}`;
}
