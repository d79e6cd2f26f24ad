/**
 * Reductions over all or given dims, with `keepdim`: sum, mean, max/min
 * (values and indices), argmax/argmin, var/std, logsumexp. Primitive kernels
 * are sum/max/min/logsumexp along one block of dims; mean, var and std are
 * composed from other ops, so their gradients come for free.
 *
 * @module
 */

import { type BackwardRule, needsGrad, noGrad, record } from "../autograd.ts";
import type { ReduceKernel } from "../backend.ts";
import { backendFor } from "../device.ts";
import { DTypeError } from "../errors.ts";
import { normalizeDims, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { empty } from "./creation.ts";
import { cast, unaryRaw, where } from "./elementwise.ts";
import { extremeRule } from "./extreme.ts";
import type { ReduceOp } from "./op_names.ts";
import { checkBoolean, checkOptions } from "../validate.ts";

/** Options of reductions. */
export interface ReduceOptions {
  /** Keep reduced dims as size 1 (default false). */
  keepdim?: boolean;
}

/** Options of `var` and `std`. */
export interface VarOptions extends ReduceOptions {
  /** Divide by N - 1 (Bessel's correction, the default) instead of N. */
  unbiased?: boolean;
}

export { argExtreme, max, min, type ValuesIndices } from "./extreme.ts";

const KEEPDIM = ["keepdim"], VAR_OPTIONS = ["keepdim", "unbiased"];

/**
 * The checked `keepdim` of a reduction's options.
 *
 * @param op the reduction, for messages
 * @param opts the options given
 * @param allowed the option names the reduction knows
 * @returns keepdim (default false)
 * @throws {TypeError} for an unknown option or a non-boolean keepdim
 */
export function keepdimOf(
  op: string,
  opts: ReduceOptions | undefined,
  allowed: readonly string[] = KEEPDIM,
): boolean {
  if (opts === undefined) return false;
  const k = checkOptions(op, opts, allowed).keepdim;
  return k === undefined ? false : checkBoolean(op, "keepdim", k);
}

/** `shape` with the given dims set to 1. @param shape dims @param dims reduced dims @returns the keepdim shape */
export function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  const s = shape.slice();
  for (const d of dims) s[d] = 1;
  return s;
}

/** `shape` without the given dims. @param shape dims @param dims reduced dims @returns the reduced shape */
export function droppedShape(shape: readonly number[], dims: readonly number[]): number[] {
  return shape.filter((_, i) => !dims.includes(i));
}

/**
 * Reduces `x` over `dims` into a keepdim-shaped contiguous tensor, without
 * recording. Consecutive dims are reduced as one block.
 *
 * @param op sum, max or min
 * @param x input
 * @param dims sorted normalised dims
 * @returns the keepdim-shaped result
 */
export function reduceRaw(op: ReduceKernel, x: Tensor, dims: readonly number[]): Tensor {
  let cur = x.isContiguous() ? x : x.contiguousRaw();
  if (dims.length === 0) return cur === x ? x.clone() : cur;
  const outDtype = op === "sum" && cur.dtype !== "float32" ? "int32" : cur.dtype;
  let end = dims.length - 1;
  while (end >= 0) {
    let start = end;
    while (start > 0 && dims[start - 1] === dims[start] - 1) start--;
    const d0 = dims[start], d1 = dims[end];
    const shape = cur.shape;
    const outer = sizeOf(shape.slice(0, d0));
    const n = sizeOf(shape.slice(d0, d1 + 1));
    const inner = sizeOf(shape.slice(d1 + 1));
    const out = empty(keptShape(shape, dims.slice(start, end + 1)), outDtype, x.device);
    backendFor(x.device).reduce(op, cur, outer, n, inner, out, null);
    cur = out;
    end = start - 1;
  }
  return cur;
}

/**
 * Sum over all dims (default) or the given ones.
 *
 * @param x input (int/bool sums are int32)
 * @param dim a dim or dims
 * @param opts keepdim
 * @returns the sum
 * @throws {IndexError} on a bad dim
 * @throws {TypeError} for a dim that is not a number or an array, or a bad option
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { sum } from "./reduce.ts";
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * deepEqual(sum(x, 0).toArraySync(), [5, 7, 9]);
 * deepEqual(sum(x, 1, { keepdim: true }).toArraySync(), [[6], [15]]);
 * ```
 */
export function sum(x: Tensor, dim?: number | readonly number[], opts?: ReduceOptions): Tensor {
  const dims = normalizeDims("sum", dim, x.ndim);
  const keepdim = keepdimOf("sum", opts);
  let out = reduceRaw("sum", x.dtype === "bool" ? cast(x, "int32") : x, dims);
  if (!keepdim) out = out.viewRaw(droppedShape(x.shape, dims));
  if (needsGrad(x)) record(out, "sum", [x], [], { dims, keepdim });
  return out;
}

function requireFloat(op: string, x: Tensor): void {
  if (x.dtype !== "float32") {
    throw new DTypeError(
      `${op}: expected a float32 tensor, got ${x.dtype}; cast with .to("float32")`,
    );
  }
}

/**
 * Mean over all dims (default) or the given ones (NaN over zero elements).
 *
 * @param x a float32 input
 * @param dim a dim or dims
 * @param opts keepdim
 * @returns the mean
 * @throws {DTypeError} for int/bool input (as PyTorch)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { mean } from "./reduce.ts";
 * deepEqual(mean(tensor([[1, 2], [3, 6]]), -1).toArraySync(), [1.5, 4.5]);
 * ```
 */
export function mean(x: Tensor, dim?: number | readonly number[], opts?: ReduceOptions): Tensor {
  requireFloat("mean", x);
  const dims = normalizeDims("mean", dim, x.ndim);
  const keepdim = keepdimOf("mean", opts);
  let n = 1;
  for (const d of dims) n *= x.shape[d];
  return sum(x, dims, { keepdim }).div(n);
}

/**
 * Variance over all or given dims (unbiased by default).
 *
 * @param x a float32 input
 * @param dim a dim or dims (undefined for all)
 * @param opts unbiased, keepdim
 * @returns the variance
 * @throws {DTypeError} for int/bool input
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { variance } from "./reduce.ts";
 * ok(Math.abs(variance(tensor([1, 2, 3, 4])).itemSync() - 5 / 3) < 1e-6);
 * ```
 */
export function variance(x: Tensor, dim?: number | readonly number[], opts?: VarOptions): Tensor {
  requireFloat("var", x);
  const dims = normalizeDims("var", dim, x.ndim);
  const keepdim = keepdimOf("var", opts, VAR_OPTIONS);
  const unbiased = opts?.unbiased === undefined
    ? true
    : checkBoolean("var", "unbiased", opts.unbiased);
  let n = 1;
  for (const d of dims) n *= x.shape[d];
  const d = x.sub(mean(x, dims, { keepdim: true }));
  const ss = d.mul(d).sum(dims, { keepdim });
  return ss.div(Math.max(0, n - (unbiased ? 1 : 0)));
}

/**
 * log(sum(exp(x))) over dims, computed stably (the max is subtracted first;
 * ±Inf maxima are handled as PyTorch does).
 *
 * @param x a float32 input
 * @param dim a dim or dims (undefined for all)
 * @param opts keepdim
 * @returns the log-sum-exp
 * @throws {DTypeError} for int/bool input
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { logsumexp } from "./reduce.ts";
 * ok(Math.abs(logsumexp(tensor([1000, 1000]), 0).itemSync() - (1000 + Math.LN2)) < 1e-3);
 * ```
 */
export function logsumexp(
  x: Tensor,
  dim?: number | readonly number[],
  opts?: ReduceOptions,
): Tensor {
  requireFloat("logsumexp", x);
  const dims = normalizeDims("logsumexp", dim, x.ndim);
  const keepdim = keepdimOf("logsumexp", opts);
  const kept = keptShape(x.shape, dims);
  const consecutive = dims.every((d, i) => i === 0 || d === dims[i - 1] + 1);
  if (!consecutive || dims.length === 0) {
    // composite fallback for scattered dims
    const m = noGrad(() => {
      if (x.size === 0) return empty(kept, "float32", x.device);
      const mx = reduceRaw("max", x, dims);
      return where(unaryRaw("isInf", mx), 0, mx);
    });
    const out = x.sub(m).exp().sum(dims, { keepdim: true }).log().add(m);
    return keepdim ? out : out.reshape(droppedShape(x.shape, dims));
  }
  const src = x.isContiguous() ? x : x.contiguousRaw();
  const out = empty(kept, "float32", x.device);
  const d0 = dims[0], d1 = dims[dims.length - 1];
  backendFor(x.device).reduce(
    "logsumexp",
    src,
    sizeOf(x.shape.slice(0, d0)),
    sizeOf(x.shape.slice(d0, d1 + 1)),
    sizeOf(x.shape.slice(d1 + 1)),
    out,
    null,
  );
  const res = keepdim ? out : out.viewRaw(droppedShape(x.shape, dims));
  if (needsGrad(x)) record(res, "logsumexp", [x], [x, out], { dims, keepdim });
  return res;
}

/** Backward rules of the reductions. */
export const reduceRules: { [K in ReduceOp]: BackwardRule } = {
  sum: (g, n) => {
    const x = n.inputs[0];
    const gk = n.args.keepdim ? g : g.reshape(keptShape(x.shape, n.args.dims!));
    return [gk.expand(x.shape)];
  },
  max: extremeRule(),
  min: extremeRule(),
  logsumexp: (g, n, [x, outKept]) => {
    const gk = n.args.keepdim ? g : g.reshape(outKept.shape);
    return [gk.mul(x.sub(outKept).exp())];
  },
};
