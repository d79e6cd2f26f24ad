/**
 * `Linear`, the fully connected layer `y = x Wᵀ + b`, initialised as PyTorch's `nn.Linear`.
 *
 * @module
 */

import { formatShape, ShapeError } from "../errors.ts";
import { empty } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { kaimingUniform_, uniform_ } from "./init.ts";
import { Module } from "./module.ts";
import {
  checkBoolean,
  checkInstance,
  checkNumber,
  checkOptions,
  checkTensor,
} from "../validate.ts";

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
    this.inFeatures = checkNumber("Linear", "inFeatures", inFeatures, { integer: true, min: 1 });
    this.outFeatures = checkNumber("Linear", "outFeatures", outFeatures, { integer: true, min: 1 });
    const o = checkOptions("Linear", opts, ["bias", "generator"]);
    const g = o.generator;
    if (g !== undefined) checkInstance("Linear", "generator", g, Generator, "a Generator");
    if (o.bias !== undefined) checkBoolean("Linear", "bias", o.bias);
    this.weight = this.registerParameter("weight", empty([outFeatures, inFeatures], "float32"));
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator: g });
    if (o.bias ?? true) {
      const bound = 1 / Math.sqrt(inFeatures);
      this.bias = this.registerParameter("bias", empty([outFeatures], "float32"));
      uniform_(this.bias, { low: -bound, high: bound, generator: g });
    } else {
      this.bias = null;
    }
  }

  /**
   * The hyper-parameters `toString()` shows.
   *
   * @returns the text inside the parentheses
   */
  protected override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${
      this.bias !== null
    }`;
  }

  /**
   * `x @ weight.T + bias`.
   *
   * @param x `(..., inFeatures)`
   * @returns `(..., outFeatures)`
   * @throws {ShapeError} when x's last dim is not `inFeatures`
   */
  forward(x: Tensor): Tensor {
    checkTensor("Linear.forward", "input", x);
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(
        `Linear: expected input with last dimension ${this.inFeatures}, got ${
          x.shape[x.ndim - 1] ?? "none"
        } (input shape ${formatShape(x.shape)})`,
      );
    }
    // (..., in) -> (N, in) @ (in, out) -> (N, out) -> (..., out): one 2-d matmul, so the
    // weight's gradient is one matmul too rather than a per-batch product summed afterwards
    const lead = x.shape.slice(0, -1);
    const x2 = x.ndim === 2 ? x : x.reshape(-1, this.inFeatures);
    let y = x2.matmul(this.weight.t());
    if (this.bias) y = y.add(this.bias);
    return x.ndim === 2 ? y : y.reshape(...lead, this.outFeatures);
  }
}
