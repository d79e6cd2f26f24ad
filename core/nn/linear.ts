/**
 * `Linear`, the fully connected layer `y = x Wᵀ + b`, initialised as PyTorch's `nn.Linear`.
 *
 * @module
 */

import { formatShape, ShapeError } from "../errors.ts";
import { empty } from "../ops/creation.ts";
import type { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { kaimingUniform_, uniform_ } from "./init.ts";
import { Module } from "./module.ts";

/** Options of {@linkcode Linear}. */
export interface LinearOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
  /** The generator the init draws from (default: the process-wide one). */
  generator?: Generator;
}

/**
 * A fully connected layer: `forward(x) = x @ weight.T + bias` for input `(..., inFeatures)`.
 * The weight is `(outFeatures, inFeatures)` as in PyTorch, drawn by `kaimingUniform_(a = √5)`
 * (U(−1/√in, 1/√in)), then the bias from U(−1/√in, 1/√in): the same draws in the same order as
 * `nn.Linear`, so `new Linear(a, b, { generator: new Generator(s) })` equals
 * `torch.manual_seed(s); nn.Linear(a, b)` bit for bit.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { Generator } from "../random/generator.ts";
 * import { Linear } from "./linear.ts";
 * const fc = new Linear(30, 200, { generator: new Generator(2147483647) });
 * deepEqual(fc.weight.shape, [200, 30]);
 * deepEqual(fc.forward(zeros([32, 30])).shape, [32, 200]);
 * ```
 */
export class Linear extends Module {
  /** `(outFeatures, inFeatures)`. */
  readonly weight: Tensor;
  /** `(outFeatures)`, or null without bias. */
  readonly bias: Tensor | null;
  /** The input width. */
  readonly inFeatures: number;
  /** The output width. */
  readonly outFeatures: number;

  /**
   * Creates the layer with PyTorch's default init.
   *
   * @param inFeatures the input width
   * @param outFeatures the output width
   * @param opts bias, generator
   * @throws {RangeError} when a width is not a positive integer
   */
  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [n, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`Cannot create Linear: ${n} must be a positive integer, got ${v}`);
      }
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const g = opts.generator;
    this.weight = this.registerParameter("weight", empty([outFeatures, inFeatures], "float32"));
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator: g });
    if (opts.bias ?? true) {
      const bound = 1 / Math.sqrt(inFeatures);
      this.bias = this.registerParameter("bias", empty([outFeatures], "float32"));
      uniform_(this.bias, { low: -bound, high: bound, generator: g });
    } else {
      this.bias = null;
    }
  }

  /**
   * `x @ weight.T + bias`.
   *
   * @param x `(..., inFeatures)`
   * @returns `(..., outFeatures)`
   * @throws {ShapeError} when x's last dim is not `inFeatures`
   */
  forward(x: Tensor): Tensor {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(
        `Linear: expected input with last dimension ${this.inFeatures}, got ${
          x.shape[x.ndim - 1] ?? "none"
        } (input shape ${formatShape(x.shape)})`,
      );
    }
    const y = x.matmul(this.weight.t()); // (..., in) @ (in, out) -> (..., out)
    return this.bias ? y.add(this.bias) : y;
  }
}
