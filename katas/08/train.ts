/**
 * Kata 08, step 08.7: the lecture's optimisation (notebook cells 10–14) —
 * minibatch SGD with the step decay 0.1 → 0.01 at step 150,000, the loss of a
 * whole split in evaluation mode, and sampling names. Replace every
 * `todo(...)` with your code.
 *
 * From the library: `randint(0, n, [batchSize], { generator: g })`, `index`,
 * `F.crossEntropy`, `backward`, `p.grad = null`, `noGrad`,
 * `p.add_(p.grad, { alpha: -lr })` [`p.data += -lr * p.grad`], `itemSync`,
 * `F.softmax`, `multinomial(probs, 1, { generator })`.
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
  multinomial,
  noGrad,
  randint,
  type Tensor,
} from "../../mod.ts";
import type { Sequential } from "./layers.ts";
import { setTraining } from "./model.ts";
import { nextLogits } from "./receptive_field.ts";

/**
 * The lecture's learning rate: `0.1 if i < 150000 else 0.01`.
 *
 * @param step the step, from 0
 * @returns the learning rate of that step
 */
export function lectureLr(step: number): number {
  return todo("08.7", "lectureLr: 0.1 before step 150000, then 0.01");
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** The number of steps (the lecture's 200,000). */
  steps: number;
  /** Examples per minibatch (32). */
  batchSize?: number;
  /** The learning rate of each step ({@link lectureLr}). */
  lr?: (step: number) => number;
  /** Called after every step with its minibatch loss. */
  onStep?: (step: number, loss: number) => void;
}

/**
 * Minibatch SGD: `ix = randint(0, n, (batchSize,), generator=g)`, forward in
 * training mode, cross-entropy, backward, `p -= lr · grad`.
 *
 * @param model the model (trained in place, left in training mode)
 * @param X int32 contexts `(n, blockSize)`
 * @param Y int32 targets `(n)`
 * @param g the generator that drew the parameters, going on
 * @param options steps, batch size, learning rate, callback
 * @returns each step's minibatch loss
 */
export function train(
  model: Sequential,
  X: Tensor,
  Y: Tensor,
  g: Generator,
  options: TrainOptions,
): Float32Array {
  return todo("08.7", "train: minibatch, forward, cross-entropy, backward, SGD update, per step");
}

/**
 * The lecture's `split_loss`: the mean cross-entropy over a whole split, in
 * evaluation mode (BatchNorm with its running statistics), without a graph.
 *
 * @param model the model (left in evaluation mode)
 * @param X int32 contexts
 * @param Y int32 targets
 * @returns the loss
 */
export function splitLoss(model: Sequential, X: Tensor, Y: Tensor): number {
  return todo("08.7", "splitLoss: the loss of a whole split in evaluation mode, without a graph");
}

/**
 * The lecture's sampling loop (cell 15): from an all-`.` context, draw the
 * next character from `softmax(logits)` with `multinomial` until `.`.
 *
 * @param model the model (left in evaluation mode)
 * @param g the generator to draw with
 * @param vocab the characters
 * @param blockSize context length (8)
 * @param count names (20)
 * @returns the names, each ending in `.`
 */
export function sampleNames(
  model: Sequential,
  g: Generator,
  vocab: CharVocab,
  blockSize = 8,
  count = 20,
): string[] {
  return todo(
    "08.7",
    "sampleNames: the lecture's sampling loop, from an all-'.' context until '.'",
  );
}
