/**
 * Kata 08, steps 08.1–08.4: the WaveNet lecture's layer classes (notebook
 * cell 7) — `Embedding`, `FlattenConsecutive`, `Sequential` and `BatchNorm1d`
 * for 3-d input. `Linear` and `Tanh` (kata 06's) come given. Replace every
 * `todo(...)` with your code.
 *
 * From the library: `randn(shape, { generator })`, `index(weight, IX)`
 * [`weight[IX]`], `view`, `squeeze(dim)`, `mean(dims, { keepdim: true })`,
 * `var(dims, { keepdim: true })` (unbiased, as torch's; `dims` a number or an
 * array such as `[0, 1]`), `ones`, `zeros`, `sub`, `div`, `mul`, `add`,
 * `sqrt`, `noGrad`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { type Generator, index, noGrad, ones, randn, type Tensor, zeros } from "../../mod.ts";

/**
 * What the lecture's layers have in common (`nn.Module`s fit it too: they
 * have `training`, `forward` and `parameters()`).
 */
export interface Layer {
  /** Batch statistics (true) or the running ones (false); only BatchNorm looks at it. */
  training: boolean;
  /**
   * Applies the layer (the lecture's `__call__`).
   *
   * @param x the input
   * @returns the output
   */
  forward(x: Tensor): Tensor;
  /** @returns the trainable tensors, in a fixed order */
  parameters(): Tensor[];
}

/** Options of {@link Linear} and {@link Embedding}. */
export interface InitOptions {
  /** The generator the weights are drawn from. */
  generator: Generator;
}

/** Given (kata 06): `x @ weight + bias`, the weight `(fanIn, fanOut)`, drawn `randn / √fanIn`. */
export class Linear implements Layer {
  /** Unused. */
  training = true;
  /** `(fanIn, fanOut)`. */
  weight: Tensor;
  /** `(fanOut)` zeros, or null. */
  bias: Tensor | null;

  /**
   * @param fanIn inputs
   * @param fanOut outputs
   * @param options generator; `bias: false` leaves the bias out
   */
  constructor(fanIn: number, fanOut: number, options: InitOptions & { bias?: boolean }) {
    this.weight = randn([fanIn, fanOut], { generator: options.generator }).div(fanIn ** 0.5);
    this.bias = options.bias === false ? null : zeros([fanOut]);
  }

  /**
   * @param x `(..., fanIn)`
   * @returns `(..., fanOut)`
   */
  forward(x: Tensor): Tensor {
    // (B, T, fanIn) is multiplied as one (B·T, fanIn) matrix: the numbers of `x @ weight`, and
    // a backward pass that does not make one (fanIn, fanOut) product per example to sum up
    const lead = x.shape.slice(0, -1);
    const out = x.reshape(-1, x.shape[x.ndim - 1]).matmul(this.weight); // (B·T, fanOut)
    const y = this.bias === null ? out : out.add(this.bias);
    return y.reshape(...lead, y.shape[1]); // (B, T, fanOut)
  }

  /** @returns `[weight]` or `[weight, bias]` */
  parameters(): Tensor[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }
}

/** Given (kata 06): `tanh(x)`. */
export class Tanh implements Layer {
  /** Unused. */
  training = true;

  /**
   * @param x any shape
   * @returns `tanh(x)`
   */
  forward(x: Tensor): Tensor {
    return x.tanh();
  }

  /** @returns no parameters */
  parameters(): Tensor[] {
    return [];
  }
}

/** 08.1: a table of learnable rows, `weight[IX]` (the `C[X]` of the earlier lectures). */
export class Embedding implements Layer {
  /** Unused. */
  training = true;
  /** `(numEmbeddings, embeddingDim)`, drawn N(0, 1). */
  weight: Tensor;

  /**
   * Draws `weight = randn((numEmbeddings, embeddingDim), generator)`.
   *
   * @param numEmbeddings rows (the vocabulary size)
   * @param embeddingDim the width of a row
   * @param options generator
   */
  constructor(numEmbeddings: number, embeddingDim: number, options: InitOptions) {
    this.weight = todo(
      "08.1",
      "Embedding constructor: weight = randn((numEmbeddings, embeddingDim))",
    );
  }

  /**
   * @param IX int32 indices, any shape, e.g. `(B, T)`
   * @returns `(...IX.shape, embeddingDim)`, e.g. `(B, T, C)`
   */
  forward(IX: Tensor): Tensor {
    return todo("08.1", "Embedding.forward: the rows weight[IX]");
  }

  /** @returns `[weight]` */
  parameters(): Tensor[] {
    return todo("08.1", "Embedding.parameters: [weight]");
  }
}

/** 08.2: concatenates every `n` consecutive time steps, `(B, T, C) -> (B, T/n, C·n)`. */
export class FlattenConsecutive implements Layer {
  /** Unused. */
  training = true;
  /** How many consecutive steps become one. */
  n: number;

  /** @param n steps merged into one */
  constructor(n: number) {
    this.n = n;
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T/n, C·n)`, or `(B, C·n)` when `T/n` is 1
   */
  forward(x: Tensor): Tensor {
    return todo(
      "08.2",
      "FlattenConsecutive.forward: (B, T, C) -> (B, T/n, C*n), squeezing T/n = 1",
    );
  }

  /** @returns no parameters */
  parameters(): Tensor[] {
    return todo("08.2", "FlattenConsecutive.parameters: none");
  }
}

/** 08.3: layers applied one after another; their parameters in one list. */
export class Sequential implements Layer {
  /** Unused by Sequential itself; set each layer's own `training`. */
  training = true;
  /** The layers, in order. */
  layers: Layer[];

  /** @param layers applied in order */
  constructor(layers: Layer[]) {
    this.layers = todo("08.3", "Sequential constructor: keep the layers");
  }

  /**
   * @param x the first layer's input
   * @returns the last layer's output
   */
  forward(x: Tensor): Tensor {
    return todo("08.3", "Sequential.forward: each layer's output is the next one's input");
  }

  /** @returns every layer's parameters, layer after layer */
  parameters(): Tensor[] {
    return todo("08.3", "Sequential.parameters: every layer's parameters in one list");
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
 * 08.4: the lecture's BatchNorm1d. In training, normalise with the batch mean and the UNBIASED
 * batch variance over every dim but the last, and move the running buffers; in evaluation,
 * normalise with the buffers.
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
  /** The running mean, `dim` numbers, zeros at first; a buffer, not a parameter. */
  runningMean: Tensor;
  /** The running unbiased variance, `dim` numbers, ones at first. */
  runningVar: Tensor;

  /**
   * @param dim the number of features C
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
   * @param x `(N, C)` or `(N, T, C)`
   * @returns the same shape
   */
  forward(x: Tensor): Tensor {
    return todo(
      "08.4",
      "BatchNorm1d.forward: normalise over dim 0 (2-d) or dims 0 and 1 (3-d), move the buffers",
    );
  }

  /** @returns `[gamma, beta]` */
  parameters(): Tensor[] {
    return todo("08.4", "BatchNorm1d.parameters: [gamma, beta]");
  }
}
