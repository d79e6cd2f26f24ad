/**
 * The pieces of `deno task reproduce 08` that its short test runs too: the
 * lecture's numbers, PyTorch's on this machine, and one training run of a
 * kata-08 model (yours or the reference) from `torch.manual_seed(42)`.
 *
 * @module
 */

import { join } from "node:path";
import { Generator, linePlot, type Tensor } from "../../mod.ts";
import type * as referenceModel from "../../solutions/08/model.ts";
import type * as referenceField from "../../solutions/08/receptive_field.ts";
import type * as referenceTrain from "../../solutions/08/train.ts";
import { windowMeans } from "./kata05_plots.ts";

/** The lecture's numbers (makemore_part5_cnn1.ipynb; shared/LECTURES.md §1.6). */
export const LECTURE_WAVENET = {
  /** Cell 10: the minibatch loss printed every 10,000 steps of the hierarchical run. */
  printed: [
    3.3167,
    2.0576,
    2.0723,
    2.5134,
    2.1476,
    1.7836,
    2.2592,
    1.9331,
    1.6875,
    2.0395,
    1.7736,
    1.957,
    1.7465,
    1.8126,
    1.7406,
    1.7466,
    1.8806,
    1.6266,
    1.6476,
    1.8555,
  ],
  /** Cell 13: the scaled hierarchical network after 200,000 steps. */
  hierarchical: { parameters: 76_579, train: 1.7690, val: 1.9937 },
  /** The performance log (cell 14): "context: 3 -> 8 (22K params)". */
  flat: { parameters: 22_097, train: 1.918, val: 2.027 },
} as const;

/**
 * PyTorch 1.13 (Debian, one thread) running bench/peers/makemore_wavenet_torch.py on the
 * 2-core build machine, shared with other jobs: 200,000 steps each (null where a run was not
 * made to the end). Side by side with katagrad (load avg ≈ 7–9) torch ran 152–164 (hierarchical)
 * and 426–578 (flat) steps/s, katagrad 102–119 and 327–458.
 */
export const TORCH_PEER_08: Record<
  "hierarchical" | "flat",
  { steps: number; train: number | null; val: number | null; stepsPerSecond: number }
> = {
  hierarchical: { steps: 200_000, train: 1.7690, val: 1.9937, stepsPerSecond: 199 },
  flat: { steps: 200_000, train: 1.9163, val: 2.0342, stepsPerSecond: 222 },
};

/** Kata 08's modules, yours or the reference's. */
export type Kata08 = typeof referenceModel & typeof referenceField & typeof referenceTrain;

/** What {@link runModel} measured. */
export interface RunResult {
  /** Parameters of the model. */
  parameters: number;
  /** Every step's minibatch loss. */
  losses: Float32Array;
  /** The train split's loss after training (evaluation mode), on `evalRows` rows. */
  train: number;
  /** The dev split's loss. */
  val: number;
  /** Seconds of training (not evaluating). */
  seconds: number;
  /** The trained model. */
  model: ReturnType<typeof referenceModel.hierarchicalModel>;
}

/** The data a run needs. */
export interface RunData {
  /** Training contexts `(n, 8)`. */
  Xtr: Tensor;
  /** Training targets. */
  Ytr: Tensor;
  /** Dev contexts. */
  Xdev: Tensor;
  /** Dev targets. */
  Ydev: Tensor;
}

/**
 * `torch.manual_seed(42)`, the model, `steps` steps of the lecture's SGD, then
 * the split losses in evaluation mode.
 *
 * @param k the kata's modules
 * @param which the hierarchical network or the flat one
 * @param data the split
 * @param steps training steps (the lecture's 200,000)
 * @param options `evalRows` (all) to evaluate on the first rows only; `onStep`
 * @returns the losses, split losses and time
 */
export function runModel(
  k: Kata08,
  which: "hierarchical" | "flat",
  data: RunData,
  steps: number,
  options: { evalRows?: number; onStep?: (step: number, loss: number) => void } = {},
): RunResult {
  const g = new Generator(42);
  const model = which === "hierarchical" ? k.hierarchicalModel(g) : k.flatModel(g);
  const t0 = performance.now();
  const losses = k.train(model, data.Xtr, data.Ytr, g, { steps, onStep: options.onStep });
  const seconds = (performance.now() - t0) / 1000;
  const rows = (X: Tensor) => Math.min(options.evalRows ?? X.shape[0], X.shape[0]);
  const cut = (X: Tensor) => X.slice(0, 0, rows(X));
  const train = k.splitLoss(model, cut(data.Xtr), cut(data.Ytr));
  const val = k.splitLoss(model, cut(data.Xdev), cut(data.Ydev));
  return { parameters: k.numParameters(model), losses, train, val, seconds, model };
}

/**
 * Writes `loss_curves.svg`: log10 of the minibatch loss, averaged over 1,000
 * steps as the lecture plots `lossi` (cell 11), for each run.
 *
 * @param dir the folder (created if missing)
 * @param runs label → losses
 * @returns the file written
 */
export async function saveKata08Figure(
  dir: string,
  runs: Record<string, ArrayLike<number>>,
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const series = Object.entries(runs).map(([label, losses]) => ({
    ...windowMeans(Float64Array.from(losses, (l) => Math.log10(l)), 1000),
    label,
  }));
  return await linePlot({
    series,
    title: "makemore part 5: log10 of the minibatch loss, mean of 1,000 steps",
    xLabel: "step",
    yLabel: "log10(loss)",
  }).save(join(dir, "loss_curves.svg"));
}
