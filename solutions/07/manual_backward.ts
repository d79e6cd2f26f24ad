/**
 * Kata 07 reference, steps 07.2–07.5 (the lecture's exercise 1): the gradient
 * of every intermediate tensor of the chunked forward pass, written by hand,
 * from the loss back to the embedding table.
 *
 * Each stage takes the gradient that flows into it, so that it can be
 * checked on its own against autograd, with any upstream gradient.
 *
 * @module
 */

import { arange, indexPut_, oneHot, onesLike, type Tensor, zerosLike } from "../../mod.ts";
import type { Chunks, NetParams } from "./chunks.ts";

/**
 * `dloss/dlogprobs`: the loss is `-mean(logprobs[i, Yb[i]])`, so each picked
 * entry gets `-1/n` and every other entry 0.
 *
 * @param logprobs the log probabilities `(n, vocabSize)`
 * @param Yb int32 targets `(n)`
 * @returns `dlogprobs`, shaped like `logprobs`
 */
export function dLogprobs(logprobs: Tensor, Yb: Tensor): Tensor {
  const n = logprobs.shape[0];
  const dlogprobs = zerosLike(logprobs);
  indexPut_(dlogprobs, [arange(n), Yb], -1 / n);
  return dlogprobs;
}

/** The gradients of `log` and the normalisation (07.2). */
export interface NormaliseGrads {
  /** `(n, vocabSize)` */
  dprobs: Tensor;
  /** `(n, 1)` */
  dcounts_sum_inv: Tensor;
  /** `(n, 1)` */
  dcounts_sum: Tensor;
  /** `(n, vocabSize)` */
  dcounts: Tensor;
}

/**
 * Backpropagates `dlogprobs` through `logprobs = log(probs)` and the
 * normalisation `probs = counts · counts_sum_inv`, `counts_sum_inv =
 * counts_sum ** -1`, `counts_sum = Σ₁ counts`, back to `dcounts`.
 *
 * @param f the forward pass
 * @param dlogprobs the gradient at `logprobs`
 * @returns dprobs, dcounts_sum_inv, dcounts_sum, dcounts, shaped like their chunks
 */
export function backwardNormalise(f: Chunks, dlogprobs: Tensor): NormaliseGrads {
  const dprobs = dlogprobs.div(f.probs); // d log(x) = 1/x
  // probs = counts · counts_sum_inv, counts_sum_inv broadcast over the row: sum it back
  const dcounts_sum_inv = f.counts.mul(dprobs).sum(1, { keepdim: true }); // (n, 1)
  const dcounts_sum = f.counts_sum.pow(-2).neg().mul(dcounts_sum_inv); // (n, 1)
  // counts reaches the loss twice: directly and through counts_sum
  const dcounts = f.counts_sum_inv.mul(dprobs).add(onesLike(f.counts).mul(dcounts_sum));
  return { dprobs, dcounts_sum_inv, dcounts_sum, dcounts };
}

/** The gradients of `exp` and the max subtraction (07.2). */
export interface ExpMaxGrads {
  /** `(n, vocabSize)` */
  dnorm_logits: Tensor;
  /** `(n, 1)` */
  dlogit_maxes: Tensor;
  /** `(n, vocabSize)` */
  dlogits: Tensor;
}

/**
 * Backpropagates `dcounts` through `counts = exp(norm_logits)` and
 * `norm_logits = logits - logit_maxes`, back to `dlogits`: the max's gradient
 * goes to the column where each row's maximum was.
 *
 * @param f the forward pass
 * @param dcounts the gradient at `counts`
 * @returns dnorm_logits, dlogit_maxes, dlogits
 */
export function backwardExpMax(f: Chunks, dcounts: Tensor): ExpMaxGrads {
  const dnorm_logits = f.counts.mul(dcounts); // d exp(x) = exp(x)
  const dlogit_maxes = dnorm_logits.neg().sum(1, { keepdim: true }); // (n, 1)
  // logits reach the loss directly and through the max: its gradient goes to the argmax
  const argmax = f.logits.max(1).indices;
  const dlogits = dnorm_logits.add(
    oneHot(argmax, f.logits.shape[1]).to("float32").mul(dlogit_maxes),
  );
  return { dnorm_logits, dlogit_maxes, dlogits };
}

/** The gradients of the output layer and the tanh (07.3). */
export interface OutputGrads {
  /** `(n, nHidden)` */
  dh: Tensor;
  /** `(nHidden, vocabSize)` */
  dW2: Tensor;
  /** `(vocabSize)` */
  db2: Tensor;
  /** `(n, nHidden)` */
  dhpreact: Tensor;
}

/**
 * Backpropagates `dlogits` through `logits = h @ W2 + b2` and `h = tanh(hpreact)`.
 *
 * @param f the forward pass
 * @param p the parameters
 * @param dlogits the gradient at `logits`
 * @returns dh, dW2, db2, dhpreact
 */
export function backwardOutput(f: Chunks, p: NetParams, dlogits: Tensor): OutputGrads {
  const dh = dlogits.matmul(p.W2.T); // (n, vocab) @ (vocab, nHidden)
  const dW2 = f.h.T.matmul(dlogits); // (nHidden, n) @ (n, vocab)
  const db2 = dlogits.sum(0); // b2 was broadcast over the rows
  const dhpreact = f.h.pow(2).neg().add(1).mul(dh); // tanh' = 1 - tanh²
  return { dh, dW2, db2, dhpreact };
}

/** The gradients of the BatchNorm chunks (07.4). */
export interface BatchNormGrads {
  /** `(1, nHidden)` */
  dbngain: Tensor;
  /** `(1, nHidden)` */
  dbnbias: Tensor;
  /** `(n, nHidden)` */
  dbnraw: Tensor;
  /** `(1, nHidden)` */
  dbnvar_inv: Tensor;
  /** `(1, nHidden)` */
  dbnvar: Tensor;
  /** `(n, nHidden)` */
  dbndiff2: Tensor;
  /** `(n, nHidden)` */
  dbndiff: Tensor;
  /** `(1, nHidden)` */
  dbnmeani: Tensor;
  /** `(n, nHidden)` */
  dhprebn: Tensor;
}

/**
 * Backpropagates `dhpreact` through the BatchNorm chunks: gain and bias, the
 * normalisation, the (Bessel-corrected) variance and the mean.
 *
 * @param f the forward pass
 * @param p the parameters
 * @param dhpreact the gradient at `hpreact`
 * @returns each chunk's gradient, shaped like the chunk
 */
export function backwardBatchNorm(f: Chunks, p: NetParams, dhpreact: Tensor): BatchNormGrads {
  const n = f.hprebn.shape[0];
  const dbngain = f.bnraw.mul(dhpreact).sum(0, { keepdim: true }); // (1, nHidden)
  const dbnbias = dhpreact.sum(0, { keepdim: true });
  const dbnraw = p.bngain.mul(dhpreact);
  const dbnvar_inv = f.bndiff.mul(dbnraw).sum(0, { keepdim: true });
  const dbnvar = f.bnvar.add(1e-5).pow(-1.5).mul(-0.5).mul(dbnvar_inv);
  const dbndiff2 = onesLike(f.bndiff2).mul(1 / (n - 1)).mul(dbnvar);
  // bndiff reaches the loss through bnraw and through bndiff2
  const dbndiff = f.bnvar_inv.mul(dbnraw).add(f.bndiff.mul(2).mul(dbndiff2));
  const dbnmeani = dbndiff.neg().sum(0, { keepdim: true });
  // hprebn reaches the loss through bndiff and through bnmeani
  const dhprebn = dbndiff.add(onesLike(f.hprebn).mul(dbnmeani).mul(1 / n));
  return { dbngain, dbnbias, dbnraw, dbnvar_inv, dbnvar, dbndiff2, dbndiff, dbnmeani, dhprebn };
}

/** The gradients of the first layer and the embedding (07.5). */
export interface InputGrads {
  /** `(n, blockSize · nEmbd)` */
  dembcat: Tensor;
  /** `(blockSize · nEmbd, nHidden)` */
  dW1: Tensor;
  /** `(nHidden)` */
  db1: Tensor;
  /** `(n, blockSize, nEmbd)` */
  demb: Tensor;
  /** `(vocabSize, nEmbd)` */
  dC: Tensor;
}

/**
 * Backpropagates `dhprebn` through `hprebn = embcat @ W1 + b1`, the `view`,
 * and the lookup `emb = C[Xb]`: every row of `demb` is added into the row of
 * `dC` it was read from, repeats adding up.
 *
 * @param f the forward pass
 * @param p the parameters
 * @param Xb the int32 contexts `(n, blockSize)` the forward pass looked up
 * @param dhprebn the gradient at `hprebn`
 * @returns dembcat, dW1, db1, demb, dC
 */
export function backwardInput(
  f: Chunks,
  p: NetParams,
  Xb: Tensor,
  dhprebn: Tensor,
): InputGrads {
  const dembcat = dhprebn.matmul(p.W1.T);
  const dW1 = f.embcat.T.matmul(dhprebn);
  const db1 = dhprebn.sum(0);
  const demb = dembcat.view(f.emb.shape);
  const nEmbd = p.C.shape[1];
  const dC = zerosLike(p.C);
  // dC[Xb[k, j]] += demb[k, j] for every k, j, in one accumulating write
  indexPut_(dC, Xb.reshape(-1), demb.reshape(-1, nEmbd), { accumulate: true });
  return { dembcat, dW1, db1, demb, dC };
}
