/**
 * `F.linear`: `input · weightᵀ + bias`, as PyTorch's `torch.nn.functional.linear` (a
 * composition of matmul and add, so its gradient and GPU support come free).
 *
 * @module
 */

import { formatShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkSameDevice, checkTensor } from "../validate.ts";
import { matmul } from "./matmul.ts";

/**
 * The affine map of `nn.Linear`: `input · weightᵀ + bias`.
 *
 * @param input `(..., in_features)` (or `(in_features)`)
 * @param weight `(out_features, in_features)`, as PyTorch stores it
 * @param bias `(out_features)`, or undefined/null for none
 * @returns `(..., out_features)`
 * @throws {TypeError} when an operand is not a Tensor
 * @throws {ShapeError} when weight is not 2-d or the features do not match
 * @throws {DeviceMismatchError} when the operands live on different devices
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { linear } from "./linear.ts";
 * const x = tensor([[1, 2]]), w = tensor([[1, 0], [0, 1], [1, 1]]), b = tensor([0, 10, 100]);
 * deepEqual(linear(x, w, b).toArraySync(), [[1, 12, 103]]);
 * ```
 */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensor("linear", "input", input);
  checkTensor("linear", "weight", weight);
  if (bias != null) checkTensor("linear", "bias", bias);
  checkSameDevice("linear", input, weight, bias);
  if (weight.ndim !== 2) {
    throw new ShapeError(
      `linear: weight must be 2-d (out_features, in_features), got shape ${
        formatShape(weight.shape)
      }`,
    );
  }
  const [outFeatures, inFeatures] = weight.shape;
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== inFeatures) {
    throw new ShapeError(
      `linear: input of shape ${formatShape(input.shape)} does not match weight of shape ${
        formatShape(weight.shape)
      }: the last dim of input must be in_features = ${inFeatures}`,
    );
  }
  if (bias != null && !(bias.ndim === 1 && bias.shape[0] === outFeatures)) {
    throw new ShapeError(
      `linear: bias must have shape (${outFeatures}) (out_features), got ${
        formatShape(bias.shape)
      }`,
    );
  }
  const y = matmul(input, weight.t()); // (..., in) @ (in, out) -> (..., out)
  return bias == null ? y : y.add(bias);
}
