/**
 * Kata 07 reference, steps 07.6–07.7 (the lecture's exercises 2 and 3): the
 * backward pass of cross-entropy and of BatchNorm, each in one expression,
 * worked out on paper from the whole formula instead of chunk by chunk.
 *
 * @module
 */

import { F, oneHot, type Tensor } from "../../mod.ts";

/**
 * `dloss/dlogits` of `F.crossEntropy(logits, Yb)` in one go: the softmax of
 * each row, minus one at the row's target, divided by the batch size.
 *
 * @param logits `(n, vocabSize)`
 * @param Yb int32 targets `(n)`
 * @returns `dlogits` `(n, vocabSize)`
 */
export function crossEntropyBackward(logits: Tensor, Yb: Tensor): Tensor {
  const [n, vocabSize] = logits.shape;
  return F.softmax(logits, 1).sub(oneHot(Yb, vocabSize).to("float32")).div(n);
}

/**
 * `dloss/dhprebn` through BatchNorm (training mode, Bessel-corrected variance)
 * in one expression:
 * `bngain · bnvar_inv / n · (n · dhpreact − Σ dhpreact − n/(n−1) · bnraw · Σ (dhpreact · bnraw))`,
 * the sums over the batch.
 *
 * @param dhpreact the gradient at the BatchNorm output `(n, nHidden)`
 * @param bngain the gain `(1, nHidden)`
 * @param bnvar_inv `(var + 1e-5) ** -0.5` `(1, nHidden)`
 * @param bnraw the normalised input `(n, nHidden)`
 * @returns `dhprebn` `(n, nHidden)`
 */
export function batchNormBackward(
  dhpreact: Tensor,
  bngain: Tensor,
  bnvar_inv: Tensor,
  bnraw: Tensor,
): Tensor {
  const n = dhpreact.shape[0];
  const sum = dhpreact.sum(0, { keepdim: true }); // (1, nHidden)
  const sumRaw = dhpreact.mul(bnraw).sum(0, { keepdim: true }); // (1, nHidden)
  return bngain.mul(bnvar_inv).div(n).mul(
    dhpreact.mul(n).sub(sum).sub(bnraw.mul(n / (n - 1)).mul(sumRaw)),
  );
}
