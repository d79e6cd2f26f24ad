/**
 * `LayerNorm`, normalisation over each example's trailing features (the GPT lecture's `ln1`).
 *
 * @module
 */

import { ones, zeros } from "../ops/creation.ts";
import { layerNorm } from "../ops/normalization.ts";
import type { Tensor } from "../tensor.ts";
import { Module } from "./module.ts";
import { checkBoolean, checkNumber, checkNumbers, checkOptions } from "../validate.ts";

/** Options of {@linkcode LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learnable `weight` (ones) and `bias` (zeros) (default true). */
  elementwiseAffine?: boolean;
  /**
   * With elementwiseAffine, whether to learn the `bias` too (default true; false is
   * `nn.LayerNorm(bias=False)` of PyTorch 2.1, what nanoGPT's `bias=False` models use).
   */
  bias?: boolean;
}

/**
 * Layer normalisation over the last dims (`normalizedShape`), with the biased variance, as
 * `nn.LayerNorm`: `(x − mean) / √(var + eps) · weight + bias` (`bias: false` drops the shift).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { randn } from "../ops/creation.ts";
 * import { LayerNorm } from "./layer_norm.ts";
 * const ln = new LayerNorm(32);
 * const y = ln.forward(randn([4, 8, 32]).mul(5));
 * ok(Math.abs(y.mean(-1).max().itemSync()) < 1e-5);
 * ```
 */
export class LayerNorm extends Module {
  /** The trailing dims normalised over. */
  readonly normalizedShape: readonly number[];
  /** Elementwise scale, or null without affine. */
  readonly weight: Tensor | null;
  /** Elementwise shift, or null without affine. */
  readonly bias: Tensor | null;
  /** Added to the variance. */
  readonly eps: number;

  /**
   * Creates the layer.
   *
   * @param normalizedShape the trailing dims (a number for one dim)
   * @param opts eps, elementwiseAffine, bias
   * @throws {RangeError} when a dim is not a positive integer or eps is negative
   */
  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    const op = "LayerNorm";
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape;
    checkNumbers(op, "normalizedShape", shape, { integer: true, min: 1 });
    if (shape.length === 0) {
      throw new RangeError(`${op}: normalizedShape must have at least one dim, got []`);
    }
    const o = checkOptions(op, opts, ["eps", "elementwiseAffine", "bias"]);
    this.eps = checkNumber(op, "eps", o.eps ?? 1e-5, { min: 0 });
    this.normalizedShape = [...shape];
    const affine = o.elementwiseAffine === undefined
      ? true
      : checkBoolean(op, "elementwiseAffine", o.elementwiseAffine);
    const bias = o.bias === undefined ? true : checkBoolean(op, "bias", o.bias);
    this.weight = affine ? this.registerParameter("weight", ones(this.normalizedShape)) : null;
    this.bias = affine && bias ? this.registerParameter("bias", zeros(this.normalizedShape)) : null;
  }

  /**
   * The hyper-parameters `toString()` shows.
   *
   * @returns the text inside the parentheses
   */
  protected override extraRepr(): string {
    return `[${this.normalizedShape.join(", ")}], eps=${this.eps}, elementwiseAffine=${
      this.weight !== null
    }${this.weight !== null && this.bias === null ? ", bias=false" : ""}`;
  }

  /**
   * Normalises x over its trailing dims.
   *
   * @param x `(..., *normalizedShape)`
   * @returns a tensor of x's shape
   * @throws {ShapeError} when x's trailing dims differ from normalizedShape
   */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, {
      weight: this.weight,
      bias: this.bias,
      eps: this.eps,
    });
  }
}
