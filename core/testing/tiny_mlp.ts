/**
 * A makemore-style MLP (embedding table, one tanh hidden layer, fused
 * cross-entropy, SGD) on a chosen device, for the device tests and benches:
 * the same code on "cpu" and "webgpu", one training step per `tidy`.
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import type { Device } from "../dtype.ts";
import { tidy } from "../memory.ts";
import { tensor } from "../ops/creation.ts";
import { crossEntropy } from "../ops/functional.ts";
import { index } from "../ops/indexing.ts";
import { randn } from "../ops/random_tensors.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";

/** Sizes of the MLP. */
export interface TinyMlpSizes {
  /** Vocabulary (classes). */
  vocab: number;
  /** Embedding width. */
  embed: number;
  /** Context length. */
  block: number;
  /** Hidden units. */
  hidden: number;
  /** Examples per step. */
  batch: number;
}

/** The lecture's sizes (27 characters, block 3, embedding 10, hidden 200, batch 32). */
export const MAKEMORE_SIZES: TinyMlpSizes = {
  vocab: 27,
  embed: 10,
  block: 3,
  hidden: 200,
  batch: 32,
};

/** A model on a device with a deterministic batch stream. */
export interface TinyMlp {
  /** The parameters (C, W1, b1, W2, b2). */
  params: Tensor[];
  /** One SGD step on the next batch, inside `tidy`; returns the loss (dispose it when read). */
  step(lr?: number): Tensor;
}

/**
 * Builds the MLP: parameters drawn on the host from a seeded generator (the
 * same values on every device), batches drawn from a second generator.
 *
 * @param device where the parameters and batches live
 * @param sizes the sizes (default: the lecture's)
 * @param seed generator seed
 * @returns the model
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { makeTinyMlp } from "./tiny_mlp.ts";
 * const mlp = makeTinyMlp("cpu", { vocab: 5, embed: 2, block: 2, hidden: 8, batch: 4 });
 * const first = mlp.step(0.5).itemSync();
 * let last = first;
 * for (let i = 0; i < 50; i++) last = mlp.step(0.5).itemSync();
 * ok(last < first);
 * ```
 */
export function makeTinyMlp(
  device: Device,
  sizes: TinyMlpSizes = MAKEMORE_SIZES,
  seed = 2147483647,
): TinyMlp {
  const { vocab: V, embed: E, block: B, hidden: H, batch: N } = sizes;
  const g = new Generator(seed);
  const data = new Generator(seed + 1);
  const init = (shape: number[], scale: number): Tensor =>
    noGrad(() => {
      const t = randn(shape, { generator: g, device }).mul(scale);
      t.requiresGrad = true;
      return t;
    });
  const C = init([V, E], 1), W1 = init([E * B, H], 0.2), b1 = init([H], 0.01);
  const W2 = init([H, V], 0.01), b2 = init([V], 0);
  const params = [C, W1, b1, W2, b2];
  return {
    params,
    step(lr = 0.1): Tensor {
      // Batches: the next token is a fixed function of the context, so the loss can fall.
      const x = data.integers(0, V, N * B), y = new Int32Array(N);
      for (let i = 0; i < N; i++) y[i] = (x[i * B] + 2 * x[i * B + B - 1]) % V;
      return tidy(() => {
        const X = tensor(x, { shape: [N, B], device }), Y = tensor(y, { device });
        const h = index(C, X).view(N, E * B).matmul(W1).add(b1).tanh();
        const loss = crossEntropy(h.matmul(W2).add(b2), Y);
        for (const p of params) p.zeroGrad();
        loss.backward();
        noGrad(() => {
          for (const p of params) p.add_(p.grad!, { alpha: -lr });
        });
        return loss;
      });
    },
  };
}
