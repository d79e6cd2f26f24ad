/**
 * The `F` namespace (PyTorch's `torch.nn.functional`): softmax, logSoftmax, crossEntropy,
 * nllLoss, mseLoss, layerNorm, batchNorm, dropout, embedding.
 *
 * softmax, logSoftmax and crossEntropy are fused kernels with their own backward rules
 * ({@link functionalRules}); the others are compositions of differentiable tensor ops, so their
 * gradients come from those ops' rules.
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import { DTypeError, formatShape, IndexError, ShapeError } from "../errors.ts";
import { normalizeDim, sizeOf } from "../shape.ts";
import { cpuData, Tensor } from "../tensor.ts";
import { arange, empty, fromTyped } from "./creation.ts";
import {
  crossEntropyBackwardKernel,
  crossEntropyKernel,
  softmaxKernel,
} from "./functional_kernels.ts";
import { hostData, index } from "./indexing.ts";
import type { FunctionalOp } from "./op_names.ts";
import { crossEntropyDevice, crossEntropyGradDevice, softmaxDevice } from "./device_functional.ts";

/** How a loss reduces its per-element values. */
export type Reduction = "mean" | "sum" | "none";

/** Options of the losses. */
export interface LossOptions {
  /** "mean" (default), "sum" or "none". */
  reduction?: Reduction;
}

function checkReduction(op: string, reduction: string): void {
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") {
    throw new RangeError(
      `Cannot run ${op}: reduction must be "mean", "sum" or "none", got ${
        JSON.stringify(reduction)
      }`,
    );
  }
}

function reduce(op: string, losses: Tensor, reduction: Reduction | undefined): Tensor {
  const r = reduction ?? "mean";
  checkReduction(op, r);
  return r === "mean" ? losses.mean() : r === "sum" ? losses.sum() : losses;
}

function requireFloat(op: string, x: Tensor): void {
  if (x.dtype !== "float32") {
    throw new DTypeError(`${op}: expected a float32 input, got ${x.dtype}`);
  }
}

function softmaxLike(op: "softmax" | "logSoftmax", x: Tensor, dim: number): Tensor {
  requireFloat(op, x);
  const d = normalizeDim(op, dim, x.ndim);
  if (x.device !== "cpu") return softmaxDevice(op, x, d);
  const out = empty(x.shape, "float32", x.device);
  const outer = sizeOf(x.shape.slice(0, d)), inner = sizeOf(x.shape.slice(d + 1));
  const size = x.ndim === 0 ? 1 : x.shape[d];
  softmaxKernel(
    hostData(op, x) as Float32Array,
    outer,
    size,
    inner,
    op === "logSoftmax",
    cpuData(out) as Float32Array,
  );
  if (needsGrad(x)) record(out, op, [x], [out], { dim: d });
  return out;
}

/**
 * Softmax along `dim`: `exp(x) / sum(exp(x))`, computed stably (a row with NaN or +Inf, or only
 * -Inf, gives NaN as in PyTorch).
 *
 * @param x a float32 tensor
 * @param dim the dim normalised (negative counts from the end)
 * @returns probabilities of x's shape
 * @throws {DTypeError} when x is not float32
 * @throws {IndexError} when dim is out of range
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { softmax } from "./functional.ts";
 * const p = softmax(tensor([[1, 2, 3]]), -1).dataSync();
 * ok(Math.abs(p[0] + p[1] + p[2] - 1) < 1e-6 && p[2] > p[1]);
 * ```
 */
export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxLike("softmax", x, dim);
}

/**
 * Log-softmax along `dim`: `x - logsumexp(x, dim)`, computed stably.
 *
 * @param x a float32 tensor
 * @param dim the dim normalised
 * @returns log-probabilities of x's shape
 * @throws {DTypeError} when x is not float32
 * @throws {IndexError} when dim is out of range
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { logSoftmax } from "./functional.ts";
 * const l = logSoftmax(tensor([0, 0]), 0).dataSync();
 * ok(Math.abs(l[0] + Math.log(2)) < 1e-6);
 * ```
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return softmaxLike("logSoftmax", x, dim);
}

function checkTargets(op: string, input: Tensor, targets: Tensor): Int32Array {
  if (input.ndim !== 2) {
    throw new ShapeError(
      `${op}: expected (N, C) input, got shape ${formatShape(input.shape)}`,
    );
  }
  if (targets.dtype !== "int32") {
    throw new DTypeError(
      `${op}: targets must be int32 class indices, got ${targets.dtype}` +
        (targets.dtype === "float32" ? " (convert with .to('int32'))" : ""),
    );
  }
  const [n, c] = input.shape;
  if (targets.ndim !== 1 || targets.shape[0] !== n) {
    throw new ShapeError(
      `${op}: expected targets of shape (${n}) for input of shape ${
        formatShape(input.shape)
      }, got ${formatShape(targets.shape)}`,
    );
  }
  if (targets.device !== "cpu") return new Int32Array(0); // not read back; the kernel clamps
  const t = hostData(op, targets) as Int32Array;
  for (let i = 0; i < n; i++) {
    if (t[i] < 0 || t[i] >= c) {
      throw new IndexError(
        `${op}: target ${t[i]} at position ${i} is out of bounds for ${c} classes`,
      );
    }
  }
  return t;
}

/**
 * Cross-entropy between (N, C) logits and int32 class targets (F.cross_entropy): fused
 * log-softmax and NLL; the backward pass is `(softmax - onehot(targets)) * dloss`.
 *
 * @param logits (N, C) unnormalised scores
 * @param targets (N) int32 class indices in `[0, C)`
 * @param opts `reduction`: "mean" (default), "sum" or "none"
 * @returns a scalar, or per-row losses for "none"
 * @throws {DTypeError} when targets are not int32 or logits not float32
 * @throws {ShapeError} when logits are not 2-d or targets are not (N)
 * @throws {IndexError} when a target is out of range
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { crossEntropy } from "./functional.ts";
 * const loss = crossEntropy(tensor([[0, 0, 0]]), tensor([1], { dtype: "int32" }));
 * ok(Math.abs(loss.itemSync() - Math.log(3)) < 1e-6);
 * ```
 */
export function crossEntropy(logits: Tensor, targets: Tensor, opts: LossOptions = {}): Tensor {
  requireFloat("crossEntropy", logits);
  const t = checkTargets("crossEntropy", logits, targets);
  const reduction = opts.reduction ?? "mean";
  checkReduction("crossEntropy", reduction);
  if (logits.device !== "cpu") return crossEntropyDevice(logits, targets, reduction);
  const [n, c] = logits.shape;
  const probs = empty(logits.shape, "float32", logits.device);
  const rows = new Float32Array(n);
  crossEntropyKernel(
    hostData("crossEntropy", logits) as Float32Array,
    n,
    c,
    t,
    cpuData(probs) as Float32Array,
    rows,
  );
  let out: Tensor;
  if (reduction === "none") out = fromTyped(rows, [n], logits.device);
  else {
    // The reduction is fused (one op per step instead of two); summed in float64.
    let total = 0;
    for (let i = 0; i < n; i++) total += rows[i];
    out = fromTyped(
      new Float32Array([reduction === "mean" ? total / n : total]),
      [],
      logits.device,
    );
  }
  if (needsGrad(logits)) {
    const saved = [probs, fromTyped(t.slice(), [n], logits.device)];
    record(out, "crossEntropy", [logits], saved, { reduction });
  }
  return out;
}

/**
 * Negative log-likelihood of (N, C) log-probabilities at int32 targets (F.nll_loss):
 * `-logProbs[arange(N), targets]`, reduced.
 *
 * @param logProbs (N, C) log-probabilities (e.g. from logSoftmax)
 * @param targets (N) int32 class indices
 * @param opts `reduction`: "mean" (default), "sum" or "none"
 * @returns a scalar, or per-row losses for "none"
 * @throws {DTypeError} when targets are not int32
 * @throws {ShapeError} when shapes do not fit
 * @throws {IndexError} when a target is out of range
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { nllLoss } from "./functional.ts";
 * const loss = nllLoss(tensor([[-1, -2], [-3, -4]]), tensor([1, 0], { dtype: "int32" }));
 * ok(Math.abs(loss.itemSync() - 2.5) < 1e-6);
 * ```
 */
export function nllLoss(logProbs: Tensor, targets: Tensor, opts: LossOptions = {}): Tensor {
  requireFloat("nllLoss", logProbs);
  checkTargets("nllLoss", logProbs, targets);
  const rows = arange(logProbs.shape[0], undefined, 1, { dtype: "int32", device: logProbs.device });
  return reduce("nllLoss", index(logProbs, [rows, targets]).neg(), opts.reduction);
}

/**
 * Mean squared error (F.mse_loss): `(input - target)^2`, reduced; shapes broadcast as in
 * PyTorch.
 *
 * @param input predictions
 * @param target targets
 * @param opts `reduction`: "mean" (default), "sum" or "none"
 * @returns a scalar, or the elementwise squared errors for "none"
 * @throws {ShapeError} when the shapes do not broadcast
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { mseLoss } from "./functional.ts";
 * equal(mseLoss(tensor([1, 2]), tensor([3, 2])).itemSync(), 2);
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const d = input.sub(target);
  return reduce("mseLoss", d.mul(d), opts.reduction);
}

/** Backward rules of the fused functional ops. */
export const functionalRules: { [K in FunctionalOp]: BackwardRule } = {
  // y = softmax(x): dx = y * (g - sum(g * y, dim))
  softmax: (g, n, [y]) => [y.mul(g.sub(g.mul(y).sum(n.args.dim!, { keepdim: true })))],
  // y = logSoftmax(x): dx = g - exp(y) * sum(g, dim)
  logSoftmax: (g, n, [y]) => [g.sub(y.exp().mul(g.sum(n.args.dim!, { keepdim: true })))],
  // loss_i = logsumexp(x_i) - x_i[t_i]: dx_i = (softmax(x_i) - onehot(t_i)) * dloss_i, where
  // dloss_i = g_i ("none"), g ("sum") or g / N ("mean")
  crossEntropy: (g, node, [probs, targets]) => {
    if (targets === undefined) return [crossEntropyGradDevice(g, probs, node.args.reduction)];
    const [n, c] = probs.shape;
    const gd = hostData("crossEntropy backward", g) as Float32Array;
    const r = node.args.reduction;
    const scale = r === "none" ? gd : r === "sum" ? gd[0] : gd[0] / n;
    const out = empty(probs.shape, "float32", probs.device);
    crossEntropyBackwardKernel(
      hostData("crossEntropy backward", probs) as Float32Array,
      n,
      c,
      hostData("crossEntropy backward", targets) as Int32Array,
      scale,
      cpuData(out) as Float32Array,
    );
    return [out];
  },
};
