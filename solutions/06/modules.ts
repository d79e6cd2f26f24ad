/**
 * Kata 06 reference, step 06.5: the lecture's layer classes ("PyTorchifying",
 * notebook cell 13) — `Linear`, `BatchNorm1d` and `Tanh`, each keeping its last
 * output in `out` so the diagnostics can look at it.
 *
 * @module
 */

import { type Generator, noGrad, ones, randn, type Tensor, zeros } from "../../mod.ts";

/** What the deep network's layers have in common. */
export interface Layer {
  /** The output of the last `forward` (null before the first). */
  out: Tensor | null;
  /**
   * Applies the layer and keeps the result in `out`.
   *
   * @param x the input
   * @returns the output
   */
  forward(x: Tensor): Tensor;
  /** @returns the trainable tensors, in a fixed order */
  parameters(): Tensor[];
}

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Add a bias, zeros at first (default true). */
  bias?: boolean;
  /** The generator the weight is drawn from. */
  generator: Generator;
}

/** `x @ weight + bias`, the weight laid out `(fanIn, fanOut)` as the lecture's. */
export class Linear implements Layer {
  /** `(fanIn, fanOut)`, drawn as `randn / sqrt(fanIn)`. */
  weight: Tensor;
  /** `(fanOut)` zeros, or null. */
  bias: Tensor | null;
  /** The output of the last forward. */
  out: Tensor | null = null;

  /**
   * Draws the weight `randn((fanIn, fanOut), generator) / sqrt(fanIn)`; the
   * bias (if any) starts at zero.
   *
   * @param fanIn inputs
   * @param fanOut outputs
   * @param options bias, generator
   */
  constructor(fanIn: number, fanOut: number, options: LinearOptions) {
    this.weight = randn([fanIn, fanOut], { generator: options.generator }).div(fanIn ** 0.5);
    this.bias = options.bias === false ? null : zeros([fanOut]);
  }

  /**
   * @param x `(n, fanIn)`
   * @returns `(n, fanOut)`
   */
  forward(x: Tensor): Tensor {
    let out = x.matmul(this.weight);
    if (this.bias !== null) out = out.add(this.bias);
    this.out = out;
    return out;
  }

  /** @returns `[weight]`, or `[weight, bias]` */
  parameters(): Tensor[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }
}

/** Options of {@link BatchNorm1d}. */
export interface BatchNormOptions {
  /** Added to the variance (1e-5). */
  eps?: number;
  /** The weight of each batch in the running statistics (0.1). */
  momentum?: number;
}

/**
 * The lecture's BatchNorm1d: in training, normalise with the batch mean and
 * the UNBIASED batch variance (`x.var(0)`, torch's default) and move the
 * running buffers; in evaluation, normalise with the buffers.
 */
export class BatchNorm1d implements Layer {
  /** Added to the variance. */
  eps: number;
  /** The weight of each batch in the running statistics. */
  momentum: number;
  /** Batch statistics (true) or the running ones (false). */
  training = true;
  /** The gain `(dim)`, ones. */
  gamma: Tensor;
  /** The shift `(dim)`, zeros. */
  beta: Tensor;
  /** The running mean `(dim)`, zeros at first; a buffer, not a parameter. */
  runningMean: Tensor;
  /** The running variance `(dim)`, ones at first; a buffer, not a parameter. */
  runningVar: Tensor;
  /** The output of the last forward. */
  out: Tensor | null = null;

  /**
   * @param dim the number of features
   * @param options eps (1e-5), momentum (0.1)
   */
  constructor(dim: number, options: BatchNormOptions = {}) {
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    this.gamma = ones([dim]);
    this.beta = zeros([dim]);
    this.runningMean = zeros([dim]);
    this.runningVar = ones([dim]);
  }

  /**
   * `gamma * (x - mean) / sqrt(var + eps) + beta`.
   *
   * @param x `(n, dim)`
   * @returns `(n, dim)`
   */
  forward(x: Tensor): Tensor {
    let xmean: Tensor, xvar: Tensor;
    if (this.training) {
      xmean = x.mean(0, { keepdim: true }); // (1, dim) batch mean
      xvar = x.var(0, { keepdim: true }); // (1, dim) batch variance, unbiased
    } else {
      xmean = this.runningMean;
      xvar = this.runningVar;
    }
    const xhat = x.sub(xmean).div(xvar.add(this.eps).sqrt()); // unit variance
    this.out = this.gamma.mul(xhat).add(this.beta);
    if (this.training) {
      const m = this.momentum;
      noGrad(() => {
        this.runningMean = this.runningMean.mul(1 - m).add(xmean.view(-1).mul(m));
        this.runningVar = this.runningVar.mul(1 - m).add(xvar.view(-1).mul(m));
      });
    }
    return this.out;
  }

  /** @returns `[gamma, beta]` */
  parameters(): Tensor[] {
    return [this.gamma, this.beta];
  }
}

/** `tanh(x)`. */
export class Tanh implements Layer {
  /** The output of the last forward. */
  out: Tensor | null = null;

  /**
   * @param x any shape
   * @returns `tanh(x)`
   */
  forward(x: Tensor): Tensor {
    this.out = x.tanh();
    return this.out;
  }

  /** @returns no parameters */
  parameters(): Tensor[] {
    return [];
  }
}
