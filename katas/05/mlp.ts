/**
 * Kata 05, steps 05.3–05.9: the Bengio et al. (2003) MLP of makemore part 2,
 * written with katagrad the way the lecture writes it with torch — raw
 * parameter tensors, `C[X]`, `view`, `tanh`, `F.crossEntropy`, minibatches
 * from a `Generator`, the learning-rate range test, split losses, sampling.
 * Replace every `todo(...)` with your code; `deno test katas/05` tells you
 * what to do next. Read katas/05/README.md first.
 *
 * From the library (the lecture's torch call in brackets): `randn(shape,
 * { generator })` [`torch.randn`], `index(C, X)` or `C.index(X)` [`C[X]`],
 * `t.view(-1, n)`, `matmul`, `add`, `tanh`, `exp`, `sum(1, { keepdim: true })`,
 * `F.crossEntropy` [`F.cross_entropy`], `F.softmax`, `randint(0, n, [32],
 * { generator })`, `noGrad(() => …)` [`torch.no_grad()`], `q.grad = null`,
 * `q.add_(q.grad!, { alpha: -lr })` [`p.data += -lr * p.grad`], `linspace`,
 * `multinomial(probs, 1, { generator })`, `arange`, `itemSync()`, `dataSync()`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import {
  arange,
  type CharVocab,
  F,
  type Generator,
  index,
  linspace,
  multinomial,
  noGrad,
  randint,
  randn,
  type Tensor,
  tensor,
} from "../../mod.ts";
import type { Splits } from "./dataset.ts";

/** The sizes of the MLP (the lecture's final model by default). */
export interface MlpConfig {
  /** Symbols in the vocabulary (27: `.` and a–z). */
  vocabSize?: number;
  /** Characters of context (3). */
  blockSize?: number;
  /** Dimensions of each character's embedding (10). */
  embedding?: number;
  /** Neurons in the tanh layer (200). */
  hidden?: number;
}

/** The model's parameters: raw tensors, as in the lecture. */
export interface MlpParams {
  /** The embedding table `(vocabSize, embedding)`. */
  C: Tensor;
  /** Hidden weights `(blockSize · embedding, hidden)`. */
  W1: Tensor;
  /** Hidden bias `(hidden)`. */
  b1: Tensor;
  /** Output weights `(hidden, vocabSize)`. */
  W2: Tensor;
  /** Output bias `(vocabSize)`. */
  b2: Tensor;
}

/**
 * Draws the parameters from `randn(…, generator=g)` in the lecture's order
 * `C, W1, b1, W2, b2`, each requiring grad.
 *
 * @param g the generator (the lecture seeds it with 2147483647)
 * @param config the sizes (default: 27, 3, 10, 200)
 * @returns the parameters
 */
export function initParams(g: Generator, config: MlpConfig = {}): MlpParams {
  return todo("05.3", "initParams: randn C, W1, b1, W2, b2 in this order, each requiring grad");
}

/**
 * @param p the parameters
 * @returns `[C, W1, b1, W2, b2]`
 */
export function parameters(p: MlpParams): Tensor[] {
  return todo("05.3", "parameters: [C, W1, b1, W2, b2]");
}

/**
 * `sum(p.nelement() for p in parameters)`.
 *
 * @param p the parameters
 * @returns the number of trainable numbers (11,897 for the lecture's model)
 */
export function numParameters(p: MlpParams): number {
  return todo("05.3", "numParameters: the total number of elements of the parameters");
}

/**
 * The embedding lookup `C[X]`: row `X[i, j]` of `C` for every context character.
 *
 * @param C the table `(vocabSize, embedding)`
 * @param X int32 contexts `(n, blockSize)`
 * @returns `(n, blockSize, embedding)`
 */
export function embed(C: Tensor, X: Tensor): Tensor {
  return todo("05.4", "embed: C[X], one row of C per context character");
}

/**
 * The hidden layer: `tanh(emb.view(-1, blockSize · embedding) @ W1 + b1)`.
 *
 * @param p the parameters
 * @param emb the embeddings `(n, blockSize, embedding)`
 * @returns `(n, hidden)`
 */
export function hiddenLayer(p: MlpParams, emb: Tensor): Tensor {
  return todo("05.4", "hiddenLayer: tanh(emb.view(-1, blockSize · embedding) @ W1 + b1)");
}

/**
 * The whole network: `logits = hiddenLayer(C[X]) @ W2 + b2`.
 *
 * @param p the parameters
 * @param X int32 contexts `(n, blockSize)`
 * @returns the logits `(n, vocabSize)`
 */
export function forward(p: MlpParams, X: Tensor): Tensor {
  return todo("05.4", "forward: the logits, hiddenLayer(C[X]) @ W2 + b2");
}

/**
 * The lecture's first loss, written out: `counts = logits.exp()`, `prob =
 * counts / counts.sum(1, keepdims=True)`, `-prob[arange(n), Y].log().mean()`.
 *
 * @param logits `(n, vocabSize)`
 * @param Y int32 targets `(n)`
 * @returns the mean negative log likelihood (a scalar tensor)
 */
export function naiveCrossEntropy(logits: Tensor, Y: Tensor): Tensor {
  return todo("05.5", "naiveCrossEntropy: exp, normalise, pick prob[i, Y[i]], -mean(log)");
}

/**
 * The training loss: `F.crossEntropy(forward(p, X), Y)`.
 *
 * @param p the parameters
 * @param X int32 contexts `(n, blockSize)`
 * @param Y int32 targets `(n)`
 * @returns the mean cross-entropy (a scalar tensor)
 */
export function mlpLoss(p: MlpParams, X: Tensor, Y: Tensor): Tensor {
  return todo("05.5", "mlpLoss: F.crossEntropy of the logits");
}

/**
 * The lecture's schedule: 0.1 for the first 100,000 steps, then 0.01.
 *
 * @param step the step, from 0
 * @returns the learning rate
 */
export function lectureLr(step: number): number {
  return todo("05.6", "lectureLr: 0.1 for the first 100,000 steps, then 0.01");
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** The number of steps. */
  steps: number;
  /** Examples per minibatch (default 32). */
  batchSize?: number;
  /** The learning rate of each step (default {@link lectureLr}). */
  lr?: (step: number) => number;
  /** Called after every step with its minibatch loss. */
  onStep?: (step: number, loss: number) => void;
}

/**
 * Minibatch gradient descent, the lecture's loop: `ix = randint(0, n, (32,),
 * generator=g)`, forward and loss on `X[ix]`, `Y[ix]`, `p.grad = None`,
 * `loss.backward()`, `p.data += -lr * p.grad`.
 *
 * @param p the parameters (updated in place)
 * @param X int32 contexts
 * @param Y int32 targets
 * @param g the generator the minibatch indices come from
 * @param options steps, batch size, learning rate, callback
 * @returns each step's minibatch loss, measured before its update
 */
export function train(
  p: MlpParams,
  X: Tensor,
  Y: Tensor,
  g: Generator,
  options: TrainOptions,
): Float32Array {
  return todo("05.6", "train: a fresh minibatch each step, forward, zero grads, backward, update");
}

/** Options of {@link lrRangeTest}. */
export interface LrRangeOptions {
  /** Steps, one per candidate rate (default 1000). */
  steps?: number;
  /** Examples per minibatch (default 32). */
  batchSize?: number;
  /** The first exponent (default -3, a rate of 0.001). */
  from?: number;
  /** The last exponent (default 0, a rate of 1). */
  to?: number;
}

/** What the learning-rate range test saw. */
export interface LrRange {
  /** The exponents, `linspace(from, to, steps)`. */
  lre: Float32Array;
  /** The rates, `10 ** lre`. */
  lrs: Float32Array;
  /** The minibatch loss of each step, before its update. */
  losses: Float32Array;
}

/**
 * The lecture's learning-rate range test: `lre = linspace(-3, 0, 1000)`,
 * `lrs = 10 ** lre`, and one training step at each rate in turn (step `i` at
 * `lrs[i]`), recording the loss.
 *
 * @param p the parameters (trained in place)
 * @param X int32 contexts
 * @param Y int32 targets
 * @param g the generator of the minibatches
 * @param options steps, batch size, exponent range
 * @returns the exponents, the rates and the losses
 */
export function lrRangeTest(
  p: MlpParams,
  X: Tensor,
  Y: Tensor,
  g: Generator,
  options: LrRangeOptions = {},
): LrRange {
  return todo(
    "05.7",
    "lrRangeTest: lre = linspace(from, to, steps), lrs = 10 ** lre, one step each",
  );
}

/**
 * Reads the range test's plot the way the lecture does: where the loss is
 * lowest. The losses are noisy, so it averages each run of `window` steps
 * and returns `10 ** lre` at the middle of the lowest run.
 *
 * @param lre the exponents
 * @param losses the loss at each exponent
 * @param window steps per average (default 100)
 * @returns the chosen learning rate
 */
export function chooseLr(
  lre: ArrayLike<number>,
  losses: ArrayLike<number>,
  window = 100,
): number {
  return todo("05.7", "chooseLr: 10 ** lre where the averaged loss is lowest");
}

/**
 * The loss over a whole split, without recording a graph.
 *
 * @param p the parameters
 * @param X int32 contexts
 * @param Y int32 targets
 * @returns the mean cross-entropy
 */
export function splitLoss(p: MlpParams, X: Tensor, Y: Tensor): number {
  return todo("05.8", "splitLoss: the loss over a whole split, under noGrad");
}

/** The loss of each split. */
export interface SplitLosses {
  /** On the training split. */
  train: number;
  /** On the dev (validation) split. */
  dev: number;
  /** On the test split. */
  test: number;
}

/**
 * The lecture's evaluation: the loss on the training, dev and test splits.
 *
 * @param p the parameters
 * @param s the splits
 * @returns the three losses
 */
export function evaluate(p: MlpParams, s: Splits): SplitLosses {
  return todo("05.8", "evaluate: the loss on the train, dev and test splits");
}

/**
 * Samples words as the lecture does: the context starts as dots; at each step
 * `probs = softmax(logits)` for the context, `ix = multinomial(probs, 1,
 * generator=g)`, the context slides, and the word ends at the first `.`.
 *
 * @param p the parameters (the block size is `W1.shape[0] / C.shape[1]`)
 * @param g the generator (the lecture: 2147483647 + 10)
 * @param vocab the vocabulary, `.` = 0
 * @param count how many words (default 20)
 * @returns the words, each ending with its `.`
 */
export function sampleNames(
  p: MlpParams,
  g: Generator,
  vocab: CharVocab,
  count = 20,
): string[] {
  return todo(
    "05.9",
    "sampleNames: draw characters from softmax(logits) until the first dot, count times",
  );
}
