/**
 * The non-CPU paths of the indexing ops whose CPU code reads host memory (index, indexSelect,
 * gather, indexPut_; softmax, cross-entropy and oneHot are in device_functional.ts): they run the backend's optional kernels
 * (`Backend.indexSelect`, `indexAdd`, `softmax`, `crossEntropy`). Index
 * values are not read back, so on such devices an index out of range is
 * clamped instead of raising IndexError (negative indices still count from
 * the end in `index`). Backward rules stay in the op files.
 *
 * @module
 */

import { needsGrad, record } from "../autograd.ts";
import type { Backend } from "../backend.ts";
import { backendFor } from "../device.ts";
import { DTypeError, formatShape, IndexError } from "../errors.ts";
import { markInternal, tidy } from "../memory.ts";
import { broadcastShapes, shapesEqual, sizeOf } from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { empty, full } from "./creation.ts";
import { where } from "./elementwise.ts";

/**
 * Thrown when an op has no kernel on a device (and no simple fallback).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { DeviceKernelError } from "./device_paths.ts";
 * const e = new DeviceKernelError("gather", "webgpu");
 * equal(e.message.startsWith("Cannot run gather on webgpu: no webgpu kernel for it yet"), true);
 * ```
 */
export class DeviceKernelError extends TypeError {
  /**
   * Builds the message from the op and the device.
   *
   * @param op the op
   * @param device the device
   */
  constructor(op: string, device: string) {
    super(
      `Cannot run ${op} on ${device}: no ${device} kernel for it yet; ` +
        `move the tensors with \`await t.toDevice("cpu")\``,
    );
    this.name = "DeviceKernelError";
  }
}

/**
 * The backend's optional kernel, or a DeviceKernelError naming the op.
 *
 * @param op the op name for the message
 * @param t a tensor on the device
 * @param name the Backend method
 * @returns the backend (with that method)
 * @throws {DeviceKernelError} when the backend lacks the method
 */
export function kernelFor<K extends keyof Backend>(
  op: string,
  t: Tensor,
  name: K,
): Backend & Required<Pick<Backend, K>> {
  const be = backendFor(t.device);
  if (be[name] === undefined) throw new DeviceKernelError(op, t.device);
  return be as Backend & Required<Pick<Backend, K>>;
}

/**
 * Checks an index tensor: int32 and on x's device.
 *
 * @param op the op name for messages
 * @param x the indexed tensor
 * @param idx the index tensor
 * @throws {DTypeError} when idx is not int32
 * @throws {TypeError} when the devices differ
 */
export function checkIndexTensor(op: string, x: Tensor, idx: Tensor): void {
  if (idx.dtype !== "int32") {
    throw new DTypeError(`${op}: index tensors must be int32, got ${idx.dtype}`);
  }
  if (idx.device !== x.device) {
    throw new TypeError(
      `Cannot run ${op}: the index is on ${idx.device}, the input on ${x.device}`,
    );
  }
}

/**
 * indexSelect on a device (records the same node as the CPU path).
 *
 * @param op the op name for messages
 * @param x the source
 * @param dim the dim indexed
 * @param idx int32 indices (any shape; flattened)
 * @returns x with `dim` replaced by the number of indices
 */
export function selectRowsDevice(op: string, x: Tensor, dim: number, idx: Tensor): Tensor {
  checkIndexTensor(op, x, idx);
  const be = kernelFor(op, x, "indexSelect");
  const c = idx.contiguousRaw();
  const ic = c.viewRaw([idx.size]);
  if (c !== idx) c.dispose(); // the view keeps the copy's buffer
  const shape = x.shape.slice();
  const size = shape[dim];
  shape[dim] = idx.size;
  const out = empty(shape, x.dtype, x.device);
  const outer = sizeOf(x.shape.slice(0, dim)), inner = sizeOf(x.shape.slice(dim + 1));
  const xc = x.contiguousRaw();
  be.indexSelect(xc, outer, size, inner, ic, out);
  if (xc !== x) xc.dispose();
  if (needsGrad(x)) record(out, "indexSelect", [x], [markInternal(ic)], { dim, shape: x.shape });
  return out;
}

/**
 * `x[indices]` on a device: the index tensors are combined into flat row
 * numbers with elementwise int32 ops, then one indexSelect.
 *
 * @param x the source
 * @param indices one int32 tensor, or one per leading dim
 * @returns the picked rows
 * @throws {IndexError} for no or too many index tensors
 */
export function indexDevice(x: Tensor, indices: Tensor | readonly Tensor[]): Tensor {
  const list = indices instanceof Tensor ? [indices] : indices;
  const k = list.length;
  if (k === 0 || k > x.ndim) {
    throw new IndexError(
      `index: cannot index a ${x.ndim}-d tensor of shape ${formatShape(x.shape)} with ${k} ` +
        "index tensors",
    );
  }
  let idxShape: number[] = list[0].shape.slice();
  for (let d = 1; d < k; d++) idxShape = broadcastShapes("index", idxShape, list[d].shape);
  const flat = flatRowsDevice("index", x, list);
  const rest = x.shape.slice(k);
  const src = k === 1 ? x : x.reshape([sizeOf(x.shape.slice(0, k)), ...rest]);
  const rows = shapesEqual(flat.shape, idxShape) ? flat : flat.expand(idxShape);
  const out = selectRowsDevice("index", src, 0, rows);
  flat.dispose(); // selectRowsDevice saved its own view or copy
  if (rows !== flat) rows.dispose();
  return out.reshape([...idxShape, ...rest]);
}

/** Flat row numbers of k index tensors (negatives wrapped); tidy frees the temporaries. */
function flatRowsDevice(op: string, x: Tensor, list: readonly Tensor[]): Tensor {
  return tidy(() => {
    let f: Tensor | null = null;
    for (let d = 0; d < list.length; d++) {
      checkIndexTensor(op, x, list[d]);
      const t = list[d], bound = x.shape[d];
      const wrapped = where(t.lt(0), t.add(bound), t);
      f = f === null ? wrapped : f.mul(bound).add(wrapped);
    }
    return f!;
  });
}

/**
 * `indexPut_` with `accumulate: true` on a device (the bigram counts `N[ix1, ix2] += 1`):
 * a scatter-add of the values into x's rows (checks already done by the caller).
 *
 * @param x the tensor written in place
 * @param indices one int32 tensor per leading dim
 * @param idxShape their broadcast shape
 * @param values the values (a number or a tensor broadcastable to the indexed shape)
 * @param accumulate must be true (assignment has no device kernel yet)
 * @throws {DeviceKernelError} for accumulate false
 */
export function indexPutDevice(
  x: Tensor,
  indices: readonly Tensor[],
  idxShape: readonly number[],
  values: Tensor | number,
  accumulate: boolean,
): void {
  if (!accumulate) throw new DeviceKernelError("indexPut_ without accumulate", x.device);
  const be = kernelFor("indexPut_", x, "indexAdd");
  const k = indices.length;
  const rest = x.shape.slice(k), count = sizeOf(idxShape), rowSize = sizeOf(rest);
  tidy(() => {
    const flat = flatRowsDevice("indexPut_", x, indices);
    const rows = (shapesEqual(flat.shape, idxShape) ? flat : flat.expand(idxShape))
      .contiguousRaw();
    const v = typeof values === "number" ? full([], values, { device: x.device }) : values;
    const vals = v.expand([...idxShape, ...rest]).contiguousRaw();
    const direct = x.isContiguous() && x.offset === 0;
    const dest = direct ? x : x.contiguousRaw(true);
    be.indexAdd(vals, 1, sizeOf(x.shape.slice(0, k)), rowSize, rows.viewRaw([count]), dest);
    if (!direct) x.copy_(dest);
    else x.storage.version++;
  });
}

/**
 * The indexSelect backward on a device: scatter-add of g into zeros.
 *
 * @param g the output gradient
 * @param shape the input's shape
 * @param dim the indexed dim
 * @param idx the saved (flat, contiguous) indices
 * @returns the input gradient
 */
export function indexAddDevice(
  g: Tensor,
  shape: readonly number[],
  dim: number,
  idx: Tensor,
): Tensor {
  const be = kernelFor("indexSelect backward", g, "indexAdd");
  const acc = empty(shape, "float32", g.device);
  const outer = sizeOf(shape.slice(0, dim)), inner = sizeOf(shape.slice(dim + 1));
  const gc = g.contiguousRaw();
  be.indexAdd(gc, outer, shape[dim], inner, idx, acc);
  if (gc !== g) gc.dispose();
  return acc;
}

/**
 * gather on a device (shapes already checked; records the same node as the CPU path).
 *
 * @param x the source
 * @param dim the gathered dim (normalised)
 * @param idx int32 indices of x's rank
 * @returns a tensor of idx's shape
 */
export function gatherDevice(x: Tensor, dim: number, idx: Tensor): Tensor {
  checkIndexTensor("gather", x, idx);
  const be = kernelFor("gather", x, "gather");
  const xc = x.contiguousRaw(), ic = idx.contiguousRaw();
  const out = empty(idx.shape, x.dtype, x.device);
  be.gather(xc, dim, ic, out);
  if (xc !== x) xc.dispose();
  if (needsGrad(x)) {
    const saved = ic === idx ? markInternal(idx.viewRaw(idx.shape)) : markInternal(ic);
    record(out, "gather", [x], [saved], { dim, shape: x.shape });
  } else if (ic !== idx) ic.dispose();
  return out;
}

/**
 * The gather backward on a device.
 *
 * @param g the output gradient (idx's shape)
 * @param shape the input's shape
 * @param dim the gathered dim
 * @param idx the saved indices
 * @returns the input gradient
 */
export function scatterAddDevice(
  g: Tensor,
  shape: readonly number[],
  dim: number,
  idx: Tensor,
): Tensor {
  const be = kernelFor("gather backward", g, "scatterAdd");
  const acc = empty(shape, "float32", g.device);
  const gc = g.contiguousRaw();
  be.scatterAdd(gc, dim, idx, acc);
  if (gc !== g) gc.dispose();
  return acc;
}
