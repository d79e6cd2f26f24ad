/**
 * In-place writes at index tensors: {@link indexPut_} (torch `index_put_`). The bigram counts
 * of the makemore lecture, `N[ix1, ix2] += 1`, are
 * `indexPut_(N, [ix1, ix2], 1, { accumulate: true })`.
 *
 * @module
 */

import { isGradEnabled } from "../autograd.ts";
import type { TypedArray } from "../dtype.ts";
import { AutogradError, DTypeError, formatShape, ShapeError } from "../errors.ts";
import { broadcastShapes, shapesEqual, sizeOf } from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { indexPutDevice } from "./device_paths.ts";
import { broadcastsTo, flatRows, hostData } from "./indexing.ts";
import { indexPutKernel } from "./indexing_kernels.ts";

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
  opts: IndexPutOptions = {},
): Tensor {
  if (isGradEnabled() && x.requiresGrad) {
    throw new AutogradError(
      "Cannot run indexPut_ in place: the tensor requires grad; wrap the update in noGrad(() => ...)",
    );
  }
  if (x.device !== "cpu") {
    const list = indices instanceof Tensor ? [indices] : indices;
    let idxShape: number[] = list[0]?.shape.slice() ?? [];
    for (let d = 1; d < list.length; d++) {
      idxShape = broadcastShapes("indexPut_", idxShape, list[d].shape);
    }
    if (list.length === 0 || list.length > x.ndim) flatRows("indexPut_", x, indices); // throws
    if (typeof values !== "number") {
      const target = [...idxShape, ...x.shape.slice(list.length)];
      if (values.dtype !== x.dtype || !broadcastsTo(values.shape, target)) {
        throw new ShapeError(
          `indexPut_: values of shape ${formatShape(values.shape)} and dtype ${values.dtype} ` +
            `do not fit the indexed shape ${formatShape(target)} of a ${x.dtype} tensor`,
        );
      }
    }
    indexPutDevice(x, list, idxShape, values, opts.accumulate ?? false);
    return x;
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
