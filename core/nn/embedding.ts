/**
 * `Embedding`, a lookup table of learnable rows (`C[X]` in the makemore lectures).
 *
 * @module
 */

import { embedding } from "../ops/encoding.ts";
import { empty } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { normal_ } from "./init.ts";
import { Module } from "./module.ts";
import { checkInstance, checkNumber, checkOptions } from "../validate.ts";

/** Options of {@linkcode Embedding}. */
export interface EmbeddingOptions {
  /** The generator the N(0, 1) init draws from (default: the process-wide one). */
  generator?: Generator;
}

/**
 * A table of `numEmbeddings` rows of width `embeddingDim`, initialised N(0, 1) as
 * `nn.Embedding` (the same bits after the same seed); `forward(idx)` picks rows.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { Embedding } from "./embedding.ts";
 * const emb = new Embedding(27, 10);
 * const x = tensor([[1, 2, 3], [0, 0, 5]], { dtype: "int32" });
 * deepEqual(emb.forward(x).shape, [2, 3, 10]);
 * ```
 */
export class Embedding extends Module {
  /** `(numEmbeddings, embeddingDim)`. */
  readonly weight: Tensor;

  /**
   * Creates the table.
   *
   * @param numEmbeddings the number of rows (vocabulary size)
   * @param embeddingDim the row width
   * @param opts generator
   * @throws {RangeError} when a size is not a positive integer
   */
  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    checkNumber("Embedding", "numEmbeddings", numEmbeddings, { integer: true, min: 1 });
    checkNumber("Embedding", "embeddingDim", embeddingDim, { integer: true, min: 1 });
    const o = checkOptions("Embedding", opts, ["generator"]);
    if (o.generator !== undefined) {
      checkInstance("Embedding", "generator", o.generator, Generator, "a Generator");
    }
    this.weight = this.registerParameter("weight", empty([numEmbeddings, embeddingDim], "float32"));
    normal_(this.weight, { generator: opts.generator });
  }

  /**
   * The hyper-parameters `toString()` shows.
   *
   * @returns the text inside the parentheses
   */
  protected override extraRepr(): string {
    return `${this.weight.shape[0]}, ${this.weight.shape[1]}`;
  }

  /**
   * The rows named by `idx`.
   *
   * @param idx int32 indices of any shape
   * @returns `(...idx.shape, embeddingDim)`
   * @throws {DTypeError} when idx is not int32
   * @throws {IndexError} when an index is out of range
   */
  forward(idx: Tensor): Tensor {
    return embedding(idx, this.weight);
  }
}
