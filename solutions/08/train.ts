/**
 * Kata 08 reference, step 08.7: the lecture's optimisation (notebook cells
 * 10–14) — minibatch SGD with the step decay 0.1 → 0.01 at step 150,000, the
 * loss of a whole split in evaluation mode, and sampling names.
 *
 * @module
 */

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
  return step < 150_000 ? 0.1 : 0.01;
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
  const { steps, batchSize = 32, lr = lectureLr } = options;
  const params = model.parameters();
  setTraining(model, true);
  const losses = new Float32Array(steps);
  for (let i = 0; i < steps; i++) {
    const ix = randint(0, X.shape[0], [batchSize], { generator: g });
    const logits = model.forward(index(X, ix)); // (batchSize, vocabSize)
    const loss = F.crossEntropy(logits, index(Y, ix));
    for (const p of params) p.grad = null;
    loss.backward();
    const rate = lr(i);
    noGrad(() => {
      for (const p of params) p.add_(p.grad!, { alpha: -rate });
    });
    losses[i] = loss.itemSync();
    options.onStep?.(i, losses[i]);
  }
  return losses;
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
  setTraining(model, false);
  return noGrad(() => F.crossEntropy(model.forward(X), Y).itemSync());
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
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    const out: number[] = [];
    while (true) {
      const probs = F.softmax(nextLogits(model, out, blockSize), 1); // (1, vocabSize)
      const ix = multinomial(probs, 1, { generator: g }).itemSync();
      out.push(ix);
      if (ix === 0) break;
    }
    names.push(out.map((i) => vocab.itos[i]).join(""));
  }
  return names;
}
