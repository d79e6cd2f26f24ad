/**
 * The non-CPU paths of softmax, logSoftmax, crossEntropy and oneHot (their CPU code reads host
 * memory): the backend's optional `softmax` and `crossEntropy` kernels, oneHot as a comparison.
 * Backward rules stay in functional.ts.
 *
 * @module
 */

import { needsGrad, record } from "../autograd.ts";
import { markInternal } from "../memory.ts";
import { sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { arange, empty } from "./creation.ts";
import { checkIndexTensor, DeviceKernelError, kernelFor } from "./device_paths.ts";

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
