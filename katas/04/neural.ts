/**
 * Kata 04, steps 04.7–04.9: the neural bigram (makemore part 1, second half):
 * one-hot × W, softmax, NLL plus regularisation, full-batch gradient descent,
 * sampling from the net. Replace every `todo(...)` with your code;
 * `deno test katas/04` tells you what to do next. Read katas/04/README.md first.
 *
 * From the library (`../../mod.ts`): `F.oneHot`, `arange`, `index`, `tensor`,
 * `multinomial`, `noGrad`, `Generator`, and the Tensor methods `to`, `matmul`,
 * `exp`, `sum`, `div`, `log`, `mean`, `neg`, `pow`, `mul`, `add`, `backward`,
 * `grad`, `sub_`, `itemSync`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import type { Generator, Tensor } from "../../mod.ts";

/**
 * The softmax of each row: `counts = logits.exp(); counts / counts.sum(1, keepdim=True)`.
 *
 * @param logits (n, C) float32
 * @returns (n, C) probabilities, each row summing to 1 (differentiable)
 */
export function softmax(logits: Tensor): Tensor {
  return todo("04.7", "softmax: exp, then divide each row by its sum (keepdim)");
}

/**
 * The neural bigram's forward pass: `xenc = F.one_hot(xs, 27).float()`,
 * `logits = xenc @ W`, `probs = softmax(logits)`.
 *
 * @param W the (27, 27) weights
 * @param xs the input characters, int32 (n)
 * @returns (n, 27) probabilities of the next character
 */
export function bigramProbs(W: Tensor, xs: Tensor): Tensor {
  return todo("04.7", "bigramProbs: softmax(oneHot(xs) as float32 @ W)");
}

/**
 * The loss: `-probs[arange(n), ys].log().mean() + reg * (W**2).mean()`.
 *
 * @param W the (27, 27) weights
 * @param xs input characters
 * @param ys target characters
 * @param reg the regularisation strength (default 0.01)
 * @returns the scalar loss, differentiable with respect to W
 */
export function bigramLoss(W: Tensor, xs: Tensor, ys: Tensor, reg = 0.01): Tensor {
  return todo("04.8", "bigramLoss: -mean(log probs[arange(n), ys]) + reg * mean(W²)");
}

/** Options of {@link trainBigramNet}. */
export interface TrainOptions {
  /** Full-batch steps (default 100). */
  steps?: number;
  /** The learning rate (default 50). */
  lr?: number;
  /** The regularisation strength (default 0.01). */
  reg?: number;
}

/**
 * Full-batch gradient descent on {@link bigramLoss}, `steps` times: forward,
 * `W.grad = null`, `backward()`, `W.data += -lr * W.grad`.
 *
 * @param W the weights, `requiresGrad`; updated in place
 * @param xs input characters
 * @param ys target characters
 * @param options steps, lr and reg
 * @returns the loss of each step, before its update
 */
export function trainBigramNet(
  W: Tensor,
  xs: Tensor,
  ys: Tensor,
  options: TrainOptions = {},
): number[] {
  return todo("04.8", "trainBigramNet: loss, W.grad = null, backward, W -= lr·grad — steps times");
}

/**
 * Samples names from the net as `sampleNames` does from the counts, with
 * `p = bigramProbs(W, [ix])` in place of `P[ix]`.
 *
 * @param W the (27, 27) weights
 * @param itos index → character
 * @param count how many names
 * @param generator the random stream, shared by every draw, in order
 * @returns the names, each ending in `.`
 */
export function sampleFromNet(
  W: Tensor,
  itos: readonly string[],
  count: number,
  generator: Generator,
): string[] {
  return todo("04.9", "sampleFromNet: sampleNames with p = bigramProbs(W, [ix])");
}
