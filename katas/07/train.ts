/**
 * Kata 07, steps 07.8–07.9 (the lecture's exercise 4): training the
 * BatchNorm'd MLP with the backward pass written by hand — no `backward()` —
 * then calibrating BatchNorm on the training set, evaluating and sampling.
 * Replace every `todo(...)` with your code; `deno test katas/07` tells you
 * what to do next. Read katas/07/README.md first.
 *
 * From the library: `index(C, Xb)`, `view`, `matmul`, `mean(0, { keepdim })`,
 * `var(0, { keepdim, unbiased: true })`, `pow`, `tanh`, `F.crossEntropy`,
 * `zerosLike`, `indexPut_(…, { accumulate: true })`, `randint(0, n, [32],
 * { generator })`, `noGrad(() => …)` [`with torch.no_grad():`],
 * `q.add_(grad, { alpha: -lr })` [`p.data += -lr * grad`], `F.softmax`,
 * `multinomial(probs, 1, { generator })`, `tensor`, `itemSync()`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import {
  type CharVocab,
  F,
  type Generator,
  index,
  indexPut_,
  multinomial,
  noGrad,
  randint,
  type Tensor,
  tensor,
  zerosLike,
} from "../../mod.ts";
import type { NetParams } from "./chunks.ts";
import { batchNormBackward, crossEntropyBackward } from "./one_expression.ts";

/** What the backward pass of a training step needs from its forward pass. */
export interface StepCache {
  /** `C[Xb]` `(n, blockSize, nEmbd)`. */
  emb: Tensor;
  /** `(n, blockSize · nEmbd)`. */
  embcat: Tensor;
  /** `(1, nHidden)`: `(var + 1e-5) ** -0.5` of the batch (Bessel-corrected variance). */
  bnvar_inv: Tensor;
  /** The normalised pre-activations `(n, nHidden)`. */
  bnraw: Tensor;
  /** `tanh(bngain · bnraw + bnbias)` `(n, nHidden)`. */
  h: Tensor;
  /** `(n, vocabSize)`. */
  logits: Tensor;
  /** `F.crossEntropy(logits, Yb)`, a scalar. */
  loss: Tensor;
}

/**
 * The training step's forward pass (cell 22): BatchNorm with
 * `hprebn.mean(0, keepdim)` and `hprebn.var(0, keepdim, unbiased)`, and
 * `F.crossEntropy` for the loss.
 *
 * @param p the parameters
 * @param Xb int32 contexts `(n, blockSize)`
 * @param Yb int32 targets `(n)`
 * @returns what the backward pass needs, and the loss
 */
export function forwardStep(p: NetParams, Xb: Tensor, Yb: Tensor): StepCache {
  return todo(
    "07.8",
    "forwardStep: the lecture's cell 22 forward, BatchNorm with mean and var(unbiased), F.crossEntropy",
  );
}

/**
 * The whole backward pass by hand, with exercises 2 and 3 for the loss and
 * BatchNorm (cell 22).
 *
 * @param p the parameters
 * @param c the step's forward pass
 * @param Xb the int32 contexts
 * @param Yb the int32 targets
 * @returns `[dC, dW1, db1, dW2, db2, dbngain, dbnbias]`, each shaped like its parameter
 */
export function manualGrads(p: NetParams, c: StepCache, Xb: Tensor, Yb: Tensor): Tensor[] {
  return todo(
    "07.8",
    "manualGrads: [dC, dW1, db1, dW2, db2, dbngain, dbnbias] by hand, with 07.6 and 07.7",
  );
}

/**
 * The lecture's schedule: 0.1 for the first 100,000 steps, then 0.01.
 *
 * @param step the step, from 0
 * @returns the learning rate
 */
export function lectureLr(step: number): number {
  return todo("07.8", "lectureLr: 0.1 for the first 100,000 steps, then 0.01");
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
 * Exercise 4: minibatch SGD with {@link manualGrads}, all of it under
 * `noGrad` (no graph is recorded, `backward()` is never called):
 * `ix = randint(0, n, (batchSize,), generator=g)`, forward, manual backward,
 * `p -= lr · grad`.
 *
 * @param p the parameters (updated in place)
 * @param X int32 contexts
 * @param Y int32 targets
 * @param g the generator of the minibatch indices
 * @param options steps, batch size, learning rate, callback
 * @returns each step's minibatch loss, measured before its update
 */
export function train(
  p: NetParams,
  X: Tensor,
  Y: Tensor,
  g: Generator,
  options: TrainOptions,
): Float32Array {
  return todo(
    "07.8",
    "train: minibatch, forwardStep, manualGrads, update, all under noGrad and never backward()",
  );
}

/** BatchNorm statistics of a whole dataset. */
export interface BatchNormStats {
  /** The mean of each hidden pre-activation `(1, nHidden)`. */
  bnmean: Tensor;
  /** Its variance, Bessel-corrected `(1, nHidden)`. */
  bnvar: Tensor;
}

/**
 * Calibrates BatchNorm after training (cell 24): the mean and the unbiased
 * variance of `embcat @ W1 + b1` over the whole training set, under `noGrad`.
 *
 * @param p the parameters
 * @param X int32 contexts of the training set
 * @returns bnmean and bnvar
 */
export function calibrate(p: NetParams, X: Tensor): BatchNormStats {
  return todo(
    "07.9",
    "calibrate: mean and unbiased variance of embcat @ W1 + b1 over the whole set",
  );
}

/**
 * The loss over a whole split with the calibrated BatchNorm (cell 25), under `noGrad`.
 *
 * @param p the parameters
 * @param bn the calibrated statistics
 * @param X int32 contexts
 * @param Y int32 targets
 * @returns the mean cross-entropy
 */
export function splitLoss(p: NetParams, bn: BatchNormStats, X: Tensor, Y: Tensor): number {
  return todo(
    "07.9",
    "splitLoss: the loss with BatchNorm normalising by the calibrated statistics",
  );
}

/**
 * Samples words from the trained network (cell 27), BatchNorm with the
 * calibrated statistics: the context starts as dots, each next character is
 * drawn with `multinomial(softmax(logits), 1, generator=g)`, the word ends at
 * the first `.`.
 *
 * @param p the parameters
 * @param bn the calibrated statistics
 * @param g the generator (the lecture: 2147483647 + 10)
 * @param vocab the vocabulary, `.` = 0
 * @param count how many words (default 20)
 * @returns the words, each ending with its `.`
 */
export function sampleNames(
  p: NetParams,
  bn: BatchNormStats,
  g: Generator,
  vocab: CharVocab,
  count = 20,
): string[] {
  return todo(
    "07.9",
    "sampleNames: draw characters until the first dot, BatchNorm with the calibrated statistics",
  );
}
