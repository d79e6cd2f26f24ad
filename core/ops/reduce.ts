/**
 * Reductions over all or given dims, with `keepdim`: sum, mean, max/min
 * (values and indices), argmax/argmin, var/std, logsumexp. Primitive kernels
 * are sum/max/min along one block of dims; mean, var, std and logsumexp are
 * composed from other ops, so their gradients come for free.
 *
 * @module
 */

import { type BackwardRule, needsGrad, noGrad, record } from "../autograd.ts";
import type { ReduceKernel } from "../backend.ts";
import { DTypeError, formatShape, IndexError } from "../errors.ts";
import { normalizeDim, normalizeDims, sizeOf } from "../shape.ts";
import { backendFor, Tensor } from "../tensor.ts";
import { arange, empty } from "./creation.ts";
import { cast, compare, unaryRaw, where } from "./elementwise.ts";
import type { ReduceOp } from "./op_names.ts";

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

/** A tensor's values and their positions along the reduced dim. */
export interface ValuesIndices {
  /** The max or min values. */
  values: Tensor;
  /** Their int32 indices along the reduced dim. */
  indices: Tensor;
}

function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  const s = shape.slice();
  for (const d of dims) s[d] = 1;
  return s;
}

function droppedShape(shape: readonly number[], dims: readonly number[]): number[] {
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
  let out = reduceRaw("sum", x.dtype === "bool" ? cast(x, "int32") : x, dims);
  if (!opts?.keepdim) out = out.viewRaw(droppedShape(x.shape, dims));
  if (needsGrad(x)) record(out, "sum", [x], [], { dims, keepdim: opts?.keepdim ?? false });
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
  let n = 1;
  for (const d of dims) n *= x.shape[d];
  return sum(x, dims, opts).div(n);
}

function extreme(
  op: "max" | "min",
  x: Tensor,
  dim: number | undefined,
  opts?: ReduceOptions,
): Tensor | ValuesIndices {
  if (dim === undefined) {
    if (x.size === 0) {
      throw new IndexError(
        `${op}: cannot reduce an empty tensor of shape ${formatShape(x.shape)} without a dim`,
      );
    }
    const dims = normalizeDims(op, undefined, x.ndim);
    const out = reduceRaw(op, x, dims).viewRaw([]);
    if (needsGrad(x)) record(out, op, [x], [x, out], { dims });
    return out;
  }
  const d = normalizeDim(op, dim, x.ndim);
  const shape = x.shape.length === 0 ? [1] : x.shape;
  const n = shape[d];
  if (n === 0) {
    throw new IndexError(
      `${op}: cannot reduce dim ${d} of size 0 (shape ${formatShape(x.shape)})`,
    );
  }
  const src = x.isContiguous() ? x : x.contiguousRaw();
  const kept = keptShape(x.shape, x.ndim === 0 ? [] : [d]);
  const values = empty(kept, x.dtype, x.device), indices = empty(kept, "int32", x.device);
  backendFor(x.device).reduce(
    op,
    src,
    sizeOf(shape.slice(0, d)),
    n,
    sizeOf(shape.slice(d + 1)),
    values,
    indices,
  );
  const keep = opts?.keepdim || x.ndim === 0;
  const v = keep ? values : values.viewRaw(droppedShape(x.shape, [d]));
  const i = keep ? indices : indices.viewRaw(droppedShape(x.shape, [d]));
  if (needsGrad(x)) record(v, op, [x], [indices], { dim: d, keepdim: keep });
  return { values: v, indices: i };
}

/**
 * Max over everything (a 0-d tensor) or along `dim` (`{values, indices}`).
 * NaN wins, as in PyTorch.
 *
 * @param x input
 * @param dim the dim to reduce, or undefined for all
 * @param opts keepdim
 * @returns the max, or values and indices
 * @throws {IndexError} on a bad dim or an empty reduction
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { max } from "./reduce.ts";
 * const x = tensor([[1, 9, 3], [7, 5, 6]]);
 * equal((max(x) as ReturnType<typeof tensor>).itemSync(), 9);
 * const { values, indices } = max(x, 1) as { values: typeof x; indices: typeof x };
 * deepEqual(values.toArraySync(), [9, 7]);
 * deepEqual(indices.toArraySync(), [1, 0]);
 * ```
 */
export function max(x: Tensor, dim?: number, opts?: ReduceOptions): Tensor | ValuesIndices {
  return extreme("max", x, dim, opts);
}

/**
 * Min over everything or along `dim`; see {@link max}.
 *
 * @param x input
 * @param dim the dim to reduce, or undefined for all
 * @param opts keepdim
 * @returns the min, or values and indices
 * @throws {IndexError} on a bad dim or an empty reduction
 */
export function min(x: Tensor, dim?: number, opts?: ReduceOptions): Tensor | ValuesIndices {
  return extreme("min", x, dim, opts);
}

/**
 * Index of the max (over the flattened tensor when `dim` is omitted).
 *
 * @param x input
 * @param dim the dim, or undefined
 * @param opts keepdim
 * @param op "max" or "min"
 * @returns int32 indices
 * @throws {IndexError} on a bad dim or an empty reduction
 */
export function argExtreme(
  x: Tensor,
  dim: number | undefined,
  opts: ReduceOptions | undefined,
  op: "max" | "min",
): Tensor {
  const name = op === "max" ? "argmax" : "argmin";
  return noGrad(() => {
    if (dim === undefined) {
      const flat = extreme(op, x.reshape([-1]), 0) as ValuesIndices;
      return flat.indices.viewRaw([]);
    }
    try {
      return (extreme(op, x, dim, opts) as ValuesIndices).indices;
    } catch (e) {
      if (e instanceof IndexError) throw new IndexError(e.message.replace(op, name));
      throw e;
    }
  });
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
  let n = 1;
  for (const d of dims) n *= x.shape[d];
  const d = x.sub(mean(x, dims, { keepdim: true }));
  const ss = d.mul(d).sum(dims, { keepdim: opts?.keepdim });
  return ss.div(Math.max(0, n - (opts?.unbiased === false ? 0 : 1)));
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
  const m = noGrad(() => {
    if (x.size === 0) return empty(keptShape(x.shape, dims), "float32", x.device);
    const mx = reduceRaw("max", x, dims);
    return where(unaryRaw("isInf", mx), 0, mx);
  });
  const out = x.sub(m).exp().sum(dims, { keepdim: true }).log().add(m);
  return opts?.keepdim ? out : out.reshape(droppedShape(x.shape, dims));
}

function extremeRule(): BackwardRule {
  return (g, n, saved) => {
    const x = n.inputs[0];
    if (n.args.dim === undefined) {
      const [xs, out] = saved;
      const mask = compare("eq", xs, out);
      return [where(mask, g.div(mask.sum()), 0)];
    }
    const d = n.args.dim;
    const gk = n.args.keepdim ? g : g.unsqueeze(d);
    const along = x.shape.map((_, i) => (i === d ? x.shape[d] : 1));
    const mask = compare("eq", saved[0], arange(x.shape[d] ?? 1).reshape(along));
    return [where(mask, gk, 0)];
  };
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
};
