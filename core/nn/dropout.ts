/**
 * `Dropout`, active in training mode only.
 *
 * @module
 */

import { dropout } from "../ops/normalization.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { Module } from "./module.ts";
import { checkInstance, checkNumber, checkOptions } from "../validate.ts";

/** Options of {@linkcode Dropout}. */
export interface DropoutOptions {
  /** The generator masks are drawn from (default: the process-wide one). */
  generator?: Generator;
}

/**
 * Zeroes each element with probability p in training and scales the rest by 1/(1 − p)
 * (`nn.Dropout`, via `F.dropout`); the identity after `eval()`.
 *
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { ones } from "../ops/creation.ts";
 * import { Dropout } from "./dropout.ts";
 * const drop = new Dropout(0.2);
 * const y = drop.forward(ones([1000])).dataSync();
 * ok(y.every((v) => v === 0 || Math.abs(v - 1.25) < 1e-6));
 * const x = ones([3]);
 * equal(drop.eval().forward(x), x);
 * ```
 */
export class Dropout extends Module {
  /** The probability of zeroing an element. */
  readonly p: number;
  #generator?: Generator;

  /**
   * Creates the layer.
   *
   * @param p the drop probability (default 0.5)
   * @param opts generator
   * @throws {RangeError} when p is outside [0, 1]
   */
  constructor(p = 0.5, opts: DropoutOptions = {}) {
    super();
    this.p = checkNumber("Dropout", "p", p, { min: 0, max: 1 });
    const o = checkOptions("Dropout", opts, ["generator"]);
    if (o.generator !== undefined) {
      checkInstance("Dropout", "generator", o.generator, Generator, "a Generator");
    }
    this.#generator = o.generator;
  }

  /**
   * The hyper-parameters `toString()` shows.
   *
   * @returns the text inside the parentheses
   */
  protected override extraRepr(): string {
    return `p=${this.p}`;
  }

  /**
   * Applies dropout in training, nothing in evaluation.
   *
   * @param x a float32 tensor
   * @returns the masked, rescaled x (x itself in evaluation)
   */
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, generator: this.#generator });
  }
}
