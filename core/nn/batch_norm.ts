/**
 * `BatchNorm1d` with running statistics as buffers, for `(N, C)` input and the WaveNet lecture's
 * `(N, L, C)` input.
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { formatShape, ShapeError } from "../errors.ts";
import { ones, zeros } from "../ops/creation.ts";
import { batchNorm } from "../ops/normalization.ts";
import type { Tensor } from "../tensor.ts";
import { Module } from "./module.ts";
import { checkBoolean, checkNumber, checkOptions, checkTensor } from "../validate.ts";

/** Options of {@linkcode BatchNorm1d}. */
export interface BatchNorm1dOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of the batch statistics in the running ones (default 0.1). */
  momentum?: number;
  /** Learnable `weight` (ones) and `bias` (zeros) (default true). */
  affine?: boolean;
}

/**
 * Batch normalisation over the channel dim C, which is the LAST dim: input `(N, C)`, or
 * `(N, L, C)` as in the WaveNet lecture's own BatchNorm1d (statistics over dims 0 and 1).
 * Note that PyTorch's `nn.BatchNorm1d` takes 3-d input as `(N, C, L)` instead; ours equals
 * `bn(x.permute(0, 2, 1)).permute(0, 2, 1)` there.
 *
 * The numbers follow PyTorch: training normalises with the batch mean and BIASED variance and
 * updates `running = (1 − momentum)·running + momentum·batch` with the UNBIASED variance
 * (the lecture's class uses the unbiased variance for both); evaluation (`eval()`) uses the
 * running statistics. Buffers: `running_mean`, `running_var`, `num_batches_tracked` (int32).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { randn } from "../ops/creation.ts";
 * import { BatchNorm1d } from "./batch_norm.ts";
 * const bn = new BatchNorm1d(68);
 * const y = bn.forward(randn([32, 4, 68]).mul(3).add(1)); // (N, L, C)
 * ok(Math.abs(y.mean().itemSync()) < 1e-5);
 * ok(bn.runningMean.mean().itemSync() > 0.05); // moved 10% towards the batch mean ≈ 1
 * ```
 */
export class BatchNorm1d extends Module {
  /** `(C)` scale, or null when not affine. */
  readonly weight: Tensor | null;
  /** `(C)` shift, or null when not affine. */
  readonly bias: Tensor | null;
  /** `(C)` running mean (buffer `running_mean`). */
  readonly runningMean: Tensor;
  /** `(C)` running unbiased variance (buffer `running_var`). */
  readonly runningVar: Tensor;
  /** Training batches seen (buffer `num_batches_tracked`, int32 here, int64 in PyTorch). */
  readonly numBatchesTracked: Tensor;
  /** The channel count C. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Weight of the batch statistics in the running ones. */
  readonly momentum: number;

  /**
   * Creates the layer.
   *
   * @param numFeatures the channel count C
   * @param opts eps, momentum, affine
   * @throws {RangeError} when numFeatures is not a positive integer, eps is negative or
   *   momentum is outside [0, 1]
   */
  constructor(numFeatures: number, opts: BatchNorm1dOptions = {}) {
    super();
    const op = "BatchNorm1d";
    const o = checkOptions(op, opts, ["eps", "momentum", "affine"]);
    this.numFeatures = checkNumber(op, "numFeatures", numFeatures, { integer: true, min: 1 });
    this.eps = checkNumber(op, "eps", o.eps ?? 1e-5, { min: 0 });
    this.momentum = checkNumber(op, "momentum", o.momentum ?? 0.1, { min: 0, max: 1 });
    const affine = o.affine === undefined ? true : checkBoolean(op, "affine", o.affine);
    this.weight = affine ? this.registerParameter("weight", ones([numFeatures])) : null;
    this.bias = affine ? this.registerParameter("bias", zeros([numFeatures])) : null;
    this.runningMean = this.registerBuffer("running_mean", zeros([numFeatures]));
    this.runningVar = this.registerBuffer("running_var", ones([numFeatures]));
    this.numBatchesTracked = this.registerBuffer(
      "num_batches_tracked",
      zeros([], { dtype: "int32" }),
    );
  }

  /**
   * The hyper-parameters `toString()` shows.
   *
   * @returns the text inside the parentheses
   */
  protected override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${
      this.weight !== null
    }`;
  }

  /**
   * Normalises x (batch statistics in training, running ones in evaluation).
   *
   * @param x `(N, C)` or `(N, L, C)`
   * @returns a tensor of x's shape
   * @throws {ShapeError} for another rank or a last dim other than C
   */
  forward(x: Tensor): Tensor {
    checkTensor("BatchNorm1d.forward", "input", x);
    if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[x.ndim - 1] !== this.numFeatures) {
      throw new ShapeError(
        `BatchNorm1d: expected (N, ${this.numFeatures}) or (N, L, ${this.numFeatures}) input, ` +
          `got shape ${formatShape(x.shape)}`,
      );
    }
    if (this.training) noGrad(() => this.numBatchesTracked.add_(1));
    const opts = {
      weight: this.weight,
      bias: this.bias,
      training: this.training,
      momentum: this.momentum,
      eps: this.eps,
    };
    if (x.ndim === 2) return batchNorm(x, this.runningMean, this.runningVar, opts);
    // (N, L, C) -> (N, C, L), F.batchNorm's layout, and back
    const y = batchNorm(x.permute(0, 2, 1), this.runningMean, this.runningVar, opts);
    return y.permute(0, 2, 1);
  }
}
