/**
 * Elementwise ops with NumPy/PyTorch broadcasting and dtype promotion, and
 * their backward rules (written with other tensor ops).
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import type { Backend, BinaryKernel } from "../backend.ts";
import { keep } from "../memory.ts";
import { checkSameDevice, checkTensor, describe } from "../validate.ts";
import { type DType, promoteTypes, scalarDType } from "../dtype.ts";
import { DTypeError } from "../errors.ts";
import { broadcastShapes, shapesEqual } from "../shape.ts";
import { backendFor } from "../device.ts";
import { Tensor } from "../tensor.ts";
import { empty } from "./creation.ts";
import type { BinaryOp } from "./op_names.ts";

export { abs, exp, gelu, log, neg, relu, sigmoid, sqrt, tanh, unaryRaw } from "./unary.ts";

/** A tensor or a JavaScript scalar operand. */
export type Operand = Tensor | number | boolean;

/**
 * A 0-d tensor holding a scalar, typed as it combines with `like`.
 *
 * @param v the scalar
 * @param like the tensor it meets
 * @returns a 0-d tensor
 */
export function scalarLike(v: number | boolean, like: Tensor): Tensor {
  const dt = promoteTypes(like.dtype, scalarDType(v));
  const num = typeof v === "boolean" ? (v ? 1 : 0) : v;
  // Scalar operands are cached per backend: they are internal (never returned, never written),
  // and kept out of tidy scopes, so a cached one is never disposed.
  const backend = backendFor(like.device);
  let caches = SCALARS.get(backend);
  if (caches === undefined) {
    caches = { float32: new Map(), int32: new Map(), bool: new Map() };
    SCALARS.set(backend, caches);
  }
  const cache = Object.is(num, -0) ? null : caches[dt];
  const hit = cache?.get(num);
  if (hit !== undefined && !hit.isDisposed) return hit;
  const t = empty([], dt, like.device);
  backend.fill(t, num);
  if (cache) {
    if (cache.size >= 512) {
      for (const old of cache.values()) old.dispose();
      cache.clear();
    }
    cache.set(num, keep(t));
  }
  return t;
}

const SCALARS = new WeakMap<Backend, Record<DType, Map<number, Tensor>>>();

function badOperand(op: string, name: string, v: unknown): never {
  throw new TypeError(`${op}: ${name} must be a Tensor, a number or a boolean, got ${describe(v)}`);
}

function operands(op: string, a: Operand, b: Operand): [Tensor, Tensor] {
  if (a instanceof Tensor) {
    if (b instanceof Tensor) return [a, b];
    if (typeof b !== "number" && typeof b !== "boolean") badOperand(op, "other", b);
    return [a, scalarLike(b, a)];
  }
  if (b instanceof Tensor) {
    if (typeof a !== "number" && typeof a !== "boolean") badOperand(op, "input", a);
    return [scalarLike(a, b), b];
  }
  throw new TypeError(
    `${op}: at least one operand must be a Tensor, got ${describe(a)} and ${describe(b)}`,
  );
}

/**
 * Casts without recording (dtype conversion never carries gradient here).
 *
 * @param x the tensor
 * @param dtype the target dtype
 * @returns x itself when the dtype already matches, else a contiguous copy
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = empty(x.shape, dtype, x.device);
  backendFor(x.device).unary(dtype === "bool" ? "toBool" : "copy", x, out);
  return out;
}

/**
 * Runs a binary kernel with broadcasting, without recording.
 *
 * @param op the kernel
 * @param a first operand
 * @param b second operand
 * @param outDtype the output dtype
 * @param name the op name for errors
 * @returns a new tensor
 */
export function kernel2(
  op: BinaryKernel,
  a: Tensor,
  b: Tensor,
  outDtype: DType,
  name: string,
): Tensor {
  checkSameDevice(name, a, b);
  const shape = shapesEqual(a.shape, b.shape) ? a.shape : broadcastShapes(name, a.shape, b.shape);
  const out = empty(shape, outDtype, a.device);
  backendFor(a.device).binary(op, a, b, out);
  return out;
}

function arith(op: BinaryKernel & BinaryOp, x: Operand, y: Operand): Tensor {
  const [a, b] = operands(op, x, y);
  let dt = promoteTypes(a.dtype, b.dtype);
  if (op === "div") dt = "float32";
  if (dt === "bool" && op === "sub") {
    throw new DTypeError(
      "sub: cannot subtract bool tensors (PyTorch refuses too); use logical ops or cast with .to('int32')",
    );
  }
  const work = dt === "bool" ? "int32" : dt;
  if (op === "pow" && work === "int32") checkNonNegativeExponent(cast(b, "int32"));
  let out = kernel2(op, cast(a, work), cast(b, work), work, op);
  if (dt === "bool") out = cast(out, "bool");
  if (needsGrad(a, b)) {
    const saved = op === "add" || op === "sub"
      ? []
      : op === "div"
      ? [b, out]
      : op === "pow"
      ? [a, b, out]
      : [a, b];
    record(out, op, [a, b], saved, {});
  }
  return out;
}

/**
 * Integer powers need exponents >= 0 (PyTorch refuses negative ones). The exponents are checked
 * by the backend's index check against [0, 2^31): at once on the CPU, at the next readback on
 * WebGPU, where the values live.
 */
function checkNonNegativeExponent(b: Tensor): void {
  const checked = empty(b.shape, "int32", b.device);
  backendFor(b.device).flatIndex([b], [2 ** 31 - 1], checked, {
    op: "pow",
    dims: [0],
    negative: false,
    message: () =>
      "pow: integers to negative integer powers are not allowed (PyTorch refuses too); cast to float32",
    errorClass: DTypeError,
  });
  checked.dispose();
}

/**
 * `a + b` elementwise with broadcasting.
 *
 * @param a tensor or scalar
 * @param b tensor or scalar
 * @returns the sum
 * @throws {ShapeError} when the shapes do not broadcast
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { add } from "./elementwise.ts";
 * deepEqual(add(tensor([[1], [2]]), tensor([10, 20, 30])).toArraySync(), [[11, 21, 31], [12, 22, 32]]);
 * ```
 */
export function add(a: Operand, b: Operand): Tensor {
  return arith("add", a, b);
}
/** `a - b` with broadcasting; see {@link add}. @param a minuend @param b subtrahend @returns the difference */
export function sub(a: Operand, b: Operand): Tensor {
  return arith("sub", a, b);
}
/** `a * b` with broadcasting; see {@link add}. @param a factor @param b factor @returns the product */
export function mul(a: Operand, b: Operand): Tensor {
  return arith("mul", a, b);
}
/** `a / b` (true division, float32) with broadcasting. @param a dividend @param b divisor @returns the quotient */
export function div(a: Operand, b: Operand): Tensor {
  return arith("div", a, b);
}
/** `a ** b` with broadcasting. @param a base @param b exponent @returns the power */
export function pow(a: Operand, b: Operand): Tensor {
  return arith("pow", a, b);
}
/** Elementwise maximum (NaN propagates). @param a first @param b second @returns the larger */
export function maximum(a: Operand, b: Operand): Tensor {
  return arith("maximum", a, b);
}
/** Elementwise minimum (NaN propagates). @param a first @param b second @returns the smaller */
export function minimum(a: Operand, b: Operand): Tensor {
  return arith("minimum", a, b);
}

/**
 * An elementwise comparison to a bool tensor (no gradient).
 *
 * @param op eq, ne, lt, le, gt or ge
 * @param x tensor or scalar
 * @param y tensor or scalar
 * @returns a bool tensor of the broadcast shape
 * @throws {ShapeError} when the shapes do not broadcast
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { compare } from "./elementwise.ts";
 * deepEqual(compare("gt", tensor([1, NaN, 3]), 2).toArraySync(), [false, false, true]);
 * ```
 */
export function compare(
  op: "eq" | "ne" | "lt" | "le" | "gt" | "ge",
  x: Operand,
  y: Operand,
): Tensor {
  const [a, b] = operands(op, x, y);
  const dt = promoteTypes(a.dtype, b.dtype);
  return kernel2(op, cast(a, dt), cast(b, dt), "bool", op);
}

/**
 * Logical and of two tensors' truth values (bool result, no gradient).
 *
 * @param a first
 * @param b second
 * @returns a bool tensor
 */
export function logicalAnd(a: Tensor, b: Tensor): Tensor {
  return kernel2("and", a, b, "bool", "logicalAnd");
}

/**
 * Clamps into [min, max] (either bound may be omitted; NaN stays NaN).
 *
 * @param x input
 * @param min lower bound or null/undefined
 * @param max upper bound or null/undefined
 * @returns the clamped tensor
 * @throws {TypeError} when both bounds are missing, or a bound is not a number
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { clamp } from "./elementwise.ts";
 * deepEqual(clamp(tensor([-2, 0.5, 3]), 0, 1).toArraySync(), [0, 0.5, 1]);
 * ```
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  if (min != null && typeof min !== "number") checkBound("min", min);
  if (max != null && typeof max !== "number") checkBound("max", max);
  if (min == null && max == null) {
    throw new TypeError("clamp: at least one of min and max must be a number, got none");
  }
  let out = x;
  if (min != null) {
    out = kernel2(
      "maximum",
      x,
      scalarLike(min, x),
      promoteTypes(x.dtype, scalarDType(min)),
      "clamp",
    );
  }
  if (max != null) {
    const y = cast(out, promoteTypes(out.dtype, scalarDType(max)));
    out = kernel2("minimum", y, scalarLike(max, y), y.dtype, "clamp");
  }
  if (needsGrad(x)) {
    record(out, "clamp", [x], [x], { min: min ?? undefined, max: max ?? undefined });
  }
  return out;
}

function checkBound(name: string, v: unknown): never {
  throw new TypeError(`clamp: ${name} must be a number, null or undefined, got ${describe(v)}`);
}

/**
 * Picks from `a` where `cond` is true, else from `b`, with broadcasting.
 *
 * @param cond a bool tensor
 * @param a values where true (tensor or scalar)
 * @param b values where false (tensor or scalar)
 * @returns a tensor of the broadcast shape
 * @throws {DTypeError} when `cond` is not bool
 * @throws {TypeError} when `cond` is not a Tensor, or `a`/`b` not a Tensor, number or boolean
 * @throws {ShapeError} when shapes do not broadcast
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { where } from "./elementwise.ts";
 * const x = tensor([-1, 2, -3]);
 * deepEqual(where(x.gt(0), x, 0).toArraySync(), [0, 2, 0]);
 * ```
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  checkTensor("where", "condition", cond);
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    if (typeof a !== "number" && typeof a !== "boolean") badOperand("where", "input", a);
    if (typeof b !== "number" && typeof b !== "boolean") badOperand("where", "other", b);
  }
  if (cond.dtype !== "bool") {
    throw new DTypeError(`where: expected a bool condition, got ${cond.dtype}`);
  }
  const [ta, tb] = a instanceof Tensor || b instanceof Tensor
    ? operands("where", a, b)
    : [scalarLike(a, cond), scalarLike(b, cond)];
  checkSameDevice("where", cond, ta, tb);
  const dt = promoteTypes(ta.dtype, tb.dtype);
  const s1 = broadcastShapes("where", cond.shape, ta.shape);
  const shape = broadcastShapes("where", s1, tb.shape);
  const out = empty(shape, dt, cond.device);
  backendFor(cond.device).where(cond, cast(ta, dt), cast(tb, dt), out);
  if (needsGrad(ta, tb)) record(out, "where", [ta, tb], [cond], {});
  return out;
}

// PyTorch: where(x == y, g / 2, g).masked_fill(x loses to y, 0); NaN keeps the full gradient
const half = (g: Tensor, x: Tensor, y: Tensor, lose: "gt" | "lt"): Tensor =>
  where(compare("eq", x, y), g.mul(0.5), where(compare(lose, x, y), 0, g));

/**
 * Backward rules of the binary elementwise ops (unary ones are in unary.ts). Gradients come
 * back in the broadcast output's shape; the engine sums them down to each input's shape.
 */
export const elementwiseRules: { [K in BinaryOp]: BackwardRule } = {
  add: (g) => [g, g],
  sub: (g, n) => [g, n.inputs[1].requiresGrad ? g.neg() : null],
  mul: (g, _n, [a, b]) => [a.requiresGrad ? g.mul(b) : null, b.requiresGrad ? g.mul(a) : null],
  div: (g, n, [b, out]) => [
    n.inputs[0].requiresGrad ? g.div(b) : null,
    b.requiresGrad ? g.mul(out).div(b).neg() : null,
  ],
  // PyTorch's pow_backward_self/_exponent: 0 where b = 0 (0 ** 0 too), 0 where a = 0 ≤ b
  pow: (g, _n, [a, b, out]) => [
    a.requiresGrad ? where(compare("eq", b, 0), 0, g.mul(b.mul(a.pow(b.sub(1))))) : null,
    b.requiresGrad
      ? g.mul(where(logicalAnd(compare("eq", a, 0), compare("ge", b, 0)), 0, out.mul(a.log())))
      : null,
  ],
  maximum: (g, _n, [a, b]) => [
    a.requiresGrad ? half(g, a, b, "lt") : null,
    b.requiresGrad ? half(g, b, a, "lt") : null,
  ],
  minimum: (g, _n, [a, b]) => [
    a.requiresGrad ? half(g, a, b, "gt") : null,
    b.requiresGrad ? half(g, b, a, "gt") : null,
  ],
  clamp: (g, n, [x]) => {
    let mask: Tensor | null = null;
    if (n.args.min !== undefined) mask = compare("ge", x, n.args.min);
    if (n.args.max !== undefined) {
      const m2 = compare("le", x, n.args.max);
      mask = mask === null ? m2 : logicalAnd(mask, m2);
    }
    return [where(mask!, g, 0)];
  },
  where: (g, n, [cond]) => [
    n.inputs[0].requiresGrad ? where(cond, g, 0) : null,
    n.inputs[1].requiresGrad ? where(cond, 0, g) : null,
  ],
};
