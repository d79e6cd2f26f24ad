/**
 * In-place writes at index tensors: {@link indexPut_} (torch `index_put_`). The bigram counts
 * of the makemore lecture, `N[ix1, ix2] += 1`, are
 * `indexPut_(N, [ix1, ix2], 1, { accumulate: true })`.
 *
 * @module
 */

import { isGradEnabled } from "../autograd.ts";
import type { StridedView } from "../backend.ts";
import { backendFor } from "../device.ts";
import { AutogradError, DTypeError, formatShape, ShapeError } from "../errors.ts";
import { broadcastShapes, broadcastsTo, broadcastStrides, sizeOf } from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { checkOptions, checkSameDevice, checkTensor, describe } from "../validate.ts";
import { full } from "./creation.ts";
import { flatRows, indexList } from "./indexing.ts";

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
 * import { indexPut_ } from "./index_put.ts";
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
  opts?: IndexPutOptions,
): Tensor {
  const op = "indexPut_";
  const o = checkOptions(op, opts, ["accumulate"]);
  checkTensor(op, "input", x);
  if (isGradEnabled() && x.requiresGrad) {
    throw new AutogradError(
      "Cannot run indexPut_ in place: the tensor requires grad; wrap the update in noGrad(() => ...)",
    );
  }
  const list = indexList(op, x, indices);
  let idxShape: number[] = list[0].shape.slice();
  for (const t of list.slice(1)) idxShape = broadcastShapes(op, idxShape, t.shape);
  const k = list.length, rest = x.shape.slice(k);
  const target = [...idxShape, ...rest];
  let v: Tensor;
  if (typeof values === "number" || typeof values === "boolean") {
    v = full([], values, { dtype: x.dtype, device: x.device });
  } else if (values instanceof Tensor) {
    if (values.dtype !== x.dtype) {
      throw new DTypeError(
        `${op}: values of dtype ${values.dtype} cannot be put into a ${x.dtype} tensor`,
      );
    }
    if (!broadcastsTo(values.shape, target)) {
      throw new ShapeError(
        `${op}: values of shape ${formatShape(values.shape)} do not broadcast to the ` +
          `indexed shape ${formatShape(target)}`,
      );
    }
    checkSameDevice(op, x, values);
    v = values;
  } else {
    throw new TypeError(`${op}: values must be a number or a Tensor, got ${describe(values)}`);
  }
  const rows = flatRows(op, x, list);
  const count = rows.size, rowSize = sizeOf(rest);
  const vals = asRows(v, target, idxShape.length, count, rowSize);
  const dest = x.isContiguous() ? x : x.contiguousRaw(true);
  const xRows: StridedView = {
    storage: dest.storage,
    shape: [sizeOf(x.shape.slice(0, k)), rowSize],
    strides: [rowSize, 1],
    offset: dest.offset,
  };
  backendFor(x.device).indexPut(xRows, rows, vals, o.accumulate ?? false);
  rows.dispose();
  if (vals.tensor !== null) vals.tensor.dispose();
  if (typeof values !== "object") v.dispose();
  if (dest !== x) {
    x.copy_(dest); // copy_ bumps the version
    dest.dispose();
  } else x.storage.version++;
  return x;
}

/**
 * `v` broadcast to `target = [...idxShape, ...rest]`, as a `(count, rowSize)` view: a strided
 * view when the index dims and the row dims each collapse to one stride (a scalar, one row, or
 * one row per index), else a contiguous copy (returned as `tensor`, for the caller to dispose).
 */
function asRows(
  v: Tensor,
  target: readonly number[],
  idxRank: number,
  count: number,
  rowSize: number,
): StridedView & { tensor: Tensor | null } {
  const strides = broadcastStrides(v.shape, v.strides, target);
  const s0 = collapsedStride(target.slice(0, idxRank), strides.slice(0, idxRank));
  const s1 = collapsedStride(target.slice(idxRank), strides.slice(idxRank));
  const shape = [count, rowSize];
  if (s0 !== null && s1 !== null) {
    return { storage: v.storage, shape, strides: [s0, s1], offset: v.offset, tensor: null };
  }
  const c = v.expandRaw(target).contiguousRaw(true);
  return { storage: c.storage, shape, strides: [rowSize, 1], offset: 0, tensor: c };
}

/** The one stride that walks `shape` row-major with these strides, or null when there is none. */
function collapsedStride(shape: readonly number[], strides: readonly number[]): number | null {
  let unit: number | null = null, span = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (unit === null) unit = strides[d];
    else if (strides[d] !== unit * span) return null;
    span *= shape[d];
  }
  return unit ?? 0;
}
