/**
 * The `F` namespace (PyTorch's `torch.nn.functional`): softmax, logSoftmax, causalSoftmax,
 * crossEntropy, nllLoss, mseLoss, layerNorm, batchNorm, dropout, embedding.
 *
 * softmax, logSoftmax, causalSoftmax and crossEntropy are fused kernels of the backend with their own backward
 * rules ({@link functionalRules}); nllLoss and mseLoss are compositions of differentiable
 * tensor ops, so their gradients come from those ops' rules.
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import { backendFor } from "../device.ts";
import { DTypeError, formatShape, ShapeError } from "../errors.ts";
import { disposeOnThrow, markInternal } from "../memory.ts";
import { normalizeDim, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkNumber,
  checkOneOf,
  checkOptions,
  checkSameDevice,
  checkTensor,
} from "../validate.ts";
import { arange, empty } from "./creation.ts";
import { index } from "./indexing.ts";
import type { FunctionalOp } from "./op_names.ts";

/** How a loss reduces its per-element values. */
export type Reduction = "mean" | "sum" | "none";

/** Options of the losses. */
export interface LossOptions {
  /** "mean" (default), "sum" or "none". */
  reduction?: Reduction;
}

const REDUCTIONS: readonly Reduction[] = ["mean", "sum", "none"];

function reduce(losses: Tensor, reduction: Reduction): Tensor {
  return reduction === "mean" ? losses.mean() : reduction === "sum" ? losses.sum() : losses;
}

function requireFloat(op: string, name: string, x: unknown): asserts x is Tensor {
  checkTensor(op, name, x);
  if (x.dtype !== "float32") {
    throw new DTypeError(`${op}: expected a float32 ${name}, got ${x.dtype}`);
  }
}

function softmaxLike(op: "softmax" | "logSoftmax", x: Tensor, dim: number): Tensor {
  requireFloat(op, "input", x);
  checkNumber(op, "dim", dim, { integer: true });
  const d = normalizeDim(op, dim, x.ndim);
  const out = empty(x.shape, "float32", x.device);
  const outer = sizeOf(x.shape.slice(0, d)), inner = sizeOf(x.shape.slice(d + 1));
  const size = x.ndim === 0 ? 1 : x.shape[d];
  const xc = x.contiguousRaw();
  backendFor(x.device).softmax(xc, outer, size, inner, op === "logSoftmax", out);
  if (xc !== x) xc.dispose();
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

/**
 * The attention weights of causal self-attention in one kernel: softmax over the last dim of
 * `x·scale` after masking each entry above the diagonal to −∞, where a query (row i of the last
 * two dims) sees keys j ≤ i + cols − rows — nanoGPT's
 * `(q @ k.transpose(-2, -1) * scale).masked_fill(tril == 0, float('-inf')).softmax(-1)`.
 * Masked weights are exactly 0; a row that sees no key (rows > cols) is NaN.
 *
 * @param x float32 scores `(..., rows, cols)`, at least 2-d
 * @param scale the factor applied before masking (nanoGPT: 1/√head_size)
 * @returns weights of x's shape
 * @throws {DTypeError} when x is not float32
 * @throws {ShapeError} when x has fewer than 2 dims
 * @throws {RangeError} when scale is NaN or infinite
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { causalSoftmax } from "./functional.ts";
 * deepEqual(causalSoftmax(tensor([[5, 9], [0, 0]]), 0.5).toArraySync(), [[1, 0], [0.5, 0.5]]);
 * ```
 */
export function causalSoftmax(x: Tensor, scale = 1): Tensor {
  requireFloat("causalSoftmax", "input", x);
  checkNumber("causalSoftmax", "scale", scale);
  if (x.ndim < 2) {
    throw new ShapeError(
      `causalSoftmax: expected scores (..., queries, keys) with at least 2 dims, got ${
        formatShape(x.shape)
      }`,
    );
  }
  const rows = x.shape[x.ndim - 2], cols = x.shape[x.ndim - 1];
  const out = empty(x.shape, "float32", x.device);
  const xc = x.contiguousRaw();
  backendFor(x.device).causalSoftmax(
    xc,
    sizeOf(x.shape) / (rows * cols) || 0,
    rows,
    cols,
    scale,
    out,
  );
  if (xc !== x) xc.dispose();
  if (needsGrad(x)) record(out, "causalSoftmax", [x], [out], { scale });
  return out;
}

/** `scale·y·(g − Σ g·y)` over the last dim: softmax's backward in one kernel. */
function softmaxBackward(y: Tensor, g: Tensor, scale: number): Tensor {
  const size = y.shape[y.ndim - 1] ?? 1;
  const out = empty(y.shape, "float32", y.device);
  const gc = g.contiguousRaw();
  backendFor(y.device).softmaxBackward(y, gc, sizeOf(y.shape) / size || 0, size, scale, out);
  if (gc !== g) gc.dispose();
  return out;
}

function checkTargets(op: string, input: Tensor, targets: unknown): asserts targets is Tensor {
  checkTensor(op, "targets", targets);
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
  const n = input.shape[0];
  if (targets.ndim !== 1 || targets.shape[0] !== n) {
    throw new ShapeError(
      `${op}: expected targets of shape (${n}) for input of shape ${
        formatShape(input.shape)
      }, got ${formatShape(targets.shape)}`,
    );
  }
  checkSameDevice(op, input, targets);
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends LossOptions {
  /** A target value that contributes neither loss nor gradient (default −100, as PyTorch). */
  ignoreIndex?: number;
  /** Mixes the one-hot target with the uniform distribution: ε in [0, 1] (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy between (N, C) logits and int32 class targets (F.cross_entropy): fused
 * log-softmax and NLL in one backend kernel; the backward pass is
 * `(softmax − target distribution) · dloss`. As in PyTorch, rows whose target is `ignoreIndex`
 * are skipped and "mean" divides by the number of rows not skipped; with `labelSmoothing` ε the
 * target distribution is `(1 − ε)·onehot + ε/C`.
 *
 * A target outside `[0, C)` (other than `ignoreIndex`) is an IndexError: at once on the CPU, at
 * the next readback on WebGPU (the kernel records it; the value is never clamped).
 *
 * @param logits (N, C) unnormalised scores
 * @param targets (N) int32 class indices in `[0, C)`
 * @param opts `reduction` ("mean" (default), "sum" or "none"), `ignoreIndex`, `labelSmoothing`
 * @returns a scalar, or per-row losses for "none"
 * @throws {DTypeError} when targets are not int32 or logits not float32
 * @throws {ShapeError} when logits are not 2-d or targets are not (N)
 * @throws {IndexError} when a target is out of range
 * @throws {TypeError} for an unknown option or a bad option value
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { crossEntropy } from "./functional.ts";
 * const loss = crossEntropy(tensor([[0, 0, 0]]), tensor([1], { dtype: "int32" }));
 * ok(Math.abs(loss.itemSync() - Math.log(3)) < 1e-6);
 * ```
 */
export function crossEntropy(
  logits: Tensor,
  targets: Tensor,
  opts?: CrossEntropyOptions,
): Tensor {
  const op = "crossEntropy";
  const o = checkOptions(op, opts, ["reduction", "ignoreIndex", "labelSmoothing"]);
  requireFloat(op, "logits", logits);
  checkTargets(op, logits, targets);
  const reduction = checkOneOf(op, "reduction", o.reduction ?? "mean", REDUCTIONS);
  const ignoreIndex = checkNumber(op, "ignoreIndex", o.ignoreIndex ?? -100, { integer: true });
  const labelSmoothing = checkNumber(op, "labelSmoothing", o.labelSmoothing ?? 0, {
    min: 0,
    max: 1,
  });
  const [n, c] = logits.shape;
  const dev = logits.device;
  const loss = empty(reduction === "none" ? [n] : [], "float32", dev);
  const dlogits = empty([n, c], "float32", dev);
  const lc = logits.contiguousRaw(), tc = targets.contiguousRaw();
  const temps = [lc, tc].filter((t, i) => t !== [logits, targets][i]);
  disposeOnThrow(
    [loss, dlogits, ...temps],
    () =>
      backendFor(dev).crossEntropy(lc, tc, loss, dlogits, {
        ignoreIndex,
        labelSmoothing,
        reduction,
      }),
  );
  for (const t of temps) t.dispose();
  if (needsGrad(logits)) {
    record(loss, "crossEntropy", [logits], [markInternal(dlogits)], { reduction });
  } else dlogits.dispose();
  return loss;
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
export function nllLoss(logProbs: Tensor, targets: Tensor, opts?: LossOptions): Tensor {
  const o = checkOptions("nllLoss", opts, ["reduction"]);
  requireFloat("nllLoss", "input", logProbs);
  checkTargets("nllLoss", logProbs, targets);
  const reduction = checkOneOf("nllLoss", "reduction", o.reduction ?? "mean", REDUCTIONS);
  const rows = arange(logProbs.shape[0], undefined, 1, { dtype: "int32", device: logProbs.device });
  return reduce(index(logProbs, [rows, targets]).neg(), reduction);
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
export function mseLoss(input: Tensor, target: Tensor, opts?: LossOptions): Tensor {
  const o = checkOptions("mseLoss", opts, ["reduction"]);
  checkTensor("mseLoss", "input", input);
  checkTensor("mseLoss", "target", target);
  const reduction = checkOneOf("mseLoss", "reduction", o.reduction ?? "mean", REDUCTIONS);
  const d = input.sub(target);
  return reduce(d.mul(d), reduction);
}

/** Backward rules of the fused functional ops. */
export const functionalRules: { [K in FunctionalOp]: BackwardRule } = {
  // y = softmax(x): dx = y * (g - sum(g * y, dim)), one kernel over the last dim
  softmax: (g, n, [y]) => [
    n.args.dim === y.ndim - 1 && y.ndim > 0 && y.isContiguous()
      ? softmaxBackward(y, g, 1)
      : y.mul(g.sub(g.mul(y).sum(n.args.dim!, { keepdim: true }))),
  ],
  // y = causalSoftmax(x, scale): dx = scale · y * (g - sum(g * y, -1)); masked y are 0
  causalSoftmax: (g, n, [y]) => [softmaxBackward(y, g, n.args.scale!)],
  // y = logSoftmax(x): dx = g - exp(y) * sum(g, dim)
  logSoftmax: (g, n, [y]) => [g.sub(y.exp().mul(g.sum(n.args.dim!, { keepdim: true })))],
  // dlogits = (softmax − target distribution), already divided by the number of rows counted
  // for "mean" (the kernel saved it): dx = dlogits · g, per row for "none"
  crossEntropy: (g, node, [d]) => [
    node.args.reduction === "none" ? d.mul(g.reshape([d.shape[0], 1])) : d.mul(g),
  ],
};
