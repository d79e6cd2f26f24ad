/**
 * Indexing ops: `C[X]` and `probs[arange(n), ys]` ({@link index}), {@link indexSelect},
 * {@link gather}, {@link maskedFill}, {@link tril}/{@link triu}, {@link oneHot}, and the
 * in-place scatter-add of the bigram lecture (`N[ix1, ix2] += 1` is
 * `indexPut_(N, [ix1, ix2], 1, { accumulate: true })`).
 *
 * Index tensors must be int32 (a float index is a DTypeError, an index out of range an
 * IndexError naming the index and the bound). Backward rules are in {@link indexingRules}.
 *
 * @module
 */

import { type BackwardRule, isGradEnabled, needsGrad, record } from "../autograd.ts";
import type { TypedArray } from "../dtype.ts";
import { AutogradError, DTypeError, formatShape, IndexError, ShapeError } from "../errors.ts";
import { broadcastShapes, normalizeDim, shapesEqual, sizeOf } from "../shape.ts";
import { cpuData, Tensor } from "../tensor.ts";
import { empty, fromTyped } from "./creation.ts";
import { where } from "./elementwise.ts";
import {
  gatherKernel,
  indexAddKernel,
  indexPutKernel,
  indexSelectKernel,
  scatterAddKernel,
  triangleKernel,
} from "./indexing_kernels.ts";
import type { IndexingOp } from "./op_names.ts";

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
    throw new TypeError(`Cannot run ${op}: no ${t.device} kernel for it yet; use a cpu tensor`);
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
function flatRows(
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
 * Replaces the elements where `mask` is true by `value` (torch.masked_fill). Differentiable in
 * x (filled positions get no gradient).
 *
 * @param x the source
 * @param mask a bool tensor broadcastable to x's shape
 * @param value the fill value (may be ±Infinity, as attention masks use)
 * @returns a new tensor of x's shape
 * @throws {DTypeError} when mask is not bool
 * @throws {ShapeError} when mask does not broadcast to x's shape
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { maskedFill } from "./indexing.ts";
 * const x = tensor([[1, 2], [3, 4]]);
 * deepEqual(maskedFill(x, tensor([false, true]), -Infinity).toArraySync(),
 *   [[1, -Infinity], [3, -Infinity]]);
 * ```
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  if (mask.dtype !== "bool") {
    throw new DTypeError(`maskedFill: the mask must be bool, got ${mask.dtype}`);
  }
  if (!broadcastsTo(mask.shape, x.shape)) {
    throw new ShapeError(
      `maskedFill: mask shape ${formatShape(mask.shape)} does not broadcast to input shape ${
        formatShape(x.shape)
      }`,
    );
  }
  return where(mask, value, x);
}

/** Whether `from` broadcasts to exactly `to` (NumPy rules, `to` unchanged). */
function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[i + off]);
}

function triangle(op: "tril" | "triu", x: Tensor, diagonal: number): Tensor {
  if (x.ndim < 2) {
    throw new ShapeError(
      `${op}: input must have at least 2 dims, got shape ${formatShape(x.shape)}`,
    );
  }
  if (!Number.isInteger(diagonal)) {
    throw new TypeError(`Cannot run ${op}: diagonal must be an integer, got ${diagonal}`);
  }
  const rows = x.shape[x.ndim - 2], cols = x.shape[x.ndim - 1];
  const keep = new Uint8Array(rows * cols).fill(1);
  triangleKernel(keep, 1, rows, cols, diagonal, op === "tril", keep);
  return where(fromTyped(keep, [rows, cols], x.device).to("bool"), x, 0);
}

/**
 * The lower triangle of the last two dims (torch.tril): element (i, j) is kept when
 * `j - i <= diagonal`, else zeroed. Differentiable.
 *
 * @param x a tensor of at least 2 dims
 * @param diagonal 0 for the main diagonal, positive above, negative below
 * @returns a new tensor of x's shape
 * @throws {ShapeError} when x has fewer than 2 dims
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ones } from "./creation.ts";
 * import { tril } from "./indexing.ts";
 * deepEqual(tril(ones([2, 3])).toArraySync(), [[1, 0, 0], [1, 1, 0]]);
 * ```
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle("tril", x, diagonal);
}

/**
 * The upper triangle of the last two dims (torch.triu): element (i, j) is kept when
 * `j - i >= diagonal`, else zeroed. Differentiable.
 *
 * @param x a tensor of at least 2 dims
 * @param diagonal 0 for the main diagonal, positive above, negative below
 * @returns a new tensor of x's shape
 * @throws {ShapeError} when x has fewer than 2 dims
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ones } from "./creation.ts";
 * import { triu } from "./indexing.ts";
 * deepEqual(triu(ones([2, 3]), 1).toArraySync(), [[0, 1, 1], [0, 0, 1]]);
 * ```
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle("triu", x, diagonal);
}

/**
 * One-hot encoding of int32 class indices (F.one_hot): an int32 tensor of shape
 * `[...idx.shape, numClasses]`. Convert with `.to("float32")` to feed a matmul.
 *
 * @param idx int32 class indices, each in `[0, numClasses)`
 * @param numClasses the number of classes; -1 (default) uses `max(idx) + 1`
 * @returns the one-hot int32 tensor
 * @throws {DTypeError} when idx is not int32
 * @throws {IndexError} when a class is negative or not below numClasses
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { oneHot } from "./indexing.ts";
 * deepEqual(oneHot(tensor([2, 0], { dtype: "int32" }), 3).toArraySync(), [[0, 0, 1], [1, 0, 0]]);
 * ```
 */
export function oneHot(idx: Tensor, numClasses = -1): Tensor {
  if (idx.dtype !== "int32") {
    throw new DTypeError(`oneHot: class indices must be int32, got ${idx.dtype}`);
  }
  const v = hostData("oneHot", idx) as Int32Array;
  let c = numClasses;
  if (c === -1) {
    c = 0;
    for (let i = 0; i < v.length; i++) if (v[i] + 1 > c) c = v[i] + 1;
  }
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] >= c) {
      throw new IndexError(`oneHot: class ${v[i]} is out of bounds for ${c} classes`);
    }
  }
  const out = new Int32Array(v.length * c);
  for (let i = 0; i < v.length; i++) out[i * c + v[i]] = 1;
  return fromTyped(out, [...idx.shape, c], idx.device);
}

/** Options of {@link indexPut_}. */
export interface IndexPutOptions {
  /** Add into the indexed positions (repeats add up) instead of assigning (default false). */
  accumulate?: boolean;
}

/**
 * Writes (or with `accumulate`, adds) values at the positions named by one int32 index tensor
 * per leading dim, in place (torch `index_put_`). The bigram counts of the makemore lecture,
 * `N[ix1, ix2] += 1`, are `indexPut_(N, [ix1, ix2], 1, { accumulate: true })`.
 *
 * @param x the tensor written (its version counter is bumped)
 * @param indices one int32 index tensor or one per leading dim (broadcast together)
 * @param values a number, or a tensor of x's dtype broadcastable to the indexed shape
 * @param opts `accumulate`
 * @returns x
 * @throws {AutogradError} when x requires grad and recording is on
 * @throws {DTypeError} when an index is not int32 or values' dtype differs from x's
 * @throws {IndexError} when an index is out of range
 * @throws {ShapeError} when values do not fit the indexed shape
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor, zeros } from "./creation.ts";
 * import { indexPut_ } from "./indexing.ts";
 * const N = zeros([2, 2], { dtype: "int32" });
 * const ix1 = tensor([0, 1, 0], { dtype: "int32" }), ix2 = tensor([1, 0, 1], { dtype: "int32" });
 * indexPut_(N, [ix1, ix2], 1, { accumulate: true });
 * deepEqual(N.toArraySync(), [[0, 2], [1, 0]]);
 * ```
 */
export function indexPut_(
  x: Tensor,
  indices: Tensor | readonly Tensor[],
  values: Tensor | number,
  opts: IndexPutOptions = {},
): Tensor {
  if (isGradEnabled() && x.requiresGrad) {
    throw new AutogradError(
      "Cannot run indexPut_ in place: the tensor requires grad; wrap the update in noGrad(() => ...)",
    );
  }
  const { rows, idxShape, k } = flatRows("indexPut_", x, indices);
  const rest = x.shape.slice(k);
  const rowSize = sizeOf(rest);
  let vals: TypedArray;
  if (typeof values === "number") {
    vals = x.dtype === "float32" ? new Float32Array([values]) : new Int32Array([values]);
  } else {
    if (values.dtype !== x.dtype) {
      throw new DTypeError(
        `indexPut_: values of dtype ${values.dtype} cannot be put into a ${x.dtype} tensor`,
      );
    }
    const target = [...idxShape, ...rest];
    if (!broadcastsTo(values.shape, target)) {
      throw new ShapeError(
        `indexPut_: values of shape ${formatShape(values.shape)} do not broadcast to the ` +
          `indexed shape ${formatShape(target)}`,
      );
    }
    const full = values.size === 1 || shapesEqual(values.shape, target) ||
        shapesEqual(values.shape, rest)
      ? values
      : values.expandRaw(target);
    vals = hostData("indexPut_", full);
  }
  const dest = x.isContiguous() ? x : x.contiguousRaw(true);
  const data = hostData("indexPut_", dest);
  indexPutKernel(data, rows, rowSize, vals, vals.length, opts.accumulate ?? false);
  if (dest !== x) x.copy_(dest); // copy_ bumps the version
  else x.storage.version++;
  return x;
}

/** Backward rules of the indexing ops (tril/triu/maskedFill are `where`; index is indexSelect). */
export const indexingRules: { [K in IndexingOp]: BackwardRule } = {
  indexSelect: (g, n, [idx]) => {
    const shape = n.args.shape!, dim = n.args.dim!;
    const acc = empty(shape, "float32", g.device);
    const outer = sizeOf(shape.slice(0, dim)), inner = sizeOf(shape.slice(dim + 1));
    const iv = hostData("indexSelect backward", idx) as Int32Array;
    indexAddKernel(hostData("indexSelect backward", g), outer, shape[dim], inner, iv, cpuData(acc));
    return [acc];
  },
  gather: (g, n, [idx]) => {
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
