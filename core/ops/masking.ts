/**
 * Masking ops: {@link maskedFill} (attention masks), {@link tril}/{@link triu} (causal masks).
 * They are `where` underneath, so their gradient is `where`'s.
 *
 * @module
 */

import { DTypeError, formatShape, ShapeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { fromTyped } from "./creation.ts";
import { where } from "./elementwise.ts";
import { broadcastsTo } from "../shape.ts";
import { checkNumber, checkScalar, checkTensor } from "../validate.ts";

/**
 * Replaces the elements where `mask` is true by `value` (torch.masked_fill). Differentiable in
 * x (filled positions get no gradient).
 *
 * @param x the source
 * @param mask a bool tensor broadcastable to x's shape
 * @param value the fill value (may be ±Infinity, as attention masks use)
 * @returns a new tensor of x's shape
 * @throws {DTypeError} when mask is not bool
 * @throws {ShapeError} when mask does not broadcast to x's shape
 * @throws {TypeError} when x or mask is not a Tensor, or value not a number or boolean
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { maskedFill } from "./masking.ts";
 * const x = tensor([[1, 2], [3, 4]]);
 * deepEqual(maskedFill(x, tensor([false, true]), -Infinity).toArraySync(),
 *   [[1, -Infinity], [3, -Infinity]]);
 * ```
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkTensor("maskedFill", "input", x);
  checkTensor("maskedFill", "mask", mask);
  checkScalar("maskedFill", "value", value);
  if (mask.dtype !== "bool") {
    throw new DTypeError(`maskedFill: the mask must be bool, got ${mask.dtype}`);
  }
  if (!broadcastsTo(mask.shape, x.shape)) {
    throw new ShapeError(
      `maskedFill: mask shape ${formatShape(mask.shape)} does not broadcast to input shape ${
        formatShape(x.shape)
      }`,
    );
  }
  return where(mask, value, x);
}

function triangle(op: "tril" | "triu", x: Tensor, diagonal: number): Tensor {
  checkTensor(op, "input", x);
  checkNumber(op, "diagonal", diagonal, { integer: true });
  if (x.ndim < 2) {
    throw new ShapeError(
      `${op}: input must have at least 2 dims, got shape ${formatShape(x.shape)}`,
    );
  }
  const rows = x.shape[x.ndim - 2], cols = x.shape[x.ndim - 1];
  // The (rows, cols) mask is built on the host and uploaded: tril keeps j <= i + diagonal,
  // triu keeps j >= i + diagonal.
  const keep = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      keep[i * cols + j] = (op === "tril" ? j <= i + diagonal : j >= i + diagonal) ? 1 : 0;
    }
  }
  return where(fromTyped(keep, [rows, cols], x.device), x, 0);
}

/**
 * The lower triangle of the last two dims (torch.tril): element (i, j) is kept when
 * `j - i <= diagonal`, else zeroed. Differentiable.
 *
 * @param x a tensor of at least 2 dims
 * @param diagonal 0 for the main diagonal, positive above, negative below
 * @returns a new tensor of x's shape
 * @throws {ShapeError} when x has fewer than 2 dims
 * @throws {TypeError} when x is not a Tensor or diagonal not a number
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ones } from "./creation.ts";
 * import { tril } from "./masking.ts";
 * deepEqual(tril(ones([2, 3])).toArraySync(), [[1, 0, 0], [1, 1, 0]]);
 * ```
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle("tril", x, diagonal);
}

/**
 * The upper triangle of the last two dims (torch.triu): element (i, j) is kept when
 * `j - i >= diagonal`, else zeroed. Differentiable.
 *
 * @param x a tensor of at least 2 dims
 * @param diagonal 0 for the main diagonal, positive above, negative below
 * @returns a new tensor of x's shape
 * @throws {ShapeError} when x has fewer than 2 dims
 * @throws {TypeError} when x is not a Tensor or diagonal not a number
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ones } from "./creation.ts";
 * import { triu } from "./masking.ts";
 * deepEqual(triu(ones([2, 3]), 1).toArraySync(), [[0, 1, 1], [0, 0, 1]]);
 * ```
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle("triu", x, diagonal);
}
