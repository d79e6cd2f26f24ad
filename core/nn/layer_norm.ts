/**
 * `LayerNorm`, normalisation over each example's trailing features (the GPT lecture's `ln1`).
 *
 * @module
 */

import { ones, zeros } from "../ops/creation.ts";
import { layerNorm } from "../ops/normalization.ts";
import type { Tensor } from "../tensor.ts";
import { Module } from "./module.ts";

/** Options of {@linkcode LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learnable `weight` (ones) and `bias` (zeros) (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Layer normalisation over the last dims (`normalizedShape`), with the biased variance, as
 * `nn.LayerNorm`: `(x − mean) / √(var + eps) · weight + bias`.
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
   * @param opts eps, elementwiseAffine
   * @throws {RangeError} when a dim is not a positive integer or eps is negative
   */
  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new RangeError(
        `Cannot create LayerNorm: normalizedShape must be positive integers, got [${shape}]`,
      );
    }
    this.eps = opts.eps ?? 1e-5;
    if (!(this.eps >= 0)) {
      throw new RangeError(`Cannot create LayerNorm: eps must be >= 0, got ${this.eps}`);
    }
    this.normalizedShape = shape;
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? this.registerParameter("weight", ones(shape)) : null;
    this.bias = affine ? this.registerParameter("bias", zeros(shape)) : null;
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
