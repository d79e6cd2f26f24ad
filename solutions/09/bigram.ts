/**
 * Kata 09, steps 09.3–09.5 (reference solution): the GPT lecture's
 * `BigramLanguageModel` — logits read off an embedding table, the loss,
 * `generate`, and training with AdamW.
 *
 * @module
 */

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
    this.tokenEmbeddingTable = this.registerModule(
      "tokenEmbeddingTable",
      new nn.Embedding(vocabSize, vocabSize, { generator: opts.generator }),
    );
  }

  /**
   * @param idx `(B, T)` int32 token ids
   * @param targets `(B, T)` int32 next tokens, optional
   * @returns logits `(B, T, vocabSize)` and the cross-entropy over the B·T positions
   */
  forward(idx: Tensor, targets?: Tensor): LmOutput {
    const logits = this.tokenEmbeddingTable.forward(idx); // (B, T, C)
    return { logits, loss: targets === undefined ? null : lmLoss(logits, targets) };
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
    return noGrad(() => {
      for (let i = 0; i < maxNewTokens; i++) {
        const { logits } = this.forward(idx); // (B, T, C)
        const last = logits.slice(1, -1).squeeze(1); // (B, C): the last time step
        const probs = F.softmax(last, -1); // (B, C)
        const next = multinomial(probs, 1, { generator: g }); // (B, 1)
        idx = cat([idx, next], 1); // (B, T + 1)
      }
      return idx;
    });
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
  const [B, T, C] = logits.shape;
  return F.crossEntropy(logits.view(B * T, C), targets.view(B * T));
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
  const { x, y } = getBatch(data, opts.batchSize ?? 32, opts.blockSize ?? 8, g);
  const { loss } = model.forward(x, y);
  opt.zeroGrad();
  loss!.backward();
  opt.step();
  return loss!.itemSync();
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
  const opt = new optim.AdamW(model.parameters(), { lr: opts.lr ?? 1e-3 });
  const losses: number[] = [];
  for (let i = 0; i < opts.steps; i++) {
    const loss = trainStep(model, opt, data, g, opts);
    losses.push(loss);
    opts.onStep?.(i, loss);
  }
  return losses;
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
  const iters = opts.evalIters ?? 200;
  model.eval();
  let total = 0;
  noGrad(() => {
    for (let k = 0; k < iters; k++) {
      const { x, y } = getBatch(data, opts.batchSize ?? 32, opts.blockSize ?? 8, g);
      total += model.forward(x, y).loss!.itemSync();
    }
  });
  model.train();
  return total / iters;
}
