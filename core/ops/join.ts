/**
 * Ops that copy elements into a new layout: contiguous, cat and stack, and
 * their backward rules.
 *
 * @module
 */

import { type BackwardRule, isGradEnabled, needsGrad, record } from "../autograd.ts";
import { backendFor } from "../device.ts";
import { promoteTypes } from "../dtype.ts";
import { DeviceMismatchError, formatShape, ShapeError } from "../errors.ts";
import { normalizeDim, shapesEqual } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { empty } from "./creation.ts";
import type { JoinOp } from "./op_names.ts";
import { checkTensor, describe } from "../validate.ts";

/** Throws unless `tensors` is a non-empty array of tensors. */
function checkList(op: string, tensors: unknown): asserts tensors is readonly Tensor[] {
  if (!Array.isArray(tensors)) {
    throw new TypeError(`${op}: tensors must be an array of Tensors, got ${describe(tensors)}`);
  }
  if (tensors.length === 0) throw new ShapeError(`${op}: expected a non-empty list of tensors`);
  for (let i = 0; i < tensors.length; i++) checkTensor(op, `tensors[${i}]`, tensors[i]);
}

/**
 * A contiguous copy when `x` is not contiguous; `x` itself otherwise.
 *
 * @param x input
 * @returns a row-major tensor with the same values
 */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  const out = x.contiguousRaw();
  if (needsGrad(x)) record(out, "contiguous", [x], [], {});
  return out;
}

/**
 * Joins tensors along an existing dim. Dtypes promote; other dims must match.
 *
 * @param tensors the tensors (at least one)
 * @param dim the dim (default 0)
 * @returns the concatenation
 * @throws {ShapeError} on mismatched shapes or an empty list
 * @throws {TypeError} when tensors is not an array of Tensors
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { cat } from "./movement.ts";
 * deepEqual(cat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]).toArraySync(), [[1, 2], [3, 4], [5, 6]]);
 * ```
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList("cat", tensors);
  const first = tensors[0];
  const d = normalizeDim("cat", dim, first.ndim);
  let dtype = first.dtype, total = 0;
  for (const [i, t] of tensors.entries()) {
    const ok = t.ndim === first.ndim && t.shape.every((s, j) => j === d || s === first.shape[j]);
    if (!ok) {
      throw new ShapeError(
        `cat: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has ${
          formatShape(first.shape)
        }; shapes must match except in dim ${d}`,
      );
    }
    if (t.device !== first.device) {
      throw new DeviceMismatchError(
        `cat: expected all tensors on one device, got ${first.device} (tensor 0) and ` +
          `${t.device} (tensor ${i}); move one with \`await t.toDevice("${first.device}")\``,
      );
    }
    dtype = promoteTypes(dtype, t.dtype);
    total += t.shape[d];
  }
  const shape = first.shape.slice();
  shape[d] = total;
  const out = empty(shape, dtype, first.device);
  const be = backendFor(first.device);
  let at = 0;
  for (const t of tensors) {
    const dst = out.sliceRaw(d, at, t.shape[d]);
    be.unary(t.dtype !== dtype && dtype === "bool" ? "toBool" : "copy", t, dst);
    at += t.shape[d];
  }
  if (isGradEnabled() && tensors.some((t) => t.requiresGrad)) {
    record(out, "cat", tensors.slice(), [], { dim: d, sizes: tensors.map((t) => t.shape[d]) });
  }
  return out;
}

/**
 * Joins tensors of equal shape along a new dim.
 *
 * @param tensors the tensors (at least one)
 * @param dim where the new dim goes (default 0)
 * @returns the stacked tensor
 * @throws {ShapeError} when shapes differ or the list is empty
 * @throws {TypeError} when tensors is not an array of Tensors
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { stack } from "./join.ts";
 * deepEqual(stack([tensor([1, 2]), tensor([3, 4])], 1).toArraySync(), [[1, 3], [2, 4]]);
 * ```
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkList("stack", tensors);
  const s0 = tensors[0].shape;
  for (const [i, t] of tensors.entries()) {
    if (!shapesEqual(t.shape, s0)) {
      throw new ShapeError(
        `stack: tensor ${i} has shape ${formatShape(t.shape)}, tensor 0 has ${formatShape(s0)}`,
      );
    }
  }
  const d = normalizeDim("stack", dim, s0.length + 1);
  return cat(tensors.map((t) => t.unsqueeze(d)), d);
}

/** Backward rules of the join ops. */
export const joinRules: { [K in JoinOp]: BackwardRule } = {
  contiguous: (g) => [g],
  cat: (g, n) => {
    const d = n.args.dim!;
    let at = 0;
    return n.args.sizes!.map((len) => {
      const piece = g.sliceRaw(d, at, len);
      at += len;
      return piece;
    });
  },
};
