/**
 * The `F` namespace object, PyTorch's `torch.nn.functional` in JavaScript casing:
 * `F.crossEntropy(logits, ys)` for `F.cross_entropy(logits, ys)`.
 *
 * @module
 */

import { embedding, oneHot } from "./encoding.ts";
import {
  causalSoftmax,
  crossEntropy,
  logSoftmax,
  mseLoss,
  nllLoss,
  softmax,
} from "./functional.ts";
import { linear } from "./linear.ts";
import { batchNorm, dropout, layerNorm } from "./normalization.ts";
import { gelu, relu, tanh } from "./unary.ts";

/**
 * Neural-network functions: softmax, logSoftmax, causalSoftmax, crossEntropy, nllLoss, mseLoss, layerNorm,
 * batchNorm, dropout, embedding, oneHot, linear, and the activations relu, gelu, tanh.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { F } from "./nn_functional.ts";
 * const logits = tensor([[2, 0, -1], [0, 1, 0]], { requiresGrad: true });
 * const loss = F.crossEntropy(logits, tensor([0, 1], { dtype: "int32" }));
 * loss.backward();
 * ok(loss.itemSync() > 0 && logits.grad!.dataSync()[0] < 0);
 * ```
 */
export const F = {
  softmax,
  logSoftmax,
  causalSoftmax,
  crossEntropy,
  nllLoss,
  mseLoss,
  layerNorm,
  batchNorm,
  dropout,
  embedding,
  oneHot,
  linear,
  relu,
  gelu,
  tanh,
} as const;
