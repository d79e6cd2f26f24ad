/**
 * Kata 14, steps 14.8–14.10: Adam, the training loop and sampling.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import type { Value } from "./autograd.ts";
import { type Config, parameters, type StateDict, type Tokenizer } from "./data.ts";
import { documentLoss, gpt } from "./network.ts";
import { softmax } from "./layers.ts";
import { emptyCache } from "./multi_head.ts";
import type { PyRandom } from "../../mod.ts";

/** Adam's constants. */
export interface AdamOptions {
  /** β1, the first moment's decay (0.85). */
  beta1?: number;
  /** β2, the second moment's decay (0.99). */
  beta2?: number;
  /** Added to the denominator (1e-8). */
  eps?: number;
}

/** Adam with bias-corrected moments, one pair of moments per parameter. */
export class Adam {
  /** The parameters it updates. */
  readonly params: readonly Value[];
  /** β1. */
  readonly beta1: number;
  /** β2. */
  readonly beta2: number;
  /** eps. */
  readonly eps: number;
  /** First moments. */
  readonly m: Float64Array;
  /** Second moments. */
  readonly v: Float64Array;
  /** Updates made so far. */
  t = 0;

  /**
   * @param params the parameters
   * @param opts beta1 (0.85), beta2 (0.99), eps (1e-8)
   */
  constructor(params: readonly Value[], opts: AdamOptions = {}) {
    this.params = params;
    this.beta1 = opts.beta1 ?? 0.85;
    this.beta2 = opts.beta2 ?? 0.99;
    this.eps = opts.eps ?? 1e-8;
    this.m = new Float64Array(params.length);
    this.v = new Float64Array(params.length);
  }

  /**
   * One update at learning rate `lr`, then every grad set back to 0:
   * `m = β1·m + (1-β1)·g`, `v = β2·v + (1-β2)·g²`, `m̂ = m / (1-β1^t)`,
   * `v̂ = v / (1-β2^t)`, `p -= lr · m̂ / (√v̂ + eps)` with t counted from 1.
   *
   * @param lr this step's learning rate
   */
  step(lr: number): void {
    todo("14.8", "Adam.step: moments, bias correction with t from 1, update, zero the grads");
  }
}

/** The run's pieces. */
export interface Model {
  /** The weights. */
  sd: StateDict;
  /** The sizes. */
  config: Config;
  /** Characters to ids. */
  tokenizer: Tokenizer;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Steps to run now (1000). */
  steps?: number;
  /** The schedule's length: lr decays linearly to 0 over it (1000). */
  numSteps?: number;
  /** The initial learning rate (0.01). */
  lr?: number;
  /** Called after each step with its number (from 0) and loss. */
  onStep?: (step: number, loss: number) => void;
}

/**
 * Trains on one document per step, `docs[step % docs.length]`: loss,
 * backward, Adam at `lr · (1 - step / numSteps)`.
 *
 * @param model the weights, sizes and tokenizer
 * @param docs the shuffled documents
 * @param opts steps, numSteps, lr, onStep
 * @returns each step's loss
 */
export function train(model: Model, docs: readonly string[], opts: TrainOptions = {}): number[] {
  return todo(
    "14.9",
    "train: per step a document's loss, backward, adam.step(lr * (1 - step / numSteps))",
  );
}

/**
 * One name: from BOS at position 0, logits divided by the temperature,
 * softmax, the next token drawn with `rng.choices(ids, { weights })`, until BOS
 * or blockSize tokens.
 *
 * @param model the weights, sizes and tokenizer
 * @param rng the generator (continues the run's stream)
 * @param temperature below 1 sharpens (0.5)
 * @returns the name
 */
export function sampleName(model: Model, rng: PyRandom, temperature = 0.5): string {
  return todo("14.10", "sampleName: from BOS, softmax(logits / T), rng.choices with the weights");
}
