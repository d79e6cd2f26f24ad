/**
 * Kata 06, steps 06.6–06.8: the lecture's deep network (notebook cells 13–19)
 * — five `Linear → BatchNorm1d → Tanh` blocks and a BatchNorm'd output — and
 * the diagnostics the lecture reads off it: activation and gradient statistics
 * per layer, the grad:data ratio of each weight, and the update:data ratio of
 * every parameter at every step. Replace every `todo(...)` with your code.
 *
 * From the library: `randn`, `index`, `view`, `noGrad`, `randint`,
 * `F.crossEntropy`, `mean`, `std`, `mul`, `retainGrad` [`retain_grad`],
 * `itemSync`. From your code: `saturation` (init.ts), `Linear`, `BatchNorm1d`,
 * `Tanh` (modules.ts).
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { F, type Generator, index, noGrad, randint, randn, type Tensor } from "../../mod.ts";
import { saturation } from "./init.ts";
import { BatchNorm1d, type Layer, Linear, Tanh } from "./modules.ts";

/** The sizes of the deep network (the lecture's by default). */
export interface DeepConfig {
  /** Symbols in the vocabulary (27). */
  vocabSize?: number;
  /** Characters of context (3). */
  blockSize?: number;
  /** Dimensions of a character's embedding (10). */
  nEmbd?: number;
  /** Neurons in each hidden layer (100). */
  nHidden?: number;
  /** Hidden `Linear → BatchNorm1d → Tanh` blocks (5). */
  depth?: number;
}

/** The embedding table and the layers. */
export interface DeepNet {
  /** Embedding table `(vocabSize, nEmbd)`. */
  C: Tensor;
  /** `depth` × [Linear (no bias), BatchNorm1d, Tanh], then Linear (no bias), BatchNorm1d. */
  layers: Layer[];
}

/**
 * The notebook's cell 13: `C`, then the layers (each Linear drawing its weight
 * in turn, none with a bias), the last BatchNorm's gamma scaled by 0.1 so the
 * first predictions are unsure; every parameter requires grad.
 *
 * @param g the generator
 * @param config the sizes
 * @returns the network
 */
export function deepNetwork(g: Generator, config: DeepConfig = {}): DeepNet {
  return todo(
    "06.6",
    "deepNetwork: C, then depth × [Linear (no bias), BatchNorm1d, Tanh], Linear, BatchNorm1d with gamma · 0.1",
  );
}

/**
 * @param net the network
 * @returns `[C, ...each layer's parameters]` (47,024 numbers in the lecture's network)
 */
export function deepParameters(net: DeepNet): Tensor[] {
  return todo("06.6", "deepParameters: C, then every layer's parameters");
}

/**
 * Puts every BatchNorm1d into training (batch statistics) or evaluation
 * (running statistics) mode.
 *
 * @param net the network
 * @param training the mode
 */
export function setTraining(net: DeepNet, training: boolean): void {
  todo("06.6", "setTraining: set training on every BatchNorm1d");
}

/**
 * `x = C[X].view(n, -1)`, then every layer in turn.
 *
 * @param net the network
 * @param X int32 contexts `(n, blockSize)`
 * @returns the logits `(n, vocabSize)`
 */
export function deepForward(net: DeepNet, X: Tensor): Tensor {
  return todo("06.6", "deepForward: C[X].view(n, -1) through every layer");
}

/**
 * The notebook's `split_loss` after `layer.training = False`: the loss with
 * the running statistics, without a graph; the modes are restored after.
 *
 * @param net the network
 * @param X int32 contexts
 * @param Y int32 targets
 * @returns the mean cross-entropy
 */
export function deepSplitLoss(net: DeepNet, X: Tensor, Y: Tensor): number {
  return todo(
    "06.6",
    "deepSplitLoss: the loss in evaluation mode, without a graph, modes restored",
  );
}

/** The statistics of one tanh layer's output. */
export interface ActivationStats {
  /** The layer's index in `net.layers`. */
  layer: number;
  /** The mean. */
  mean: number;
  /** The std. */
  std: number;
  /** The percentage of outputs with |t| > 0.97. */
  saturated: number;
}

/** The statistics of the gradient of one tanh layer's output. */
export interface GradientStats {
  /** The layer's index in `net.layers`. */
  layer: number;
  /** The mean of `out.grad`. */
  mean: number;
  /** The std of `out.grad`. */
  std: number;
}

/** The statistics of one weight's gradient. */
export interface WeightStats {
  /** The weight's index in the parameter list. */
  index: number;
  /** The weight's shape. */
  shape: number[];
  /** The mean of its gradient. */
  mean: number;
  /** The std of its gradient. */
  std: number;
  /** `grad.std() / weight.std()`. */
  gradToData: number;
}

/**
 * The notebook's cell 15: mean, std and saturation (|t| > 0.97, in percent)
 * of each tanh layer's last output.
 *
 * @param net the network, after a forward pass
 * @returns one entry per tanh layer
 */
export function activationStats(net: DeepNet): ActivationStats[] {
  return todo("06.7", "activationStats: mean, std and % of |t| > 0.97 of each tanh layer's out");
}

/**
 * The notebook's cell 16: mean and std of the gradient of each tanh layer's
 * output (kept by `retainGrad()` during training).
 *
 * @param net the network, after a backward pass with the outputs' grads retained
 * @returns one entry per tanh layer
 * @throws {Error} when a layer's `out.grad` was not retained
 */
export function gradientStats(net: DeepNet): GradientStats[] {
  return todo("06.7", "gradientStats: mean and std of each tanh layer's out.grad");
}

/**
 * The notebook's cell 17: for each 2-d parameter (the weights and `C`), the
 * mean and std of its gradient and the grad:data ratio `grad.std() / p.std()`.
 *
 * @param params the parameters, after a backward pass
 * @returns one entry per 2-d parameter
 */
export function weightStats(params: Tensor[]): WeightStats[] {
  return todo("06.7", "weightStats: grad mean, std and grad:data ratio of each 2-d parameter");
}

/**
 * The update:data ratio of each parameter, `log10((lr · grad).std() / p.std())`
 * (about −3 is healthy); `Infinity` where the data's std is 0.
 *
 * @param params the parameters, with their gradients
 * @param lr the learning rate of the step
 * @returns one number per parameter
 */
export function updateRatios(params: Tensor[], lr: number): number[] {
  return todo("06.7", "updateRatios: log10((lr · grad).std() / data.std()) per parameter");
}

/** Options of {@link trainDeep}. */
export interface DeepTrainOptions {
  /** The number of steps. */
  steps: number;
  /** Examples per minibatch (32). */
  batchSize?: number;
  /** The learning rate of each step (0.1, then 0.01 from step 150,000). */
  lr?: (step: number) => number;
  /** Called after every step with its minibatch loss. */
  onStep?: (step: number, loss: number) => void;
}

/** What {@link trainDeep} records. */
export interface DeepTrainResult {
  /** Each step's minibatch loss. */
  losses: Float32Array;
  /** Each step's {@link updateRatios}, measured after its update. */
  ud: number[][];
}

/**
 * The notebook's cell 14: minibatch SGD on the deep network, retaining the
 * gradient of every layer's output for the diagnostics and recording the
 * update:data ratios after each update.
 *
 * @param net the network (trained in place)
 * @param X int32 training contexts
 * @param Y int32 training targets
 * @param g the generator (the one that drew the network)
 * @param options steps, batch size, learning rate, callback
 * @returns the losses and the update ratios
 */
export function trainDeep(
  net: DeepNet,
  X: Tensor,
  Y: Tensor,
  g: Generator,
  options: DeepTrainOptions,
): DeepTrainResult {
  return todo(
    "06.8",
    "trainDeep: the lecture's loop, retaining each layer's out.grad and recording the update ratios",
  );
}
