/**
 * Kata 09, steps 09.3–09.5: the GPT lecture's `BigramLanguageModel` — logits
 * read off an embedding table, the loss, `generate`, and training with AdamW.
 * Replace every `todo(...)` with your code; `deno test katas/09` tells you
 * what to do next. Read katas/09/README.md first.
 *
 * From the library (the lecture's torch call in brackets): `nn.Module`,
 * `this.registerModule(name, m)`, `new nn.Embedding(n, d, { generator })`,
 * `view`, `F.crossEntropy` [`F.cross_entropy`], `slice(1, -1)` then
 * `squeeze(1)` [`logits[:, -1, :]`], `F.softmax(x, -1)`, `multinomial(probs, 1,
 * { generator })`, `cat([a, b], 1)` [`torch.cat`], `noGrad` [`torch.no_grad`],
 * `new optim.AdamW(params, { lr })`, `opt.zeroGrad()`, `loss.backward()`,
 * `opt.step()`, `itemSync()` [`.item()`], `model.eval()` / `model.train()`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { cat, F, type Generator, multinomial, nn, noGrad, optim, type Tensor } from "../../mod.ts";
import { getBatch } from "./batches.ts";

/** What a language model's forward pass returns. */
export interface LmOutput {
  /** `(B, T, vocabSize)`: scores for the next token at every position. */
  logits: Tensor;
  /** The mean cross-entropy against the targets, or null without targets. */
  loss: Tensor | null;
}

/** A model `train` and `estimateLoss` can drive. */
export interface LanguageModel {
  /**
   * @param idx `(B, T)` int32 token ids
   * @param targets `(B, T)` int32 next tokens, optional
   */
  forward(idx: Tensor, targets?: Tensor): LmOutput;
  /** @returns every trainable tensor */
  parameters(): Tensor[];
  /** Switches to evaluation mode. */
  eval(): unknown;
  /** Switches back to training mode. */
  train(): unknown;
}

/** Options of the models' constructors. */
export interface ModelOptions {
  /** The generator the initial weights are drawn from (default: the process-wide one). */
  generator?: Generator;
}

/**
 * The lecture's bigram model: each token reads the logits for the next token
 * off row `idx` of a `(vocabSize, vocabSize)` table.
 */
export class BigramLanguageModel extends nn.Module {
  /** `nn.Embedding(vocabSize, vocabSize)`: row i holds the logits that follow token i. */
  readonly tokenEmbeddingTable: nn.Embedding;

  /**
   * @param vocabSize the number of tokens (65)
   * @param opts the generator of the table's N(0, 1) init
   */
  constructor(vocabSize: number, opts: ModelOptions = {}) {
    super();
    todo("09.3", "BigramLanguageModel: register an nn.Embedding(vocabSize, vocabSize)");
  }

  /**
   * @param idx `(B, T)` int32 token ids
   * @param targets `(B, T)` int32 next tokens, optional
   * @returns logits `(B, T, vocabSize)` and the cross-entropy over the B·T positions
   */
  forward(idx: Tensor, targets?: Tensor): LmOutput {
    return todo("09.3", "forward: logits from the table, and lmLoss when targets are given");
  }

  /**
   * Extends each row of `idx` by `maxNewTokens` tokens, one at a time: the
   * softmax of the last position's logits, one draw from it, appended.
   *
   * @param idx `(B, T)` int32 context
   * @param maxNewTokens how many tokens to add
   * @param g the generator of the draws
   * @returns `(B, T + maxNewTokens)` int32
   */
  generate(idx: Tensor, maxNewTokens: number, g: Generator): Tensor {
    return todo("09.4", "generate: softmax of the last step's logits, one draw, append; repeat");
  }
}

/**
 * The lecture's loss: the logits viewed as `(B·T, C)`, the targets as
 * `(B·T)`, `F.cross_entropy`.
 *
 * @param logits `(B, T, C)`
 * @param targets `(B, T)` int32
 * @returns the mean cross-entropy (a scalar)
 */
export function lmLoss(logits: Tensor, targets: Tensor): Tensor {
  return todo("09.3", "lmLoss: logits as (B·T, C), targets as (B·T), F.crossEntropy");
}

/** The batch shape of a training or evaluation step. */
export interface BatchOptions {
  /** Windows per batch (32 for the lecture's training loop). */
  batchSize?: number;
  /** Tokens per window (8). */
  blockSize?: number;
}

/**
 * One training step: a batch from `getBatch`, forward, gradients reset, backward, `opt.step()`.
 *
 * @param model the model
 * @param opt its optimizer
 * @param data the training split
 * @param g the generator of the batch
 * @param opts batch size (32) and block size (8)
 * @returns the step's loss
 */
export function trainStep(
  model: LanguageModel,
  opt: optim.AdamW,
  data: Int32Array,
  g: Generator,
  opts: BatchOptions = {},
): number {
  return todo("09.5", "trainStep: getBatch, forward, zeroGrad, backward, step; return the loss");
}

/** Options of {@link train}. */
export interface TrainOptions extends BatchOptions {
  /** The number of steps. */
  steps: number;
  /** AdamW's learning rate (1e-3). */
  lr?: number;
  /** Called after every step with its index and loss. */
  onStep?: (step: number, loss: number) => void;
}

/**
 * The lecture's loop: `AdamW(model.parameters(), lr)` and `steps` calls of {@link trainStep}.
 *
 * @param model the model
 * @param data the training split
 * @param g the generator of the batches
 * @param opts steps, batch shape, learning rate
 * @returns the loss of every step
 */
export function train(
  model: LanguageModel,
  data: Int32Array,
  g: Generator,
  opts: TrainOptions,
): number[] {
  return todo("09.5", "train: an AdamW over model.parameters(), then steps trainSteps");
}

/** Options of {@link estimateLoss}. */
export interface EstimateOptions extends BatchOptions {
  /** Batches to average over (200). */
  evalIters?: number;
}

/**
 * The lecture's `estimate_loss` for one split: the mean loss of `evalIters`
 * random batches, in eval mode and without recording a graph.
 *
 * @param model the model
 * @param data the split
 * @param g the generator of the batches
 * @param opts evalIters (200), batch size (32), block size (8)
 * @returns the mean loss
 */
export function estimateLoss(
  model: LanguageModel,
  data: Int32Array,
  g: Generator,
  opts: EstimateOptions = {},
): number {
  return todo("09.5", "estimateLoss: mean loss of evalIters batches, in eval mode, under noGrad");
}
