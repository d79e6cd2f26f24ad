/**
 * Kata 07, steps 07.6–07.7 (the lecture's exercises 2 and 3): the backward
 * pass of cross-entropy and of BatchNorm, each in one expression, worked out
 * on paper from the whole formula instead of chunk by chunk. Replace every
 * `todo(...)` with your code; `deno test katas/07` tells you what to do next.
 *
 * From the library: `F.softmax(logits, 1)`, `oneHot(Yb, classes)` (int32:
 * `.to("float32")`), `sum(0, { keepdim: true })`, `mul`, `div`, `sub`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
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
  return todo(
    "07.6",
    "crossEntropyBackward: (softmax(logits) - one_hot(Yb)) / n in one expression",
  );
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
  return todo("07.7", "batchNormBackward: dhprebn from dhpreact in one expression");
}
