/**
 * In-place ops for parameter updates (`p.sub_(g.mul(lr))` inside `noGrad`).
 * They write into the tensor's storage and bump its version counter, so a
 * later backward through a graph that saved the old values fails loudly.
 *
 * @module
 */

import { isGradEnabled } from "../autograd.ts";
import { promoteTypes } from "../dtype.ts";
import { AutogradError, DTypeError, formatShape, ShapeError } from "../errors.ts";
import { broadcastShapes, shapesEqual } from "../shape.ts";
import { backendFor } from "../device.ts";
import { Tensor } from "../tensor.ts";
import { empty } from "./creation.ts";
import { checkInt32 } from "./nested.ts";
import { cast, type Operand, scalarLike } from "./elementwise.ts";
import {
  checkNumber,
  checkOptions,
  checkSameDevice,
  checkScalar,
  checkTensor,
  describe,
} from "../validate.ts";

const ALPHA = ["alpha"], ALPHA_RULE = { allowInfinity: true };

function checkWritable(op: string, x: Tensor): void {
  if (isGradEnabled() && x.requiresGrad) {
    throw new AutogradError(
      `Cannot run ${op} in place: the tensor requires grad; wrap the update in noGrad(() => ...)`,
    );
  }
}

/**
 * `x = x <op> other` in place (other broadcast to x's shape).
 *
 * @param op add, sub, mul or div
 * @param x the tensor to update
 * @param other tensor or scalar
 * @param opts `alpha` multiplies `other` first (add/sub only)
 * @returns x
 * @throws {AutogradError} when x requires grad and recording is on
 * @throws {DTypeError} when the result dtype cannot be stored in x
 * @throws {ShapeError} when other does not broadcast to x's shape
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { binaryInPlace } from "./inplace.ts";
 * const p = tensor([1, 2, 3]);
 * binaryInPlace("sub", p, tensor([1, 1, 1]), { alpha: 0.5 });
 * deepEqual(p.toArraySync(), [0.5, 1.5, 2.5]);
 * ```
 */
export function binaryInPlace(
  op: "add" | "sub" | "mul" | "div",
  x: Tensor,
  other: Operand,
  opts?: { alpha?: number },
): Tensor {
  const name = `${op}_`;
  checkWritable(name, x);
  const a = opts === undefined ? undefined : checkOptions(name, opts, ALPHA).alpha;
  const alpha = a === undefined ? 1 : checkNumber(name, "alpha", a, ALPHA_RULE);
  let o: Tensor;
  if (other instanceof Tensor) o = other;
  else if (typeof other === "number" || typeof other === "boolean") o = scalarLike(other, x);
  else {
    throw new TypeError(
      `${name}: other must be a Tensor, a number or a boolean, got ${describe(other)}`,
    );
  }
  checkSameDevice(name, x, o);
  const dt = op === "div" ? "float32" : promoteTypes(x.dtype, o.dtype);
  if (dt !== x.dtype) {
    throw new DTypeError(`${name}: result type ${dt} can't be stored in a ${x.dtype} tensor`);
  }
  const shape = broadcastShapes(name, x.shape, o.shape);
  if (!shapesEqual(shape, x.shape)) {
    throw new ShapeError(
      `${name}: cannot broadcast ${formatShape(o.shape)} into the tensor's shape ${
        formatShape(x.shape)
      }`,
    );
  }
  const cs = cast(o, dt);
  const src = cs.storage === x.storage ? cs.contiguousRaw(true) : cs; // no aliasing
  const be = backendFor(x.device);
  if (op === "add" || op === "sub") be.axpy(x, op === "add" ? alpha : -alpha, src);
  else if (alpha !== 1) {
    throw new TypeError(`${name}: unknown option alpha; it applies to add_ and sub_ only`);
  } else if (x.isContiguous()) be.binary(op, x, src, x);
  else {
    const tmp = empty(x.shape, dt, x.device);
    be.binary(op, x, src, tmp);
    be.unary("copy", tmp, x);
  }
  x.storage.version++;
  return x;
}

/**
 * Fills x with a value in place.
 *
 * @param x the tensor
 * @param value the value
 * @returns x
 * @throws {AutogradError} when x requires grad and recording is on
 */
export function fillInPlace(x: Tensor, value: number | boolean): Tensor {
  checkWritable("fill_", x);
  checkScalar("fill_", "value", value);
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  if (x.dtype === "int32") checkInt32("fill_", v);
  backendFor(x.device).fill(
    x,
    x.dtype === "bool" ? (v !== 0 ? 1 : 0) : x.dtype === "int32" ? Math.trunc(v) : v,
  );
  x.storage.version++;
  return x;
}

/**
 * Copies `src` (broadcast to x's shape, cast to x's dtype) into x in place.
 *
 * @param x the destination
 * @param src the source
 * @returns x
 * @throws {AutogradError} when x requires grad and recording is on
 * @throws {ShapeError} when src does not broadcast to x's shape
 */
export function copyInPlace(x: Tensor, src: Tensor): Tensor {
  checkWritable("copy_", x);
  checkTensor("copy_", "src", src);
  checkSameDevice("copy_", x, src);
  const shape = broadcastShapes("copy_", x.shape, src.shape);
  if (!shapesEqual(shape, x.shape)) {
    throw new ShapeError(
      `copy_: cannot broadcast ${formatShape(src.shape)} into the tensor's shape ${
        formatShape(x.shape)
      }`,
    );
  }
  let s = src.storage === x.storage ? src.contiguousRaw(true) : src;
  if (!shapesEqual(s.shape, x.shape)) s = s.expandRaw(x.shape);
  backendFor(x.device).unary(x.dtype === "bool" && s.dtype !== "bool" ? "toBool" : "copy", s, x);
  x.storage.version++;
  return x;
}
