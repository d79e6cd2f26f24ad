/**
 * Kata 08, step 08.5: the lecture's models as `Sequential`s of your layers
 * (notebook cell 9) — the flat MLP over 8 characters and the hierarchical
 * "WaveNet" that fuses two neighbours at a time. Replace every `todo(...)`
 * with your code.
 *
 * From the library: `noGrad` (to scale the last weight), `requiresGrad`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
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
  return todo(
    "08.5",
    "scale the last Linear's weight by 0.1 under noGrad; every parameter requires grad",
  );
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
  return todo(
    "08.5",
    "hierarchicalModel: Embedding, 3 x [FlattenConsecutive(2), Linear, BatchNorm1d, Tanh], Linear",
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
  return todo(
    "08.5",
    "flatModel: Embedding, FlattenConsecutive(blockSize), Linear, BatchNorm1d, Tanh, Linear",
  );
}

/**
 * @param model a model
 * @returns the number of trainable numbers
 */
export function numParameters(model: Sequential): number {
  return todo("08.5", "numParameters: the sum of the parameters' sizes");
}

/**
 * Puts every layer in training (true) or evaluation mode (false), as the
 * lecture's `for layer in model.layers: layer.training = False`.
 *
 * @param model the model
 * @param training the mode
 */
export function setTraining(model: Sequential, training: boolean): void {
  todo("08.5", "setTraining: every layer's training flag");
}
