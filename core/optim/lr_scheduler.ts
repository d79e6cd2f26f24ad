/**
 * Learning-rate schedules: `StepLR` (PyTorch's) and `warmupCosine` (the GPT-2 reproduction
 * lecture's linear warmup + cosine decay).
 *
 * @module
 */

import { type BaseOptions, Optimizer } from "./optimizer.ts";
import { checkInstance, checkNumber, checkOptions } from "../validate.ts";

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
    checkInstance("StepLR", "optimizer", optimizer, Optimizer, "an optim.Optimizer");
    if (opts === undefined) throw new TypeError("StepLR: options { stepSize } are required");
    const o = checkOptions("StepLR", opts, ["stepSize", "gamma"]);
    this.#stepSize = checkNumber("StepLR", "stepSize", o.stepSize, { integer: true, min: 1 });
    this.#gamma = checkNumber("StepLR", "gamma", o.gamma ?? 0.1, { min: 0 });
    this.#opt = optimizer;
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
  const op = "warmupCosine";
  checkNumber(op, "step", step, { min: 0 });
  if (opts === undefined) {
    throw new TypeError(`${op}: options { warmupSteps, maxSteps, maxLr, minLr } are required`);
  }
  const o = checkOptions(op, opts, ["warmupSteps", "maxSteps", "maxLr", "minLr"]);
  const warmupSteps = checkNumber(op, "warmupSteps", o.warmupSteps, { min: 0 });
  const maxSteps = checkNumber(op, "maxSteps", o.maxSteps, { min: 0 });
  const maxLr = checkNumber(op, "maxLr", o.maxLr, { min: 0 });
  const minLr = checkNumber(op, "minLr", o.minLr, { min: 0 });
  if (!(maxSteps > warmupSteps)) {
    throw new RangeError(
      `${op}: maxSteps must be more than warmupSteps, got maxSteps ${maxSteps} and ` +
        `warmupSteps ${warmupSteps}`,
    );
  }
  if (step < warmupSteps) return maxLr * (step + 1) / warmupSteps;
  if (step > maxSteps) return minLr;
  const decayRatio = (step - warmupSteps) / (maxSteps - warmupSteps);
  const coeff = 0.5 * (1 + Math.cos(Math.PI * decayRatio)); // 1 -> 0
  return minLr + coeff * (maxLr - minLr);
}
