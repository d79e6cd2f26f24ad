/**
 * Kata 08 reference, step 08.5: the lecture's models as `Sequential`s
 * (notebook cell 9) — the flat MLP over 8 characters and the hierarchical
 * "WaveNet" that fuses two neighbours at a time.
 *
 * @module
 */

import { type Generator, noGrad } from "../../mod.ts";
import { BatchNorm1d, Embedding, FlattenConsecutive, Linear, Sequential, Tanh } from "./layers.ts";

/** The sizes of a model. */
export interface ModelConfig {
  /** Characters (27). */
  vocabSize?: number;
  /** Context length (8). */
  blockSize?: number;
  /** Width of a character's embedding (24 hierarchical, 10 flat). */
  nEmbd?: number;
  /** Width of each hidden layer (128 hierarchical, 200 flat). */
  nHidden?: number;
}

/** Scales the last layer's weight by 0.1 ("less confident") and makes every parameter trainable. */
function finish(model: Sequential): Sequential {
  const last = model.layers[model.layers.length - 1] as Linear;
  noGrad(() => {
    last.weight = last.weight.mul(0.1);
  });
  for (const p of model.parameters()) p.requiresGrad = true;
  return model;
}

/**
 * The lecture's hierarchical network: Embedding, then three times
 * [FlattenConsecutive(2), Linear (no bias), BatchNorm1d, Tanh], then Linear;
 * the last weight ×0.1. With the defaults: 76,579 parameters.
 *
 * @param g the generator every weight is drawn from, in layer order
 * @param config vocabSize 27, blockSize 8, nEmbd 24, nHidden 128
 * @returns the model, its parameters requiring grad
 */
export function hierarchicalModel(g: Generator, config: ModelConfig = {}): Sequential {
  const { vocabSize = 27, nEmbd = 24, nHidden = 128 } = config;
  const opts = { generator: g };
  return finish(
    new Sequential([
      new Embedding(vocabSize, nEmbd, opts), // (B, 8) -> (B, 8, nEmbd)
      new FlattenConsecutive(2), // -> (B, 4, 2·nEmbd)
      new Linear(nEmbd * 2, nHidden, { ...opts, bias: false }),
      new BatchNorm1d(nHidden),
      new Tanh(),
      new FlattenConsecutive(2), // (B, 4, nHidden) -> (B, 2, 2·nHidden)
      new Linear(nHidden * 2, nHidden, { ...opts, bias: false }),
      new BatchNorm1d(nHidden),
      new Tanh(),
      new FlattenConsecutive(2), // (B, 2, nHidden) -> (B, 2·nHidden)
      new Linear(nHidden * 2, nHidden, { ...opts, bias: false }),
      new BatchNorm1d(nHidden),
      new Tanh(),
      new Linear(nHidden, vocabSize, opts), // (B, nHidden) -> (B, vocabSize)
    ]),
  );
}

/**
 * The flat network over the whole context at once: Embedding,
 * FlattenConsecutive(blockSize), Linear (no bias), BatchNorm1d, Tanh, Linear;
 * the last weight ×0.1. With the defaults (nEmbd 10, nHidden 200): 22,097
 * parameters, the lecture's "context 3 → 8 (22K params)".
 *
 * @param g the generator every weight is drawn from, in layer order
 * @param config vocabSize 27, blockSize 8, nEmbd 10, nHidden 200
 * @returns the model, its parameters requiring grad
 */
export function flatModel(g: Generator, config: ModelConfig = {}): Sequential {
  const { vocabSize = 27, blockSize = 8, nEmbd = 10, nHidden = 200 } = config;
  const opts = { generator: g };
  return finish(
    new Sequential([
      new Embedding(vocabSize, nEmbd, opts), // (B, T) -> (B, T, nEmbd)
      new FlattenConsecutive(blockSize), // -> (B, T·nEmbd)
      new Linear(nEmbd * blockSize, nHidden, { ...opts, bias: false }),
      new BatchNorm1d(nHidden),
      new Tanh(),
      new Linear(nHidden, vocabSize, opts),
    ]),
  );
}

/**
 * @param model a model
 * @returns the number of trainable numbers
 */
export function numParameters(model: Sequential): number {
  return model.parameters().reduce((n, p) => n + p.size, 0);
}

/**
 * Puts every layer in training (true) or evaluation mode (false), as the
 * lecture's `for layer in model.layers: layer.training = False`.
 *
 * @param model the model
 * @param training the mode
 */
export function setTraining(model: Sequential, training: boolean): void {
  for (const layer of model.layers) layer.training = training;
}
