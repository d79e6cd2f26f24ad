/**
 * The non-CPU paths of the ops whose CPU code reads host memory (indexing,
 * softmax, cross-entropy, oneHot): they run the backend's optional kernels
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
import { arange, empty, full } from "./creation.ts";
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

function checkIndexTensor(op: string, x: Tensor, idx: Tensor): void {
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

/**
 * Softmax or log-softmax on a device (records the same node as the CPU path).
 *
 * @param op "softmax" or "logSoftmax"
 * @param x float32 input
 * @param d the normalised dim (normalised)
 * @returns the result
 */
export function softmaxDevice(op: "softmax" | "logSoftmax", x: Tensor, d: number): Tensor {
  const be = kernelFor(op, x, "softmax");
  const out = empty(x.shape, "float32", x.device);
  const outer = sizeOf(x.shape.slice(0, d)), inner = sizeOf(x.shape.slice(d + 1));
  const size = x.ndim === 0 ? 1 : x.shape[d];
  const xc = x.contiguousRaw();
  be.softmax(xc, outer, size, inner, op === "logSoftmax", out);
  if (xc !== x) xc.dispose();
  if (needsGrad(x)) record(out, op, [x], [out], { dim: d });
  return out;
}

/**
 * Fused cross-entropy on a device (shapes already checked). Saves the
 * unscaled gradient `softmax − onehot`; the rule in functional.ts scales it.
 *
 * @param logits (N, C) float32
 * @param targets (N) int32
 * @param reduction "mean", "sum" or "none"
 * @returns the loss
 */
export function crossEntropyDevice(
  logits: Tensor,
  targets: Tensor,
  reduction: "mean" | "sum" | "none",
): Tensor {
  checkIndexTensor("crossEntropy", logits, targets);
  const be = kernelFor("crossEntropy", logits, "crossEntropy");
  const [n, c] = logits.shape;
  const rows = empty([n], "float32", logits.device);
  const dlogits = empty([n, c], "float32", logits.device);
  const t = targets.isContiguous() && targets.offset === 0 ? targets : targets.contiguousRaw(true);
  const lc = logits.contiguousRaw();
  be.crossEntropy(lc, t, rows, dlogits);
  if (lc !== logits) lc.dispose();
  if (t !== targets) t.dispose();
  const out = reduction === "none" ? rows : reduction === "sum" ? rows.sum() : rows.mean();
  if (out !== rows) rows.dispose();
  if (needsGrad(logits)) {
    record(out, "crossEntropy", [logits], [markInternal(dlogits)], { reduction });
  } else dlogits.dispose();
  return out;
}

/**
 * The crossEntropy gradient from the saved `softmax − onehot` (device form).
 *
 * @param g the loss gradient
 * @param d the saved unscaled gradient (N, C)
 * @param reduction how the loss was reduced
 * @returns the logits' gradient
 */
export function crossEntropyGradDevice(
  g: Tensor,
  d: Tensor,
  reduction: "mean" | "sum" | "none" | undefined,
): Tensor {
  if (reduction === "none") return d.mul(g.reshape([d.shape[0], 1]));
  return d.mul(reduction === "sum" ? g : g.div(d.shape[0]));
}

/**
 * oneHot on a device, by comparison with a range (numClasses must be given).
 *
 * @param idx int32 classes
 * @param numClasses the number of classes
 * @returns int32 one-hot rows
 * @throws {DeviceKernelError} when numClasses is -1 (it would need a readback)
 */
export function oneHotDevice(idx: Tensor, numClasses: number): Tensor {
  if (numClasses < 0) throw new DeviceKernelError("oneHot without numClasses", idx.device);
  const classes = arange(numClasses, undefined, 1, { dtype: "int32", device: idx.device });
  return idx.unsqueeze(-1).eq(classes).to("int32");
}
