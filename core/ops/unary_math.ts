/**
 * The unary math that lecture and nanoGPT code reach for beyond exp/log/sqrt: `sin`, `cos` and
 * `log1p` (kernels of their own, in both backends' elementwise tables, with backward rules
 * here), and `log10`, `rsqrt`, `square` (compositions of existing ops, so their gradients and
 * GPU support come from those ops). Float ops promote int and bool input to float32.
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import type { Tensor } from "../tensor.ts";
import { checkTensor } from "../validate.ts";
import { cast, div, log, mul, sqrt, unaryRaw } from "./elementwise.ts";
import type { UnaryMathOp } from "./op_names.ts";

function kernelOp(op: UnaryMathOp, x: Tensor): Tensor {
  checkTensor(op, "input", x);
  const out = unaryRaw(op, cast(x, "float32"));
  if (needsGrad(x)) record(out, op, [x], [x], {});
  return out;
}

/**
 * Elementwise sine (radians).
 *
 * @param x input
 * @returns sin x (NaN at ±Inf)
 * @throws {TypeError} when x is not a Tensor
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { sin } from "./unary_math.ts";
 * ok(Math.abs(sin(tensor([Math.PI / 6])).itemSync() - 0.5) < 1e-7);
 * ```
 */
export function sin(x: Tensor): Tensor {
  return kernelOp("sin", x);
}

/**
 * Elementwise cosine (radians).
 *
 * @param x input
 * @returns cos x (NaN at ±Inf)
 * @throws {TypeError} when x is not a Tensor
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { cos } from "./unary_math.ts";
 * ok(Math.abs(cos(tensor([Math.PI / 3])).itemSync() - 0.5) < 1e-7);
 * ```
 */
export function cos(x: Tensor): Tensor {
  return kernelOp("cos", x);
}

/**
 * Elementwise ln(1 + x), accurate for small x (where `x.add(1).log()` loses every digit).
 *
 * @param x input
 * @returns log1p x (−Inf at −1, NaN below)
 * @throws {TypeError} when x is not a Tensor
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { log1p } from "./unary_math.ts";
 * equal(log1p(tensor([1e-10])).itemSync(), 1.000000013351432e-10); // float32(1e-10)
 * ```
 */
export function log1p(x: Tensor): Tensor {
  return kernelOp("log1p", x);
}

/**
 * Elementwise base-10 logarithm, as `log(x) · log10(e)` (the lecture plots `loss.log10()`).
 *
 * @param x input
 * @returns log10 x (NaN below 0, −Inf at 0)
 * @throws {TypeError} when x is not a Tensor
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { log10 } from "./unary_math.ts";
 * ok(Math.abs(log10(tensor([1000])).itemSync() - 3) < 1e-6);
 * ```
 */
export function log10(x: Tensor): Tensor {
  checkTensor("log10", "input", x);
  return mul(log(x), Math.LOG10E);
}

/**
 * Elementwise reciprocal square root, as `1 / sqrt(x)` (the float32 result is within an ulp
 * of PyTorch's `rsqrt`).
 *
 * @param x input
 * @returns 1/√x (Inf at 0, NaN below)
 * @throws {TypeError} when x is not a Tensor
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { rsqrt } from "./unary_math.ts";
 * deepEqual(rsqrt(tensor([4, 0.25])).toArraySync(), [0.5, 2]);
 * ```
 */
export function rsqrt(x: Tensor): Tensor {
  checkTensor("rsqrt", "input", x);
  return div(1, sqrt(x));
}

/**
 * Elementwise x², as `x · x` (int stays int, as in PyTorch).
 *
 * @param x input
 * @returns the square
 * @throws {TypeError} when x is not a Tensor
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { square } from "./unary_math.ts";
 * deepEqual(square(tensor([-3, 0.5])).toArraySync(), [9, 0.25]);
 * ```
 */
export function square(x: Tensor): Tensor {
  checkTensor("square", "input", x);
  return mul(x, x);
}

/** Backward rules of the unary math kernels. */
export const unaryMathRules: { [K in UnaryMathOp]: BackwardRule } = {
  sin: (g, _n, [x]) => [g.mul(unaryRaw("cos", x))],
  cos: (g, _n, [x]) => [g.mul(unaryRaw("sin", x)).neg()],
  log1p: (g, _n, [x]) => [g.div(x.add(1))],
};
