/**
 * Max/min reductions: over everything (a 0-d tensor, gradient shared by
 * ties) or along one dim (values and indices, gradient to the chosen index),
 * and argmax/argmin.
 *
 * @module
 */

import { type BackwardRule, needsGrad, noGrad, record } from "../autograd.ts";
import { backendFor } from "../device.ts";
import { formatShape, IndexError } from "../errors.ts";
import { normalizeDim, normalizeDims, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { arange, empty } from "./creation.ts";
import { compare, where } from "./elementwise.ts";
import { droppedShape, keepdimOf, keptShape, type ReduceOptions, reduceRaw } from "./reduce.ts";

/** A tensor's values and their positions along the reduced dim. */
export interface ValuesIndices {
  /** The max or min values. */
  values: Tensor;
  /** Their int32 indices along the reduced dim. */
  indices: Tensor;
}

function extreme(
  op: "max" | "min",
  x: Tensor,
  dim: number | undefined,
  opts?: ReduceOptions,
): Tensor | ValuesIndices {
  const keepdim = keepdimOf(op, opts);
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
  const keep = keepdim || x.ndim === 0;
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
  keepdimOf(name, opts);
  if (dim !== undefined) normalizeDim(name, dim, x.ndim);
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
 * The backward rule shared by max and min.
 *
 * @returns the rule
 */
export function extremeRule(): BackwardRule {
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
    const mask = compare(
      "eq",
      saved[0],
      arange(x.shape[d] ?? 1, undefined, 1, { device: x.device }).reshape(along),
    );
    return [where(mask, gk, 0)];
  };
}
