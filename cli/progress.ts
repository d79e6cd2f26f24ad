/**
 * What `deno task train` prints while it runs, and nanoGPT's learning-rate schedule.
 *
 * @module
 */

import type { GPTTrainConfig } from "../core/nn/gpt_config.ts";

/**
 * nanoGPT's `get_lr(it)`: `lr·(it + 1)/(warmup + 1)` while it < warmupIters, then a cosine from
 * learningRate down to minLr at lrDecayIters (0: maxIters), minLr after; learningRate when
 * decayLr is false. A decay that ends within the warmup goes from warmup straight to minLr.
 *
 * @param it the step about to be taken, from 0
 * @param t the training settings
 * @returns the learning rate
 */
export function learningRateAt(it: number, t: GPTTrainConfig): number {
  if (!t.decayLr) return t.learningRate;
  const decayIters = t.lrDecayIters === 0 ? t.maxIters : t.lrDecayIters;
  if (it < t.warmupIters) return t.learningRate * (it + 1) / (t.warmupIters + 1);
  if (it >= decayIters) return t.minLr; // nanoGPT's `it > lr_decay_iters`, and no 0/0 at the end
  const ratio = (it - t.warmupIters) / (decayIters - t.warmupIters);
  const coeff = 0.5 * (1 + Math.cos(Math.PI * ratio)); // 1 -> 0
  return t.minLr + coeff * (t.learningRate - t.minLr);
}

/**
 * A duration as a person reads it: `45s`, `3m05s`, `2h07m`.
 *
 * @param seconds the duration
 * @returns the text
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}

/** One progress line's numbers. */
export interface ProgressFigures {
  /** Steps done. */
  step: number;
  /** Steps in the run. */
  maxIters: number;
  /** The last step's training loss. */
  loss: number;
  /** The learning rate of the last step. */
  lr: number;
  /** Milliseconds per step over the last interval. */
  msPerStep: number;
  /** Tokens (batch · block) per step. */
  tokensPerStep: number;
}

/**
 * `step  120/2000 | loss 2.4312 | lr 1.00e-3 | 85.2 ms/step | 9,015 tok/s | ETA 2m42s`.
 *
 * @param f the figures
 * @returns the line
 */
export function progressLine(f: ProgressFigures): string {
  const width = String(f.maxIters).length;
  const tokPerS = f.tokensPerStep / (f.msPerStep / 1000);
  const eta = (f.maxIters - f.step) * f.msPerStep / 1000;
  return [
    `step ${String(f.step).padStart(width)}/${f.maxIters}`,
    `loss ${f.loss.toFixed(4)}`,
    `lr ${f.lr.toExponential(2)}`,
    `${f.msPerStep.toFixed(1)} ms/step`,
    `${Math.round(tokPerS).toLocaleString("en-US")} tok/s`,
    `ETA ${formatDuration(eta)}`,
  ].join(" | ");
}

/**
 * `step  250: train loss 2.0123, val loss 2.0456`.
 *
 * @param step steps done
 * @param maxIters steps in the run
 * @param train the mean train loss
 * @param val the mean val loss
 * @returns the line
 */
export function evalLine(step: number, maxIters: number, train: number, val: number): string {
  const width = String(maxIters).length;
  return `step ${String(step).padStart(width)}: train loss ${train.toFixed(4)}, val loss ${
    val.toFixed(4)
  }`;
}
