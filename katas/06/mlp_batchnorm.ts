/**
 * Kata 06, step 06.4: the lecture's BatchNorm'd MLP, written with raw tensors
 * as the notebook writes it (cells 6–10): Kaiming init, no hidden bias, batch
 * mean and std on the pre-activations, a learned gain and bias, running
 * statistics under `noGrad`, the calibration pass, and evaluation with the
 * running statistics. Replace every `todo(...)` with your code.
 *
 * From the library: `randn`, `ones`, `zeros`, `index`, `view`, `matmul`,
 * `mean(0, { keepdim: true })`, `std(0, { keepdim: true })`, `sub`, `div`,
 * `mul`, `add`, `tanh`, `noGrad` [`torch.no_grad`], `randint`,
 * `F.crossEntropy`, `add_(grad, { alpha: -lr })`, `itemSync`. From your
 * init.ts: `kaimingStd`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import {
  F,
  type Generator,
  index,
  noGrad,
  ones,
  randint,
  randn,
  type Tensor,
  zeros,
} from "../../mod.ts";
import { kaimingStd, type MlpConfig } from "./init.ts";

/** The BatchNorm'd MLP: parameters and the running statistics. */
export interface BnMlp {
  /** Embedding table `(vocabSize, nEmbd)`. */
  C: Tensor;
  /** Hidden weights `(blockSize · nEmbd, nHidden)`, Kaiming-scaled; no bias follows. */
  W1: Tensor;
  /** Output weights `(nHidden, vocabSize)`, scaled by 0.01. */
  W2: Tensor;
  /** Output bias `(vocabSize)`, zeros (drawn, then multiplied by 0). */
  b2: Tensor;
  /** BatchNorm gain `(1, nHidden)`, ones. */
  bngain: Tensor;
  /** BatchNorm bias `(1, nHidden)`, zeros. */
  bnbias: Tensor;
  /** Running mean `(1, nHidden)`, zeros at first; not a parameter. */
  bnmeanRunning: Tensor;
  /** Running std `(1, nHidden)`, ones at first; not a parameter. */
  bnstdRunning: Tensor;
}

/** Per-neuron statistics of the pre-activations, each `(1, nHidden)`. */
export interface BnStats {
  /** The mean over the batch. */
  mean: Tensor;
  /** The (unbiased) standard deviation over the batch. */
  std: Tensor;
}

/**
 * The notebook's cell 6: `C`, `W1 * (5/3)/sqrt(30)`, `W2 * 0.01`, `b2 * 0`
 * drawn in that order (no `b1`: the BatchNorm bias takes its place), then
 * `bngain` ones, `bnbias` zeros and the running statistics.
 *
 * @param g the generator
 * @param config the sizes (27, 3, 10, 200)
 * @returns the model, its parameters requiring grad
 */
export function initBnMlp(g: Generator, config: MlpConfig = {}): BnMlp {
  return todo(
    "06.4",
    "initBnMlp: C, W1 (Kaiming), W2 · 0.01, b2 · 0 drawn in that order, no b1; BatchNorm gain, bias and running statistics",
  );
}

/**
 * @param m the model
 * @returns `[C, W1, W2, b2, bngain, bnbias]` (12,097 numbers in the lecture's model)
 */
export function bnParameters(m: BnMlp): Tensor[] {
  return todo("06.4", "bnParameters: [C, W1, W2, b2, bngain, bnbias]");
}

/**
 * `hpreact.mean(0, keepdim=True)` and `hpreact.std(0, keepdim=True)`.
 *
 * @param hpreact `(n, nHidden)`
 * @returns the mean and unbiased std of each column, `(1, nHidden)` each
 */
export function batchStats(hpreact: Tensor): BnStats {
  return todo("06.4", "batchStats: mean and std of each column, keepdim");
}

/**
 * The hidden pre-activations, `C[X].view(n, -1) @ W1` (no bias).
 *
 * @param m the model
 * @param X int32 contexts
 * @returns `(n, nHidden)`
 */
export function bnPreact(m: BnMlp, X: Tensor): Tensor {
  return todo("06.4", "bnPreact: C[X].view(n, -1) @ W1");
}

/**
 * The forward pass. With `"train"`, normalises with the batch's statistics
 * and moves the running ones, `running = 0.999·running + 0.001·batch`, without
 * recording a graph; with given statistics (evaluation), normalises with
 * those and changes nothing.
 *
 * @param m the model
 * @param X int32 contexts
 * @param stats `"train"`, or the statistics to normalise with
 * @returns the logits `(n, vocabSize)`
 */
export function bnForward(m: BnMlp, X: Tensor, stats: "train" | BnStats): Tensor {
  return todo(
    "06.4",
    "bnForward: normalise, gain and bias, tanh, output layer; in training also move the running statistics",
  );
}

/** Options of {@link trainBnMlp}. */
export interface BnTrainOptions {
  /** The number of steps. */
  steps: number;
  /** Examples per minibatch (32). */
  batchSize?: number;
  /** The learning rate of each step (0.1, then 0.01 from step 100,000). */
  lr?: (step: number) => number;
  /** Called after every step with its minibatch loss. */
  onStep?: (step: number, loss: number) => void;
}

/**
 * The notebook's cell 7: minibatch SGD on the BatchNorm'd MLP, the batch drawn
 * with `randint(..., generator=g)` at every step.
 *
 * @param m the model (trained in place; its running statistics move)
 * @param X int32 training contexts
 * @param Y int32 training targets
 * @param g the generator (the same one that drew the parameters)
 * @param options steps, batch size, learning rate, callback
 * @returns each step's minibatch loss
 */
export function trainBnMlp(
  m: BnMlp,
  X: Tensor,
  Y: Tensor,
  g: Generator,
  options: BnTrainOptions,
): Float32Array {
  return todo("06.4", "trainBnMlp: the lecture's training loop");
}

/**
 * The notebook's cell 9: the pre-activations of the whole training set, and
 * their mean and std — what the running statistics estimate.
 *
 * @param m the model
 * @param X int32 contexts (the training split)
 * @returns the statistics, `(1, nHidden)` each
 */
export function calibrate(m: BnMlp, X: Tensor): BnStats {
  return todo(
    "06.4",
    "calibrate: batchStats of the whole training set's pre-activations, without a graph",
  );
}

/**
 * The notebook's `split_loss`: the loss over a split, normalising with fixed
 * statistics (the running ones unless others are given), without a graph.
 *
 * @param m the model
 * @param X int32 contexts
 * @param Y int32 targets
 * @param stats the statistics (default: the running ones)
 * @returns the mean cross-entropy
 */
export function bnSplitLoss(m: BnMlp, X: Tensor, Y: Tensor, stats?: BnStats): number {
  return todo("06.4", "bnSplitLoss: the loss with fixed statistics, without a graph");
}
