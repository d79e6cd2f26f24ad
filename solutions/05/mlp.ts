/**
 * Kata 05 reference, steps 05.3–05.9: the Bengio et al. (2003) MLP of
 * makemore part 2, written with katagrad the way the lecture writes it with
 * torch: raw parameter tensors, `C[X]`, `view`, `tanh`, `F.crossEntropy`,
 * minibatches from a `Generator`, the learning-rate range test, split losses
 * and sampling.
 *
 * @module
 */

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
  const { vocabSize = 27, blockSize = 3, embedding = 10, hidden = 200 } = config;
  const C = randn([vocabSize, embedding], { generator: g });
  const W1 = randn([blockSize * embedding, hidden], { generator: g });
  const b1 = randn(hidden, { generator: g });
  const W2 = randn([hidden, vocabSize], { generator: g });
  const b2 = randn(vocabSize, { generator: g });
  for (const p of [C, W1, b1, W2, b2]) p.requiresGrad = true;
  return { C, W1, b1, W2, b2 };
}

/**
 * @param p the parameters
 * @returns `[C, W1, b1, W2, b2]`
 */
export function parameters(p: MlpParams): Tensor[] {
  return [p.C, p.W1, p.b1, p.W2, p.b2];
}

/**
 * `sum(p.nelement() for p in parameters)`.
 *
 * @param p the parameters
 * @returns the number of trainable numbers (11,897 for the lecture's model)
 */
export function numParameters(p: MlpParams): number {
  return parameters(p).reduce((n, q) => n + q.size, 0);
}

/**
 * The embedding lookup `C[X]`: row `X[i, j]` of `C` for every context character.
 *
 * @param C the table `(vocabSize, embedding)`
 * @param X int32 contexts `(n, blockSize)`
 * @returns `(n, blockSize, embedding)`
 */
export function embed(C: Tensor, X: Tensor): Tensor {
  return index(C, X);
}

/**
 * The hidden layer: `tanh(emb.view(-1, blockSize · embedding) @ W1 + b1)`.
 *
 * @param p the parameters
 * @param emb the embeddings `(n, blockSize, embedding)`
 * @returns `(n, hidden)`
 */
export function hiddenLayer(p: MlpParams, emb: Tensor): Tensor {
  const [, blockSize, embedding] = emb.shape;
  // (n, blockSize, embedding) -> (n, blockSize · embedding): each row is the context's
  // embeddings one after the other, character by character
  return emb.view(-1, blockSize * embedding).matmul(p.W1).add(p.b1).tanh();
}

/**
 * The whole network: `logits = hiddenLayer(C[X]) @ W2 + b2`.
 *
 * @param p the parameters
 * @param X int32 contexts `(n, blockSize)`
 * @returns the logits `(n, vocabSize)`
 */
export function forward(p: MlpParams, X: Tensor): Tensor {
  const h = hiddenLayer(p, embed(p.C, X)); // (n, hidden)
  return h.matmul(p.W2).add(p.b2); // (n, vocabSize)
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
  const counts = logits.exp();
  const prob = counts.div(counts.sum(1, { keepdim: true }));
  return index(prob, [arange(Y.shape[0]), Y]).log().mean().neg();
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
  return F.crossEntropy(forward(p, X), Y);
}

/**
 * The lecture's schedule: 0.1 for the first 100,000 steps, then 0.01.
 *
 * @param step the step, from 0
 * @returns the learning rate
 */
export function lectureLr(step: number): number {
  return step < 100_000 ? 0.1 : 0.01;
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
  const { steps, batchSize = 32, lr = lectureLr } = options;
  const params = parameters(p);
  const losses = new Float32Array(steps);
  for (let i = 0; i < steps; i++) {
    const ix = randint(0, X.shape[0], [batchSize], { generator: g });
    const loss = mlpLoss(p, index(X, ix), index(Y, ix));
    for (const q of params) q.grad = null;
    loss.backward();
    const rate = lr(i);
    noGrad(() => {
      for (const q of params) q.add_(q.grad!, { alpha: -rate });
    });
    losses[i] = loss.itemSync();
    options.onStep?.(i, losses[i]);
  }
  return losses;
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
  const { steps = 1000, batchSize = 32, from = -3, to = 0 } = options;
  const lre = linspace(from, to, steps).dataSync() as Float32Array;
  const lrs = lre.map((e) => 10 ** e);
  const losses = train(p, X, Y, g, { steps, batchSize, lr: (i) => lrs[i] });
  return { lre, lrs, losses };
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
  let sum = 0;
  let best = Infinity, bestEnd = window - 1;
  for (let i = 0; i < losses.length; i++) {
    sum += losses[i];
    if (i >= window) sum -= losses[i - window];
    if (i >= window - 1 && sum < best) {
      best = sum;
      bestEnd = i;
    }
  }
  return 10 ** lre[bestEnd - Math.floor(window / 2)];
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
  return noGrad(() => mlpLoss(p, X, Y).itemSync());
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
  return {
    train: splitLoss(p, s.Xtr, s.Ytr),
    dev: splitLoss(p, s.Xdev, s.Ydev),
    test: splitLoss(p, s.Xte, s.Yte),
  };
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
  const blockSize = p.W1.shape[0] / p.C.shape[1];
  return noGrad(() => {
    const names: string[] = [];
    for (let k = 0; k < count; k++) {
      let context: number[] = new Array(blockSize).fill(0);
      let out = "";
      while (true) {
        const logits = forward(p, tensor([context], { dtype: "int32" })); // (1, vocabSize)
        const probs = F.softmax(logits, 1);
        const ix = multinomial(probs, 1, { generator: g }).itemSync();
        context = [...context.slice(1), ix];
        out += vocab.itos[ix];
        if (ix === 0) break;
      }
      names.push(out);
    }
    return names;
  });
}
