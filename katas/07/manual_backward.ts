/**
 * Kata 07, steps 07.2–07.5 (the lecture's exercise 1): the gradient of every
 * intermediate tensor of the chunked forward pass, written by hand, from the
 * loss back to the embedding table. Replace every `todo(...)` with your code;
 * `deno test katas/07` tells you what to do next. Read katas/07/README.md first.
 *
 * Each stage takes the gradient that flows into it, so that the tests can
 * check it on its own against autograd, from any upstream gradient. Every
 * gradient has the shape of its tensor: where the forward pass broadcast a
 * tensor, sum its gradient back over the broadcast dimension.
 *
 * From the library: `zerosLike`, `onesLike`, `arange`, `oneHot(idx, classes)`
 * [`F.one_hot`] (int32: `.to("float32")`), `indexPut_(t, indices, values,
 * { accumulate: true })` [`t[idx] += v`], `matmul`, `.T`, `sum(dim,
 * { keepdim })`, `max(1).indices`, `view`, `reshape`, `mul`, `div`, `add`,
 * `neg`, `pow`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
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
  return todo("07.2", "dLogprobs: zeros, with -1/n at [i, Yb[i]]");
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
  return todo(
    "07.2",
    "backwardNormalise: from dlogprobs back through log and the normalisation to dcounts",
  );
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
  return todo(
    "07.2",
    "backwardExpMax: from dcounts back through exp and the max subtraction to dlogits",
  );
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
  return todo(
    "07.3",
    "backwardOutput: dh, dW2, db2 through logits = h @ W2 + b2, then dhpreact through tanh",
  );
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
  return todo(
    "07.4",
    "backwardBatchNorm: from dhpreact through every BatchNorm chunk back to dhprebn",
  );
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
  return todo(
    "07.5",
    "backwardInput: dembcat, dW1, db1, demb, and dC with every lookup added into its row",
  );
}
