/**
 * Unary elementwise ops (float ops promote int/bool input to float32) and
 * their backward rules.
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import type { UnaryKernel } from "../backend.ts";
import { backendFor } from "../device.ts";
import { DTypeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { empty } from "./creation.ts";
import { cast, compare, kernel2, where } from "./elementwise.ts";
import type { UnaryOp } from "./op_names.ts";
import { checkOneOf, checkOptions } from "../validate.ts";

const FLOAT_ONLY = new Set<UnaryKernel>([
  "exp",
  "log",
  "sqrt",
  "tanh",
  "sigmoid",
  "gelu",
  "geluTanh",
]);

/**
 * Applies a unary kernel (float ops promote int/bool input to float32).
 *
 * @param op the kernel
 * @param x the input
 * @returns a new tensor
 */
export function unaryRaw(op: UnaryKernel, x: Tensor): Tensor {
  if (x.dtype === "bool" && (op === "neg" || op === "abs" || op === "relu" || op === "sign")) {
    throw new DTypeError(`${op}: cannot apply to a bool tensor (PyTorch refuses too)`);
  }
  const src = FLOAT_ONLY.has(op) || op === "geluGrad" || op === "geluTanhGrad"
    ? cast(x, "float32")
    : x;
  const dt = op === "isInf" || op === "toBool" ? "bool" : src.dtype;
  const out = empty(src.shape, dt, src.device);
  backendFor(src.device).unary(op, src, out);
  return out;
}

function unary(op: UnaryOp, kernel: UnaryKernel, x: Tensor, saveOut: boolean): Tensor {
  const out = unaryRaw(kernel, x);
  if (needsGrad(x)) record(out, op, [x], [saveOut ? out : x], {});
  return out;
}

/** Elementwise -x. @param x input @returns the negation @throws {DTypeError} for bool */
export const neg = (x: Tensor): Tensor => unary("neg", "neg", x, false);
/** Elementwise e^x. @param x input @returns the exponential */
export const exp = (x: Tensor): Tensor => unary("exp", "exp", x, true);
/** Elementwise natural log. @param x input @returns ln x (NaN below 0, -Inf at 0) */
export const log = (x: Tensor): Tensor => unary("log", "log", x, false);
/** Elementwise square root. @param x input @returns √x */
export const sqrt = (x: Tensor): Tensor => unary("sqrt", "sqrt", x, true);
/** Elementwise |x|. @param x input @returns the absolute value */
export const abs = (x: Tensor): Tensor => unary("abs", "abs", x, false);
/** Elementwise tanh. @param x input @returns tanh x */
export const tanh = (x: Tensor): Tensor => unary("tanh", "tanh", x, true);
/** Elementwise max(x, 0) (NaN propagates). @param x input @returns relu x */
export const relu = (x: Tensor): Tensor => unary("relu", "relu", x, true);
/** Elementwise 1 / (1 + e^-x). @param x input @returns σ(x) */
export const sigmoid = (x: Tensor): Tensor => unary("sigmoid", "sigmoid", x, true);

/**
 * GELU: x·Φ(x) (exact, with erf) or its tanh approximation.
 *
 * @param x input
 * @param opts `approximate: "tanh"` for the tanh form (default "none")
 * @returns gelu(x)
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { gelu } from "./elementwise.ts";
 * ok(Math.abs(gelu(tensor([1])).itemSync() - 0.8413447) < 1e-6);
 * ```
 */
export function gelu(x: Tensor, opts?: { approximate?: "none" | "tanh" }): Tensor {
  const o = checkOptions("gelu", opts, ["approximate"]);
  const approximate = o.approximate !== undefined &&
    checkOneOf("gelu", "approximate", o.approximate, ["none", "tanh"]) === "tanh";
  const out = unaryRaw(approximate ? "geluTanh" : "gelu", x);
  if (needsGrad(x)) record(out, "gelu", [x], [x], { approximate });
  return out;
}

/** Backward rules of the unary ops. */
export const unaryRules: { [K in UnaryOp]: BackwardRule } = {
  neg: (g) => [g.neg()],
  exp: (g, _n, [out]) => [g.mul(out)],
  log: (g, _n, [x]) => [g.div(x)],
  sqrt: (g, _n, [out]) => [g.div(out.mul(2))],
  abs: (g, _n, [x]) => [g.mul(unaryRaw("sign", x))],
  tanh: (g, _n, [out]) => [kernel2("tanhGrad", g, out, "float32", "tanh")],
  relu: (g, _n, [out]) => [where(compare("gt", out, 0), g, 0)],
  sigmoid: (g, _n, [out]) => [kernel2("sigmoidGrad", g, out, "float32", "sigmoid")],
  // g·gelu′(x) in one fused kernel
  gelu: (g, n, [x]) => [
    kernel2(n.args.approximate ? "geluTanhBackward" : "geluBackward", g, x, "float32", "gelu"),
  ],
};
