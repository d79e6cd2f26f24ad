/**
 * Kata 07 reference, steps 07.8–07.9 (the lecture's exercise 4): training the
 * BatchNorm'd MLP with the backward pass written by hand — no `backward()` —
 * then calibrating BatchNorm on the training set, evaluating and sampling.
 *
 * @module
 */

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
  const emb = index(p.C, Xb);
  const embcat = emb.view(Xb.shape[0], -1);
  const hprebn = embcat.matmul(p.W1).add(p.b1);
  const bnmean = hprebn.mean(0, { keepdim: true });
  const bnvar = hprebn.var(0, { keepdim: true, unbiased: true });
  const bnvar_inv = bnvar.add(1e-5).pow(-0.5);
  const bnraw = hprebn.sub(bnmean).mul(bnvar_inv);
  const h = p.bngain.mul(bnraw).add(p.bnbias).tanh();
  const logits = h.matmul(p.W2).add(p.b2);
  const loss = F.crossEntropy(logits, Yb);
  return { emb, embcat, bnvar_inv, bnraw, h, logits, loss };
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
  const dlogits = crossEntropyBackward(c.logits, Yb);
  const dh = dlogits.matmul(p.W2.T);
  const dW2 = c.h.T.matmul(dlogits);
  const db2 = dlogits.sum(0);
  const dhpreact = c.h.mul(c.h).neg().add(1).mul(dh); // 1 - h², with h·h cheaper than h ** 2
  const dbngain = c.bnraw.mul(dhpreact).sum(0, { keepdim: true });
  const dbnbias = dhpreact.sum(0, { keepdim: true });
  const dhprebn = batchNormBackward(dhpreact, p.bngain, c.bnvar_inv, c.bnraw);
  const dembcat = dhprebn.matmul(p.W1.T);
  const dW1 = c.embcat.T.matmul(dhprebn);
  const db1 = dhprebn.sum(0);
  const demb = dembcat.view(c.emb.shape);
  const dC = zerosLike(p.C);
  indexPut_(dC, Xb.reshape(-1), demb.reshape(-1, p.C.shape[1]), { accumulate: true });
  return [dC, dW1, db1, dW2, db2, dbngain, dbnbias];
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
  const { steps, batchSize = 32, lr = lectureLr } = options;
  const params = [p.C, p.W1, p.b1, p.W2, p.b2, p.bngain, p.bnbias];
  const losses = new Float32Array(steps);
  noGrad(() => {
    for (let i = 0; i < steps; i++) {
      const ix = randint(0, X.shape[0], [batchSize], { generator: g });
      const Xb = index(X, ix), Yb = index(Y, ix);
      const c = forwardStep(p, Xb, Yb);
      const grads = manualGrads(p, c, Xb, Yb);
      const rate = lr(i);
      params.forEach((q, k) => q.add_(grads[k], { alpha: -rate }));
      losses[i] = c.loss.itemSync();
      options.onStep?.(i, losses[i]);
    }
  });
  return losses;
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
  return noGrad(() => {
    const hpreact = index(p.C, X).view(X.shape[0], -1).matmul(p.W1).add(p.b1);
    return {
      bnmean: hpreact.mean(0, { keepdim: true }),
      bnvar: hpreact.var(0, { keepdim: true, unbiased: true }),
    };
  });
}

/**
 * The logits with BatchNorm in evaluation mode: the calibrated statistics
 * instead of the batch's.
 *
 * @param p the parameters
 * @param bn the calibrated statistics
 * @param X int32 contexts
 * @returns the logits `(n, vocabSize)`
 */
function evalLogits(p: NetParams, bn: BatchNormStats, X: Tensor): Tensor {
  const hpreact = index(p.C, X).view(X.shape[0], -1).matmul(p.W1).add(p.b1);
  const normed = hpreact.sub(bn.bnmean).mul(bn.bnvar.add(1e-5).pow(-0.5));
  return p.bngain.mul(normed).add(p.bnbias).tanh().matmul(p.W2).add(p.b2);
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
  return noGrad(() => F.crossEntropy(evalLogits(p, bn, X), Y).itemSync());
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
  const blockSize = p.W1.shape[0] / p.C.shape[1];
  return noGrad(() => {
    const names: string[] = [];
    for (let k = 0; k < count; k++) {
      let context: number[] = new Array(blockSize).fill(0);
      let out = "";
      while (true) {
        const logits = evalLogits(p, bn, tensor([context], { dtype: "int32" }));
        const ix = multinomial(F.softmax(logits, 1), 1, { generator: g }).itemSync();
        context = [...context.slice(1), ix];
        out += vocab.itos[ix];
        if (ix === 0) break;
      }
      names.push(out);
    }
    return names;
  });
}
