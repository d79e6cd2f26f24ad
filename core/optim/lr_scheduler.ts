/**
 * Learning-rate schedules: `StepLR` (PyTorch's) and `warmupCosine` (the GPT-2 reproduction
 * lecture's linear warmup + cosine decay).
 *
 * @module
 */

import type { BaseOptions, Optimizer } from "./optimizer.ts";

/** Options of {@linkcode StepLR}. */
export interface StepLROptions {
  /** Epochs between decays (a positive integer). */
  stepSize: number;
  /** Multiplies the learning rate at each decay (default 0.1). */
  gamma?: number;
}

/**
 * Decays every group's learning rate by `gamma` every `stepSize` calls of `step()`
 * (`torch.optim.lr_scheduler.StepLR`, multiplying as PyTorch does, so values match to the bit).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { StepLR } from "./lr_scheduler.ts";
 * import { SGD } from "./sgd.ts";
 * const opt = new SGD([tensor([0], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
 * const lrs = [];
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step();
 *   sched.step();
 * }
 * deepEqual(lrs, [0.1, 0.1, 0.05, 0.05, 0.025]);
 * ```
 */
export class StepLR {
  /** The epoch count (0 after construction). */
  lastEpoch = 0;
  readonly #opt: Optimizer<BaseOptions, unknown>;
  readonly #stepSize: number;
  readonly #gamma: number;

  /**
   * Attaches the schedule to an optimizer (its current lr is the initial one).
   *
   * @param optimizer the optimizer whose groups' `lr` is set
   * @param opts stepSize, gamma
   * @throws {RangeError} when stepSize is not a positive integer or gamma is negative
   */
  constructor(optimizer: Optimizer<BaseOptions, unknown>, opts: StepLROptions) {
    if (!Number.isInteger(opts.stepSize) || opts.stepSize < 1) {
      throw new RangeError(
        `Cannot create StepLR: stepSize must be a positive integer, got ${opts.stepSize}`,
      );
    }
    const gamma = opts.gamma ?? 0.1;
    if (!(gamma >= 0)) {
      throw new RangeError(`Cannot create StepLR: gamma must be >= 0, got ${gamma}`);
    }
    this.#opt = optimizer;
    this.#stepSize = opts.stepSize;
    this.#gamma = gamma;
  }

  /** Advances one epoch, decaying the learning rates when a multiple of stepSize is reached. */
  step(): void {
    this.lastEpoch++;
    if (this.lastEpoch % this.#stepSize !== 0) return;
    for (const g of this.#opt.paramGroups) g.lr = g.lr * this.#gamma;
  }

  /**
   * The groups' current learning rates.
   *
   * @returns one lr per group
   */
  getLastLr(): number[] {
    return this.#opt.paramGroups.map((g) => g.lr);
  }
}

/** Options of {@linkcode warmupCosine}. */
export interface WarmupCosineOptions {
  /** Steps of linear warmup. */
  warmupSteps: number;
  /** The step at which the decay reaches minLr (constant after). */
  maxSteps: number;
  /** The peak learning rate. */
  maxLr: number;
  /** The final learning rate. */
  minLr: number;
}

/**
 * The learning rate at `step` of the GPT-2 reproduction lecture's schedule (build-nanogpt's
 * `get_lr`): `maxLr·(step + 1)/warmupSteps` during warmup, then a cosine from maxLr down to
 * minLr at maxSteps, then minLr. Set it with `for (const g of opt.paramGroups) g.lr = lr`.
 *
 * @param step the step, from 0
 * @param opts warmupSteps, maxSteps, maxLr, minLr
 * @returns the learning rate
 * @throws {RangeError} when warmupSteps >= maxSteps or a value is negative
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { warmupCosine } from "./lr_scheduler.ts";
 * const opts = { warmupSteps: 10, maxSteps: 50, maxLr: 6e-4, minLr: 6e-5 };
 * const lr = (step: number) => warmupCosine(step, opts).toExponential(3);
 * equal(lr(0), "6.000e-5"); // (0 + 1) / 10 of maxLr
 * equal(lr(9), "6.000e-4");
 * equal(lr(30), "3.300e-4"); // halfway down the cosine
 * equal(lr(70), "6.000e-5");
 * ```
 */
export function warmupCosine(step: number, opts: WarmupCosineOptions): number {
  const { warmupSteps, maxSteps, maxLr, minLr } = opts;
  if (!(warmupSteps >= 0 && maxSteps > warmupSteps && minLr >= 0 && maxLr >= 0 && step >= 0)) {
    throw new RangeError(
      `Cannot compute warmupCosine: need step >= 0, 0 <= warmupSteps < maxSteps and lrs >= 0, ` +
        `got step ${step}, warmupSteps ${warmupSteps}, maxSteps ${maxSteps}, maxLr ${maxLr}, ` +
        `minLr ${minLr}`,
    );
  }
  if (step < warmupSteps) return maxLr * (step + 1) / warmupSteps;
  if (step > maxSteps) return minLr;
  const decayRatio = (step - warmupSteps) / (maxSteps - warmupSteps);
  const coeff = 0.5 * (1 + Math.cos(Math.PI * decayRatio)); // 1 -> 0
  return minLr + coeff * (maxLr - minLr);
}
