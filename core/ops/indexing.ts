/**
 * Indexing ops that pick elements by int32 index tensors: `C[X]` and `probs[arange(n), ys]`
 * ({@link index}), {@link indexSelect}, {@link gather}, with their backward rules
 * ({@link indexingRules}). Masks and triangles are in `masking.ts`, the in-place scatter of the
 * bigram lecture in `index_put.ts`, oneHot and embedding in `encoding.ts`.
 *
 * Index tensors must be int32 (a float index is a DTypeError, an index out of range an
 * IndexError naming the index and the bound).
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import type { TypedArray } from "../dtype.ts";
import { DTypeError, formatShape, IndexError, ShapeError } from "../errors.ts";
import { broadcastShapes, normalizeDim, shapesEqual, sizeOf } from "../shape.ts";
import { cpuData, Tensor } from "../tensor.ts";
import { empty, fromTyped } from "./creation.ts";
import {
  gatherKernel,
  indexAddKernel,
  indexSelectKernel,
  scatterAddKernel,
} from "./indexing_kernels.ts";
import type { IndexingOp } from "./op_names.ts";
import {
  DeviceKernelError,
  gatherDevice,
  indexAddDevice,
  indexDevice,
  scatterAddDevice,
  selectRowsDevice,
} from "./device_paths.ts";

// The whole indexing family is reachable from this file (Tensor methods delegate here).
export { embedding, oneHot } from "./encoding.ts";
export { indexPut_, type IndexPutOptions } from "./index_put.ts";
export { maskedFill, tril, triu } from "./masking.ts";

/**
 * The contiguous elements of a CPU tensor (a shared subarray when already contiguous).
 *
 * @param op the op name for the error message
 * @param t the tensor
 * @returns its elements in row-major order
 * @throws {TypeError} for tensors on a device without these kernels yet
 */
export function hostData(op: string, t: Tensor): TypedArray {
  if (t.device !== "cpu") {
    throw new DeviceKernelError(op, t.device);
  }
  const c = t.contiguousRaw();
  const d = cpuData(c);
  return c.offset === 0 && d.length === c.size ? d : d.subarray(c.offset, c.offset + c.size);
}

/**
 * Validates an index tensor and returns its values, negatives wrapped when allowed.
 *
 * @param op the op name for messages
 * @param idx the index tensor
 * @param bound the size of the indexed dim
 * @param dim the indexed dim (for the message)
 * @param allowNegative whether `-bound <= i < 0` counts from the end (as in `C[X]`)
 * @returns the indices, each in `[0, bound)` (a copy when any was wrapped)
 * @throws {DTypeError} when idx is not int32
 * @throws {IndexError} naming the first index outside the bound
 * @example
 * ```ts
 * import { deepEqual, throws } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { checkIndices } from "./indexing.ts";
 * deepEqual([...checkIndices("index", tensor([2, -1], { dtype: "int32" }), 3, 0, true)], [2, 2]);
 * throws(() => checkIndices("index", tensor([3], { dtype: "int32" }), 3, 0, true),
 *   /index: index 3 is out of bounds for dim 0 with size 3/);
 * ```
 */
export function checkIndices(
  op: string,
  idx: Tensor,
  bound: number,
  dim: number,
  allowNegative: boolean,
): Int32Array {
  if (idx.dtype !== "int32") {
    throw new DTypeError(
      `${op}: index tensors must be int32, got ${idx.dtype}` +
        (idx.dtype === "float32" ? " (convert with .to('int32'))" : ""),
    );
  }
  let v = hostData(op, idx) as Int32Array;
  let copied = false;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x >= 0 && x < bound) continue;
    if (allowNegative && x < 0 && x >= -bound) {
      if (!copied) {
        v = v.slice();
        copied = true;
      }
      v[i] = x + bound;
      continue;
    }
    throw new IndexError(`${op}: index ${x} is out of bounds for dim ${dim} with size ${bound}`);
  }
  return v;
}

/**
 * Row numbers of `x` seen as (prod(shape[:k]), ...shape[k:]) for k index tensors: the
 * advanced-indexing core shared by {@link index} and {@link indexPut_}.
 */
export function flatRows(
  op: string,
  x: Tensor,
  indices: Tensor | readonly Tensor[],
): { rows: Int32Array; idxShape: number[]; k: number } {
  const list = indices instanceof Tensor ? [indices] : indices;
  const k = list.length;
  if (k === 0 || k > x.ndim) {
    throw new IndexError(
      `${op}: cannot index a ${x.ndim}-d tensor of shape ${formatShape(x.shape)} with ${k} ` +
        "index tensors",
    );
  }
  if (k === 1) {
    const rows = checkIndices(op, list[0], x.shape[0], 0, true);
    return { rows, idxShape: list[0].shape.slice(), k };
  }
  let idxShape: number[] = list[0].shape.slice();
  for (let d = 1; d < k; d++) idxShape = broadcastShapes(op, idxShape, list[d].shape);
  const n = sizeOf(idxShape);
  const rows = new Int32Array(n);
  for (let d = 0; d < k; d++) {
    const t = list[d];
    const b = shapesEqual(t.shape, idxShape) ? t : t.expandRaw(idxShape);
    const v = checkIndices(op, b, x.shape[d], d, true);
    const span = x.shape[d];
    for (let p = 0; p < n; p++) rows[p] = rows[p] * span + v[p];
  }
  return { rows, idxShape, k };
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
  if (x.device !== "cpu") return indexDevice(x, indices);
  const { rows, idxShape, k } = flatRows("index", x, indices);
  const rest = x.shape.slice(k);
  const src = k === 1 ? x : x.reshape([sizeOf(x.shape.slice(0, k)), ...rest]);
  const out = selectRows("index", src, 0, rows);
  return out.reshape([...idxShape, ...rest]);
}

/** indexSelect on already validated indices (records the node). */
function selectRows(op: string, x: Tensor, dim: number, idx: Int32Array): Tensor {
  const shape = x.shape.slice();
  const size = shape[dim];
  shape[dim] = idx.length;
  const out = empty(shape, x.dtype, x.device);
  const outer = sizeOf(x.shape.slice(0, dim)), inner = sizeOf(x.shape.slice(dim + 1));
  indexSelectKernel(hostData(op, x), outer, size, inner, idx, cpuData(out));
  if (needsGrad(x)) {
    const saved = fromTyped(idx.slice(), [idx.length], x.device);
    record(out, "indexSelect", [x], [saved], { dim, shape: x.shape });
  }
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
  const d = normalizeDim("indexSelect", dim, x.ndim);
  if (idx.ndim > 1) {
    throw new ShapeError(
      `indexSelect: the index must be 1-d, got shape ${formatShape(idx.shape)}`,
    );
  }
  if (x.ndim === 0) throw new ShapeError("indexSelect: cannot index a 0-d tensor");
  if (x.device !== "cpu") return selectRowsDevice("indexSelect", x, d, idx);
  return selectRows("indexSelect", x, d, checkIndices("indexSelect", idx, x.shape[d], d, false));
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
  const d = normalizeDim("gather", dim, x.ndim);
  if (idx.ndim !== x.ndim || idx.shape.some((s, i) => i !== d && s > x.shape[i])) {
    throw new ShapeError(
      `gather: index shape ${formatShape(idx.shape)} does not fit input shape ${
        formatShape(x.shape)
      } (same rank, no larger outside dim ${d})`,
    );
  }
  if (x.device !== "cpu") return gatherDevice(x, d, idx);
  const v = checkIndices("gather", idx, x.shape[d], d, false);
  const out = empty(idx.shape, x.dtype, x.device);
  gatherKernel(hostData("gather", x), x.shape, d, v, idx.shape, cpuData(out));
  if (needsGrad(x)) {
    record(out, "gather", [x], [fromTyped(v.slice(), idx.shape.slice(), x.device)], {
      dim: d,
      shape: x.shape,
    });
  }
  return out;
}

/**
 * Whether shape `from` broadcasts to exactly `to` (NumPy rules, `to` unchanged).
 *
 * @param from the shape broadcast
 * @param to the target shape
 * @returns true when every dim of `from` is 1 or matches `to`, right-aligned
 */
export function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[i + off]);
}

/** Backward rules of the indexing ops (tril/triu/maskedFill are `where`; index is indexSelect). */
export const indexingRules: { [K in IndexingOp]: BackwardRule } = {
  indexSelect: (g, n, [idx]) => {
    const shape = n.args.shape!, dim = n.args.dim!;
    if (g.device !== "cpu") return [indexAddDevice(g, shape, dim, idx)];
    const acc = empty(shape, "float32", g.device);
    const outer = sizeOf(shape.slice(0, dim)), inner = sizeOf(shape.slice(dim + 1));
    const iv = hostData("indexSelect backward", idx) as Int32Array;
    indexAddKernel(hostData("indexSelect backward", g), outer, shape[dim], inner, iv, cpuData(acc));
    return [acc];
  },
  gather: (g, n, [idx]) => {
    if (g.device !== "cpu") return [scatterAddDevice(g, n.args.shape!, n.args.dim!, idx)];
    const acc = empty(n.args.shape!, "float32", g.device);
    const iv = hostData("gather backward", idx) as Int32Array;
    scatterAddKernel(
      hostData("gather backward", g),
      n.args.shape!,
      n.args.dim!,
      iv,
      idx.shape,
      cpuData(acc),
    );
    return [acc];
  },
};
