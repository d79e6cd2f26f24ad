/**
 * Kata 14, steps 14.8–14.10: Adam, the training loop and sampling.
 *
 * @module
 */

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
    const { beta1: b1, beta2: b2, eps, m, v } = this;
    this.t++;
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      m[i] = b1 * m[i] + (1 - b1) * p.grad;
      v[i] = b2 * v[i] + (1 - b2) * p.grad ** 2;
      const mHat = m[i] / (1 - b1 ** this.t);
      const vHat = v[i] / (1 - b2 ** this.t);
      p.data -= lr * mHat / (vHat ** 0.5 + eps);
      p.grad = 0;
    }
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
  const { steps = 1000, numSteps = 1000, lr = 0.01 } = opts;
  const { sd, config, tokenizer } = model;
  const params = parameters(sd);
  const adam = new Adam(params);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = documentLoss(tokenizer.encode(docs[step % docs.length]), sd, config);
    loss.backward();
    adam.step(lr * (1 - step / numSteps));
    losses.push(loss.data);
    opts.onStep?.(step, loss.data);
  }
  return losses;
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
  const { sd, config, tokenizer } = model;
  const caches = emptyCache(config.nLayer);
  const ids = Array.from({ length: config.vocabSize }, (_, i) => i);
  let token = tokenizer.bos;
  let out = "";
  for (let pos = 0; pos < config.blockSize; pos++) {
    const probs = softmax(gpt(token, pos, sd, caches, config).map((l) => l.div(temperature)));
    token = rng.choices(ids, { weights: probs.map((p) => p.data) })[0];
    if (token === tokenizer.bos) break;
    out += tokenizer.chars[token];
  }
  return out;
}
