/**
 * Kata 10, step 10.7: gpt.py's training loop and its `estimate_loss`, for any
 * model with the lecture's `forward(idx, targets)`. `sampleBatch` (kata 09's
 * `getBatch`) is given. Replace every `todo(...)` with your code.
 *
 * From the library: `model.eval()` / `model.train()`, `noGrad`, `itemSync()`
 * [`.item()`], `new optim.AdamW(params, { lr })`, `zeroGrad()`, `backward()`,
 * `step()`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { type Generator, getBatch, noGrad, optim, type Tensor, tensor } from "../../mod.ts";

/** A model as the lecture's loop uses it. */
export interface LanguageModel {
  /** `(B, T)` ids and targets → logits and the loss. */
  forward(idx: Tensor, targets?: Tensor): { logits: Tensor; loss: Tensor | null };
  /** The trainable parameters. */
  parameters(): Tensor[];
  /** Training mode (dropout on). */
  train(mode?: boolean): unknown;
  /** Evaluation mode (dropout off). */
  eval(): unknown;
}

/** The batch shape. */
export interface BatchOptions {
  /** Windows per batch B (16 for the small config, 64 for gpt.py). */
  batchSize: number;
  /** Tokens per window T (32, 256). */
  blockSize: number;
}

/**
 * gpt.py's `get_batch` (kata 09's `getBatch`, given here): `B` random windows
 * of `data` and the same windows one token later.
 *
 * @param data the split
 * @param g the generator of the window starts
 * @param opts batch size and block size
 * @returns `x` and `y`, `(B, T)` int32 each
 */
export function sampleBatch(
  data: Int32Array,
  g: Generator,
  opts: BatchOptions,
): { x: Tensor; y: Tensor } {
  const { batchSize: B, blockSize: T } = opts;
  const { x, y } = getBatch(data, B, T, (lo, hi, n) => g.integers(lo, hi, n));
  const ids = (a: Int32Array) => tensor(a, { dtype: "int32" }).view(B, T);
  return { x: ids(x), y: ids(y) }; // (B, T) each
}

/** Options of {@link estimateLoss}. */
export interface EstimateOptions extends BatchOptions {
  /** Batches to average (200). */
  evalIters?: number;
}

/**
 * gpt.py's `estimate_loss` for one split: the mean loss of `evalIters` random
 * batches, in evaluation mode (dropout off) and without a graph; the model is
 * back in training mode afterwards.
 *
 * @param model the model
 * @param data the split
 * @param g the generator of the batches
 * @param opts evalIters (200), batch size, block size
 * @returns the mean loss
 */
export function estimateLoss(
  model: LanguageModel,
  data: Int32Array,
  g: Generator,
  opts: EstimateOptions,
): number {
  return todo(
    "10.7",
    "estimateLoss: eval mode, the mean loss of evalIters batches, no graph, back to train mode",
  );
}

/** Options of {@link train}. */
export interface TrainOptions extends BatchOptions {
  /** Optimizer steps. */
  steps: number;
  /** AdamW's learning rate (1e-3). */
  lr?: number;
  /** Called after every step with its index and loss (a number read back each step). */
  onStep?: (step: number, loss: number) => void;
}

/**
 * gpt.py's loop: `AdamW(model.parameters(), lr)`; every step a batch, the
 * loss, `zero_grad`, `backward`, `step`.
 *
 * @param model the model, in training mode
 * @param data the training split
 * @param g the generator of the batches
 * @param opts steps, batch shape, lr, onStep
 * @returns the optimizer (to continue) and the loss of every step
 */
export function train(
  model: LanguageModel,
  data: Int32Array,
  g: Generator,
  opts: TrainOptions,
): { optimizer: optim.AdamW; losses: number[] } {
  return todo("10.7", "train: AdamW(lr), then per step: batch, loss, zeroGrad, backward, step");
}
