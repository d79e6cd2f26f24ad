/**
 * Shared pieces of kata 06's tests: PyTorch running the lecture's code
 * (testdata/lectures/makemore_part3.json, written by testdata/gen_kata06.py),
 * the lecture's split (from kata 05's checks, built with the library), the
 * first minibatch, float64 references written with plain loops, and
 * assertions that say which statistic differs.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { Generator, index, randint, type Tensor } from "../../mod.ts";
import fixture from "../../testdata/lectures/makemore_part3.json" with { type: "json" };

export { lectureSplit, VOCAB } from "../05/_checks.ts";

/** One init stage of the fixture: the first minibatch of the part-2 MLP. */
export interface TorchStage {
  loss: number;
  saturation: number;
  dead: number[];
  h_std: number;
  hpreact_std: number;
}

/** Statistics of one tanh layer, as the fixture stores them. */
export interface TorchActivation {
  layer: number;
  mean: number;
  std: number;
  saturated: number;
}

/** The diagnostics of the deep network at one moment. */
export interface TorchDiagnostics {
  activations: TorchActivation[];
  gradients: { layer: number; mean: number; std: number }[];
  weights: { index: number; shape: number[]; mean: number; std: number; ratio: number }[];
}

/** PyTorch's numbers for kata 06 (torch 1.13, Generator(2147483647), the lecture's split). */
export const TORCH: {
  init: Record<"untuned" | "softmax" | "tanh" | "kaiming", TorchStage>;
  kaiming: { std: Record<string, number>; demo: Record<string, number> };
  bn_mlp: {
    parameters: number;
    W2_first: number[];
    steps: number;
    first_batch: { mean: number[]; std: number[] };
    losses: number[];
    running_mean: number[];
    running_std: number[];
    calibrated_mean: number[];
    calibrated_std: number[];
    rows: number;
    train_running: number;
    val_running: number;
    val_calibrated: number;
  };
  deep: {
    parameters: number;
    steps: number;
    losses: number[];
    ud: number[][];
    after_first_step: TorchDiagnostics;
    after_last_step: TorchDiagnostics;
    bn1_running_mean: number[];
    bn1_running_var: number[];
    rows: number;
    val_eval: number;
  };
} = fixture;

/** The lecture's seed. */
export const SEED = 2147483647;

/**
 * The first minibatch after the parameters were drawn from `g`:
 * `ix = randint(0, n, (batchSize,), generator=g)`, then `X[ix]`, `Y[ix]`.
 *
 * @param g the generator that drew the parameters
 * @param X contexts
 * @param Y targets
 * @param batchSize rows (32)
 * @returns the batch
 */
export function firstBatch(g: Generator, X: Tensor, Y: Tensor, batchSize = 32) {
  const ix = randint(0, X.shape[0], [batchSize], { generator: g });
  return { Xb: index(X, ix), Yb: index(Y, ix) };
}

/** @returns `t`'s numbers as float64 rows (a 2-d tensor) */
export function rows(t: Tensor): number[][] {
  const [n, m] = t.shape;
  const d = t.dataSync();
  return Array.from({ length: n }, (_, i) => Array.from(d.subarray(i * m, (i + 1) * m)));
}

/** Mean and variance of each column of `x`, in float64. */
export function columnStats(x: number[][], unbiased: boolean): { mean: number[]; v: number[] } {
  const n = x.length, m = x[0].length;
  const mean = new Array(m).fill(0), v = new Array(m).fill(0);
  for (const r of x) r.forEach((a, j) => (mean[j] += a / n));
  for (const r of x) r.forEach((a, j) => (v[j] += (a - mean[j]) ** 2));
  return { mean, v: v.map((s) => s / (unbiased ? n - 1 : n)) };
}

/**
 * `gamma * (x - mean) / sqrt(var + eps) + beta` per column, in float64.
 *
 * @param x the rows
 * @param mean per column
 * @param v per column: the variance (or the squared std)
 * @param eps added to v
 * @param gamma per column (ones)
 * @param beta per column (zeros)
 * @returns the normalised rows, flat
 */
export function normalise(
  x: number[][],
  mean: number[],
  v: number[],
  eps: number,
  gamma?: ArrayLike<number>,
  beta?: ArrayLike<number>,
): number[] {
  return x.flatMap((r) =>
    r.map((a, j) => (gamma?.[j] ?? 1) * (a - mean[j]) / Math.sqrt(v[j] + eps) + (beta?.[j] ?? 0))
  );
}

/**
 * Asserts a statistic within `rel` of PyTorch's (relative to |expected|, or
 * absolute below `floor`).
 *
 * @param name what is compared
 * @param got ours
 * @param want PyTorch's
 * @param rel relative tolerance
 * @param floor the scale under which the tolerance is absolute (`rel · floor`)
 * @param why an explanation to add when it differs
 */
export function assertStat(
  name: string,
  got: unknown,
  want: number,
  rel: number,
  floor = 1,
  why = "",
): void {
  if (typeof got !== "number" || !(Math.abs(got - want) <= rel * Math.max(Math.abs(want), floor))) {
    throw new KataAssertionError(
      `${name}: expected ${want} (PyTorch, same seed), got ${got}${why ? `\n  ${why}` : ""}`,
    );
  }
}

/**
 * Asserts a tensor's shape.
 *
 * @param name what is compared
 * @param t the tensor
 * @param shape the expected shape
 * @param why an explanation to add when it differs
 */
export function assertShape(name: string, t: Tensor, shape: number[], why = ""): void {
  const got = `(${t.shape.join(", ")})`, want = `(${shape.join(", ")})`;
  if (got !== want) {
    throw new KataAssertionError(
      `${name}: expected shape ${want}, got ${got}${why ? `\n  ${why}` : ""}`,
    );
  }
}

/**
 * Asserts that a tensor is kept out of the graph: no gradient, no history.
 *
 * @param name what is checked
 * @param t the tensor
 * @param step where the update is written
 */
export function assertNoGraph(name: string, t: Tensor, step: string): void {
  if (t.requiresGrad || t.gradFn !== null) {
    throw new KataAssertionError(
      `${name} requires grad (gradFn ${t.gradFn}): the running statistics are updated ` +
        `inside noGrad(() => …) (${step}); outside it every update records a graph that ` +
        `keeps every earlier batch alive`,
    );
  }
}
