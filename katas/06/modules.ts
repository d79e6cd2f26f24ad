/**
 * Kata 06, step 06.5: the lecture's layer classes ("PyTorchifying", notebook
 * cell 13) — `Linear`, `BatchNorm1d` and `Tanh`, each keeping its last output
 * in `out` so the diagnostics can look at it. Replace every `todo(...)` with
 * your code.
 *
 * From the library: `randn`, `ones`, `zeros`, `matmul`, `add`, `sub`, `mul`,
 * `div`, `sqrt`, `mean(0, { keepdim: true })`, `var(0, { keepdim: true })`
 * (unbiased, as torch's), `view`, `tanh`, `noGrad`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
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
    todo(
      "06.5",
      "Linear constructor: weight randn((fanIn, fanOut)) / sqrt(fanIn), bias zeros unless bias: false",
    );
  }

  /**
   * @param x `(n, fanIn)`
   * @returns `(n, fanOut)`
   */
  forward(x: Tensor): Tensor {
    return todo("06.5", "Linear.forward: x @ weight (+ bias), kept in out");
  }

  /** @returns `[weight]`, or `[weight, bias]` */
  parameters(): Tensor[] {
    return todo("06.5", "Linear.parameters: [weight] or [weight, bias]");
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
    todo("06.5", "BatchNorm1d constructor: eps, momentum, gamma, beta, running buffers");
  }

  /**
   * `gamma * (x - mean) / sqrt(var + eps) + beta`.
   *
   * @param x `(n, dim)`
   * @returns `(n, dim)`
   */
  forward(x: Tensor): Tensor {
    return todo(
      "06.5",
      "BatchNorm1d.forward: normalise with the batch (training) or the buffers (evaluation); move the buffers in training",
    );
  }

  /** @returns `[gamma, beta]` */
  parameters(): Tensor[] {
    return todo("06.5", "BatchNorm1d.parameters: [gamma, beta]");
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
    return todo("06.5", "Tanh.forward: tanh(x), kept in out");
  }

  /** @returns no parameters */
  parameters(): Tensor[] {
    return todo("06.5", "Tanh.parameters: none");
  }
}
