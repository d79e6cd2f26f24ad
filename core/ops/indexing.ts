/**
 * Indexing ops that pick elements by int32 index tensors: `C[X]` and `probs[arange(n), ys]`
 * ({@link index}), {@link indexSelect}, {@link gather}, with their backward rules
 * ({@link indexingRules}). Masks and triangles are in `masking.ts`, the in-place scatter of the
 * bigram lecture in `index_put.ts`, oneHot and embedding in `encoding.ts`.
 *
 * Each op reads: validate (types, shapes, dtypes, devices) → `Backend.flatIndex` (the index
 * values checked against their bounds and combined into row numbers, on the index tensors'
 * device) → one kernel → one backward rule. A float index is a DTypeError; an index out of
 * range an IndexError naming the index, the dim and the bound (on WebGPU at the next readback).
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import { backendFor } from "../device.ts";
import { DTypeError, formatShape, IndexError, ShapeError } from "../errors.ts";
import { markInternal } from "../memory.ts";
import { broadcastShapes, normalizeDim, sizeOf } from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { checkNumber, checkSameDevice, checkTensor, describe } from "../validate.ts";
import { empty } from "./creation.ts";
import type { IndexingOp } from "./op_names.ts";

// The whole indexing family is reachable from this file (Tensor methods delegate here).
export { embedding, oneHot } from "./encoding.ts";
export { indexPut_, type IndexPutOptions } from "./index_put.ts";
export { maskedFill, tril, triu } from "./masking.ts";

/** The index tensors of `x[indices]`, checked: 1 to x.ndim int32 tensors on x's device. */
export function indexList(op: string, x: Tensor, indices: unknown): Tensor[] {
  const list = indices instanceof Tensor
    ? [indices]
    : Array.isArray(indices)
    ? indices as unknown[]
    : null;
  if (list === null) {
    throw new TypeError(
      `${op}: indices must be an int32 Tensor or an array of them, got ${describe(indices)}`,
    );
  }
  if (list.length === 0 || list.length > x.ndim) {
    throw new IndexError(
      `${op}: cannot index a ${x.ndim}-d tensor of shape ${formatShape(x.shape)} with ` +
        `${list.length} index tensors`,
    );
  }
  list.forEach((t, d) => checkIndexTensor(op, `indices[${d}]`, t, x));
  return list as Tensor[];
}

/** Throws unless `idx` is an int32 tensor on x's device. */
function checkIndexTensor(
  op: string,
  name: string,
  idx: unknown,
  x: Tensor,
): asserts idx is Tensor {
  checkTensor(op, name, idx);
  if (idx.dtype !== "int32") {
    throw new DTypeError(
      `${op}: index tensors must be int32, got ${idx.dtype}` +
        (idx.dtype === "float32" ? " (convert with .to('int32'))" : ""),
    );
  }
  checkSameDevice(op, x, idx);
}

/**
 * Checked row numbers of x seen as `(prod(shape[:k]), ...shape[k:])` for k index tensors over
 * its leading dims (negative indices count from the end), on x's device: the advanced-indexing
 * core shared by {@link index} and `indexPut_`.
 *
 * @param op the op, for messages
 * @param x the indexed tensor
 * @param list k checked index tensors
 * @returns int32 row numbers of the index tensors' broadcast shape
 * @throws {ShapeError} when the index tensors do not broadcast
 * @throws {IndexError} when an index is out of range (on WebGPU: at the next readback)
 */
export function flatRows(op: string, x: Tensor, list: readonly Tensor[]): Tensor {
  let idxShape: number[] = list[0].shape.slice();
  for (let d = 1; d < list.length; d++) idxShape = broadcastShapes(op, idxShape, list[d].shape);
  const rows = empty(idxShape, "int32", x.device);
  const dims = list.map((_, d) => d);
  backendFor(x.device).flatIndex(list, x.shape.slice(0, list.length), rows, {
    op,
    dims,
    negative: true,
  });
  return rows;
}

/** The indices of one dim checked against its bound (no negatives), contiguous, on idx's device. */
function checkedIndices(op: string, idx: Tensor, bound: number, dim: number): Tensor {
  const out = empty(idx.shape, "int32", idx.device);
  backendFor(idx.device).flatIndex([idx], [bound], out, { op, dims: [dim], negative: false });
  return out;
}

/**
 * Advanced indexing over leading dims: `index(C, X)` is PyTorch's `C[X]` (rows of C picked by
 * an int32 tensor X of any shape, result shape `[...X.shape, ...C.shape.slice(1)]`), and
 * `index(probs, [arange(n), ys])` is `probs[arange(n), ys]` (index tensors broadcast together).
 * Negative indices count from the end. Differentiable in `x` (repeated rows accumulate).
 *
 * @param x the tensor indexed
 * @param indices one int32 index tensor, or one per leading dim
 * @returns a new tensor of shape `[...broadcast index shape, ...x.shape.slice(k)]`
 * @throws {DTypeError} when an index tensor is not int32
 * @throws {IndexError} when an index is out of range or there are more index tensors than dims
 * @throws {ShapeError} when the index tensors do not broadcast
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { arange, tensor } from "./creation.ts";
 * import { index } from "./indexing.ts";
 * const C = tensor([[0, 1], [10, 11], [20, 21]]);
 * deepEqual(index(C, tensor([[2, 0]], { dtype: "int32" })).toArraySync(), [[[20, 21], [0, 1]]]);
 * const probs = tensor([[0.1, 0.9], [0.8, 0.2]]);
 * const ys = tensor([1, 0], { dtype: "int32" });
 * deepEqual(index(probs, [arange(2), ys]).toArraySync(), [0.8999999761581421, 0.800000011920929]);
 * ```
 */
export function index(x: Tensor, indices: Tensor | readonly Tensor[]): Tensor {
  checkTensor("index", "input", x);
  const list = indexList("index", x, indices);
  const rows = flatRows("index", x, list);
  const k = list.length, rest = x.shape.slice(k);
  const src = k === 1 ? x : x.reshape([sizeOf(x.shape.slice(0, k)), ...rest]);
  const out = selectRows(src, 0, rows);
  return out.reshape([...rows.shape, ...rest]);
}

/** indexSelect by checked int32 row numbers (owned: saved for backward, or disposed). */
function selectRows(x: Tensor, dim: number, rows: Tensor): Tensor {
  const shape = x.shape.slice();
  const size = shape[dim];
  shape[dim] = rows.size;
  const out = empty(shape, x.dtype, x.device);
  const outer = sizeOf(x.shape.slice(0, dim)), inner = sizeOf(x.shape.slice(dim + 1));
  const xc = x.contiguousRaw();
  backendFor(x.device).indexSelect(xc, outer, size, inner, rows, out);
  if (xc !== x) xc.dispose();
  if (needsGrad(x)) {
    record(out, "indexSelect", [x], [markInternal(rows)], { dim, shape: x.shape });
  } else rows.dispose();
  return out;
}

/**
 * Picks entries along `dim` by a 1-d int32 index tensor (torch.index_select).
 *
 * @param x the source
 * @param dim the dim indexed (negative counts from the end)
 * @param idx a 1-d (or 0-d) int32 tensor of indices in `[0, x.shape[dim])`
 * @returns a tensor shaped like x with `dim` of length `idx.size`
 * @throws {DTypeError} when idx is not int32
 * @throws {ShapeError} when idx has more than one dim
 * @throws {IndexError} when dim or an index is out of range
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { indexSelect } from "./indexing.ts";
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * deepEqual(indexSelect(x, 1, tensor([2, 2, 0], { dtype: "int32" })).toArraySync(),
 *   [[3, 3, 1], [6, 6, 4]]);
 * ```
 */
export function indexSelect(x: Tensor, dim: number, idx: Tensor): Tensor {
  checkTensor("indexSelect", "input", x);
  checkNumber("indexSelect", "dim", dim, { integer: true });
  checkIndexTensor("indexSelect", "index", idx, x);
  const d = normalizeDim("indexSelect", dim, x.ndim);
  if (idx.ndim > 1) {
    throw new ShapeError(
      `indexSelect: the index must be 1-d, got shape ${formatShape(idx.shape)}`,
    );
  }
  if (x.ndim === 0) throw new ShapeError("indexSelect: cannot index a 0-d tensor");
  return selectRows(x, d, checkedIndices("indexSelect", idx, x.shape[d], d));
}

/**
 * Gathers values along `dim` (torch.gather): `out[i][j] = x[i][idx[i][j]]` for dim 1.
 *
 * @param x the source
 * @param dim the dim gathered along
 * @param idx an int32 tensor of x's rank, no larger than x in the other dims
 * @returns a tensor of idx's shape
 * @throws {DTypeError} when idx is not int32
 * @throws {ShapeError} when ranks differ or idx is larger than x in another dim
 * @throws {IndexError} when dim or an index is out of range
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { gather } from "./indexing.ts";
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * deepEqual(gather(x, 1, tensor([[2, 0], [1, 1]], { dtype: "int32" })).toArraySync(),
 *   [[3, 1], [5, 5]]);
 * ```
 */
export function gather(x: Tensor, dim: number, idx: Tensor): Tensor {
  checkTensor("gather", "input", x);
  checkNumber("gather", "dim", dim, { integer: true });
  checkIndexTensor("gather", "index", idx, x);
  const d = normalizeDim("gather", dim, x.ndim);
  if (idx.ndim !== x.ndim || idx.shape.some((s, i) => i !== d && s > x.shape[i])) {
    throw new ShapeError(
      `gather: index shape ${formatShape(idx.shape)} does not fit input shape ${
        formatShape(x.shape)
      } (same rank, no larger outside dim ${d})`,
    );
  }
  const v = checkedIndices("gather", idx, x.shape[d], d);
  const out = empty(idx.shape, x.dtype, x.device);
  const xc = x.contiguousRaw();
  backendFor(x.device).gather(xc, d, v, out);
  if (xc !== x) xc.dispose();
  if (needsGrad(x)) record(out, "gather", [x], [markInternal(v)], { dim: d, shape: x.shape });
  else v.dispose();
  return out;
}

/** Backward rules of the indexing ops (tril/triu/maskedFill are `where`; index is indexSelect). */
export const indexingRules: { [K in IndexingOp]: BackwardRule } = {
  // scatter-add of g into zeros of x's shape, at the saved (checked) row numbers
  indexSelect: (g, n, [idx]) => {
    const shape = n.args.shape!, dim = n.args.dim!;
    const acc = empty(shape, "float32", g.device);
    const outer = sizeOf(shape.slice(0, dim)), inner = sizeOf(shape.slice(dim + 1));
    const gc = g.contiguousRaw();
    backendFor(g.device).indexAdd(gc, outer, shape[dim], inner, idx, acc);
    if (gc !== g) gc.dispose();
    return [acc];
  },
  gather: (g, n, [idx]) => {
    const acc = empty(n.args.shape!, "float32", g.device);
    const gc = g.contiguousRaw();
    backendFor(g.device).scatterAdd(gc, n.args.dim!, idx, acc);
    if (gc !== g) gc.dispose();
    return [acc];
  },
};
