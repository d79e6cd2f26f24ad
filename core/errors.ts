/**
 * Typed errors of the tensor library. Messages name the operation and carry the
 * offending shapes, dims or dtypes, e.g.
 * `matmul: cannot multiply (2x3) and (4x5): inner dimensions 3 and 4 differ`.
 *
 * @module
 */

/**
 * Shapes that do not fit an operation (broadcast, matmul, reshape, cat, ...).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ShapeError } from "./errors.ts";
 * ok(new ShapeError("add: cannot broadcast shapes (2, 3) and (4, 3)") instanceof RangeError);
 * ```
 */
export class ShapeError extends RangeError {
  /** Always `"ShapeError"`. */
  override name = "ShapeError";
}

/**
 * A dtype an operation refuses (e.g. `neg` of a bool tensor, float indices).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { DTypeError } from "./errors.ts";
 * ok(new DTypeError("neg: cannot negate a bool tensor") instanceof TypeError);
 * ```
 */
export class DTypeError extends TypeError {
  /** Always `"DTypeError"`. */
  override name = "DTypeError";
}

/**
 * A dim or index outside its bound.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { IndexError } from "./errors.ts";
 * ok(new IndexError("sum: dim 2 is out of range for a 2-d tensor") instanceof RangeError);
 * ```
 */
export class IndexError extends RangeError {
  /** Always `"IndexError"`. */
  override name = "IndexError";
}

/**
 * A misuse of autograd: backward on a non-scalar without a gradient, a freed
 * graph, a saved tensor modified in place, an in-place op on a leaf that
 * requires grad.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { AutogradError } from "./errors.ts";
 * ok(new AutogradError("Cannot run backward: ...") instanceof Error);
 * ```
 */
export class AutogradError extends Error {
  /** Always `"AutogradError"`. */
  override name = "AutogradError";
}

/**
 * Tensors on different devices in one op (PyTorch: "Expected all tensors to be on the same
 * device"). The message names the op and both devices, and how to move a tensor.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { DeviceMismatchError } from "./errors.ts";
 * ok(new DeviceMismatchError("add: expected all tensors on one device, got cpu and webgpu") instanceof TypeError);
 * ```
 */
export class DeviceMismatchError extends TypeError {
  /** Always `"DeviceMismatchError"`. */
  override name = "DeviceMismatchError";
}

/**
 * A synchronous read (`dataSync()`, `itemSync()`, `toArraySync()`, and the ops that need the
 * values on the host, such as `multinomial`) of a tensor on a device that can only be read
 * asynchronously. The message names the async form to use instead.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { SyncReadError } from "./errors.ts";
 * ok(new SyncReadError("Cannot read a webgpu tensor synchronously: use `await t.data()`") instanceof TypeError);
 * ```
 */
export class SyncReadError extends TypeError {
  /** Always `"SyncReadError"`. */
  override name = "SyncReadError";
}

/**
 * Formats a shape the way error messages and `toString` show it: `(2, 3)`.
 *
 * @param shape the dims
 * @returns the shape in parentheses, comma separated
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { formatShape } from "./errors.ts";
 * equal(formatShape([2, 3]), "(2, 3)");
 * equal(formatShape([]), "()");
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(", ")})`;
}
