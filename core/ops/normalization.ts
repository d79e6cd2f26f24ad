/**
 * Functional normalisation and dropout (`F.layerNorm`, `F.batchNorm`, `F.dropout`).
 * `layerNorm` is one fused backend kernel with its own backward rule
 * ({@link normalizationRules}), on every device; `batchNorm` and `dropout` are composed from
 * differentiable tensor ops (their gradients come from those ops' rules).
 *
 * @module
 */

import { type BackwardRule, needsGrad, noGrad, record } from "../autograd.ts";
import type { StridedView } from "../backend.ts";
import { backendFor } from "../device.ts";
import { DTypeError, formatShape, ShapeError } from "../errors.ts";
import { disposeOnThrow, markInternal } from "../memory.ts";
import { defaultGenerator } from "../random/default_generator.ts";
import { Generator } from "../random/generator.ts";
import { shapesEqual, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkBoolean,
  checkInstance,
  checkNumber,
  checkOptions,
  checkSameDevice,
  checkTensor,
  describe,
} from "../validate.ts";
import { empty, fromTyped, full } from "./creation.ts";
import type { NormOp } from "./op_names.ts";

/** Options of {@link layerNorm}. */
export interface LayerNormOptions {
  /** Elementwise scale of the normalised shape (default none). */
  weight?: Tensor | null;
  /** Elementwise shift of the normalised shape (default none). */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5, as PyTorch). */
  eps?: number;
}

/**
 * Layer normalisation over the trailing dims named by `normalizedShape` (F.layer_norm):
 * `(x - mean) / sqrt(var + eps) * weight + bias` with the biased variance, as one fused kernel
 * (forward and backward) on every device.
 *
 * @param x a float32 input, whose last dims equal `normalizedShape`
 * @param normalizedShape the trailing dims normalised over
 * @param opts weight and bias (float32, of `normalizedShape`), eps
 * @returns a tensor of x's shape
 * @throws {ShapeError} when x's trailing dims, weight or bias differ from `normalizedShape`
 * @throws {DTypeError} when x, weight or bias is not float32
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { layerNorm } from "./normalization.ts";
 * const y = layerNorm(tensor([[1, 2, 3]]), [3]).dataSync();
 * ok(Math.abs(y[0] + 1.2247) < 1e-3 && Math.abs(y[1]) < 1e-6);
 * ```
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  opts?: LayerNormOptions,
): Tensor {
  const op = "layerNorm";
  const o = checkOptions(op, opts, ["weight", "bias", "eps"]);
  checkTensor(op, "input", x);
  if (!Array.isArray(normalizedShape)) {
    throw new TypeError(
      `${op}: normalizedShape must be an array of dims, got ${describe(normalizedShape)}`,
    );
  }
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k === 0 || k > x.ndim || tail.some((d, i) => d !== normalizedShape[i])) {
    throw new ShapeError(
      `layerNorm: normalizedShape ${formatShape(normalizedShape)} does not match the last dims ` +
        `of input shape ${formatShape(x.shape)}`,
    );
  }
  const eps = checkNumber(op, "eps", o.eps ?? 1e-5, { min: 0 });
  const { weight, bias } = o;
  for (const [name, t] of [["input", x], ["weight", weight], ["bias", bias]] as const) {
    if (t === undefined || t === null) continue;
    checkTensor(op, name, t);
    if (t.dtype !== "float32") {
      throw new DTypeError(`${op}: ${name} must be float32, got ${t.dtype}`);
    }
    if (name !== "input" && !shapesEqual(t.shape, normalizedShape)) {
      throw new ShapeError(
        `${op}: ${name} of shape ${formatShape(t.shape)} does not match normalizedShape ` +
          formatShape(normalizedShape),
      );
    }
  }
  checkSameDevice(op, x, weight, bias);
  const cols = sizeOf(normalizedShape), rows = cols === 0 ? 0 : x.size / cols, dev = x.device;
  const own = (t: Tensor, from: Tensor | null | undefined) => t !== from ? markInternal(t) : t;
  const xc = own(x.contiguousRaw(), x);
  const w = weight
    ? own(weight.contiguousRaw(), weight)
    : markInternal(full(normalizedShape, 1, { device: dev }));
  const b = bias ? bias.contiguousRaw() : full(normalizedShape, 0, { device: dev });
  const y = empty(x.shape, "float32", dev);
  const mean = markInternal(empty([rows], "float32", dev));
  const rstd = markInternal(empty([rows], "float32", dev));
  const flat = (t: Tensor) => rowsView(t, 1, cols);
  const owned = [y, mean, rstd, b, ...[xc, w].filter((t, i) => t !== [x, weight][i])];
  disposeOnThrow(
    owned.filter((t) => t !== bias),
    () => backendFor(dev).layerNorm(rowsView(xc, rows, cols), flat(w), flat(b), eps, y, mean, rstd),
  );
  if (b !== bias) b.dispose();
  const inputs = [x, weight, bias].filter((t): t is Tensor => !!t);
  if (inputs.some((t) => needsGrad(t))) {
    record(y, "layerNorm", inputs, [xc, w, mean, rstd], { affine: [!!weight, !!bias] });
  } else {
    for (const t of [mean, rstd, ...(xc !== x ? [xc] : []), ...(w !== weight ? [w] : [])]) {
      t.dispose();
    }
  }
  return y;
}

/** A `(rows, cols)` view of a contiguous tensor. */
function rowsView(t: Tensor, rows: number, cols: number): StridedView {
  return { storage: t.storage, shape: [rows, cols], strides: [cols, 1], offset: t.offset };
}

/** Backward rules of the fused normalisation ops. */
export const normalizationRules: { [K in NormOp]: BackwardRule } = {
  // xhat = (x - mean)·rstd, gw = g·weight: dx = rstd·(gw - mean(gw) - xhat·mean(gw·xhat)),
  // dweight = Σrows g·xhat, dbias = Σrows g (one fused backward kernel)
  layerNorm: (g, node, [x, w, mean, rstd]) => {
    const rows = mean.size, cols = w.size, dev = g.device;
    const gc = g.contiguousRaw();
    const dx = empty(x.shape, "float32", dev);
    const dw = empty(w.shape, "float32", dev), db = empty(w.shape, "float32", dev);
    disposeOnThrow([dx, dw, db, ...(gc !== g ? [gc] : [])], () =>
      backendFor(dev).layerNormBackward(
        rowsView(gc, rows, cols),
        rowsView(x, rows, cols),
        rowsView(w, 1, cols),
        mean,
        rstd,
        dx,
        dw,
        db,
      ));
    if (gc !== g) gc.dispose();
    const [hasW, hasB] = node.args.affine ?? [false, false];
    const out: Tensor[] = [dx];
    if (hasW) out.push(dw);
    else dw.dispose();
    if (hasB) out.push(db);
    else db.dispose();
    return out;
  },
};

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Per-channel scale (default none). */
  weight?: Tensor | null;
  /** Per-channel shift (default none). */
  bias?: Tensor | null;
  /** Use batch statistics and update the running ones (default false, as F.batch_norm). */
  training?: boolean;
  /** Weight of the batch statistics in the running update (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalisation of (N, C) or (N, C, L) input (F.batch_norm). In training, normalises with
 * the batch mean and biased variance over every dim but C and updates the running statistics in
 * place (`running = (1 - momentum) * running + momentum * batch`, the variance unbiased, as
 * PyTorch); in evaluation, normalises with the running statistics.
 *
 * @param x (N, C) or (N, C, L) input
 * @param runningMean (C) running mean, updated in training (may be null in training)
 * @param runningVar (C) running variance, updated in training (may be null in training)
 * @param opts weight, bias, training, momentum, eps
 * @returns a tensor of x's shape
 * @throws {ShapeError} on other ranks, a channel-count mismatch, or one value per channel in
 *   training (as PyTorch: "Expected more than 1 value per channel when training")
 * @throws {TypeError} when evaluating without running statistics, or for a bad argument
 * @throws {DTypeError} when a tensor is not float32
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor, zeros, ones } from "./creation.ts";
 * import { batchNorm } from "./normalization.ts";
 * const rm = zeros([1]), rv = ones([1]);
 * const y = batchNorm(tensor([[1], [3]]), rm, rv, { training: true }).dataSync();
 * ok(Math.abs(y[0] + 1) < 1e-4 && Math.abs(rm.itemSync() - 0.2) < 1e-6);
 * ```
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  opts: BatchNormOptions = {},
): Tensor {
  const op = "batchNorm";
  const o = checkOptions(op, opts, ["weight", "bias", "training", "momentum", "eps"]);
  checkTensor(op, "input", x);
  const training = o.training === undefined ? false : checkBoolean(op, "training", o.training);
  const eps = checkNumber(op, "eps", o.eps ?? 1e-5, { min: 0 });
  const momentum = checkNumber(op, "momentum", o.momentum ?? 0.1, { min: 0, max: 1 });
  if (x.dtype !== "float32") throw new DTypeError(`${op}: input must be float32, got ${x.dtype}`);
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new ShapeError(
      `batchNorm: expected (N, C) or (N, C, L) input, got ${formatShape(x.shape)}`,
    );
  }
  const c = x.shape[1];
  const stats = [["runningMean", runningMean], ["runningVar", runningVar], [
    "weight",
    o.weight,
  ], ["bias", o.bias]] as const;
  for (const [name, t] of stats) {
    if (t === null || t === undefined) continue;
    checkTensor(op, name, t);
    if (t.dtype !== "float32") {
      throw new DTypeError(`${op}: ${name} must be float32, got ${t.dtype}`);
    }
    if (t.ndim !== 1 || t.shape[0] !== c) {
      throw new ShapeError(
        `batchNorm: ${name} of shape ${formatShape(t.shape)} does not match ${c} channels of ` +
          `input shape ${formatShape(x.shape)}`,
      );
    }
  }
  const dims = x.ndim === 2 ? [0] : [0, 2];
  const statShape = x.ndim === 2 ? [1, c] : [1, c, 1];
  checkSameDevice(op, x, runningMean, runningVar, o.weight, o.bias);
  let mean: Tensor, variance: Tensor;
  if (training) {
    if (x.size / c <= 1) {
      throw new ShapeError(
        `${op}: expected more than 1 value per channel when training, got input shape ` +
          `${formatShape(x.shape)} (a batch of 1 has no variance; call eval() to use the ` +
          "running statistics)",
      );
    }
    mean = x.mean(dims, { keepdim: true });
    const xc0 = x.sub(mean);
    variance = xc0.mul(xc0).mean(dims, { keepdim: true });
    const n = x.size / c;
    noGrad(() => {
      if (runningMean) {
        runningMean.mul_(1 - momentum).add_(mean.reshape([c]).mul(momentum));
      }
      if (runningVar) {
        const unbiased = variance.reshape([c]).mul(n / Math.max(n - 1, 1));
        runningVar.mul_(1 - momentum).add_(unbiased.mul(momentum));
      }
    });
  } else {
    if (!runningMean || !runningVar) {
      throw new TypeError(
        "batchNorm: runningMean and runningVar are required in evaluation (training: false)",
      );
    }
    mean = runningMean.reshape(statShape);
    variance = runningVar.reshape(statShape);
  }
  let y = x.sub(mean).div(variance.add(eps).sqrt());
  if (o.weight) y = y.mul(o.weight.reshape(statShape));
  if (o.bias) y = y.add(o.bias.reshape(statShape));
  return y;
}

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Apply dropout (default true, as F.dropout); false returns x unchanged. */
  training?: boolean;
  /** The generator the mask is drawn from (default: the process-wide one). */
  generator?: Generator;
}

/**
 * Dropout (F.dropout): in training, zeroes each element with probability p and scales the
 * rest by `1 / (1 - p)`, so the expectation is unchanged. The mask comes from `generator`, so
 * runs are reproducible but not bit-identical to PyTorch's.
 *
 * @param x a float32 tensor
 * @param opts p, training, generator
 * @returns x itself when not training or p is 0, else a new tensor of x's shape
 * @throws {RangeError} when p is not in [0, 1]
 * @throws {TypeError} for a bad argument or option
 * @throws {DTypeError} when x is not float32
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ones } from "./creation.ts";
 * import { dropout } from "./normalization.ts";
 * const y = dropout(ones([100]), { p: 0.25 }).dataSync();
 * ok(y.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6));
 * ```
 */
export function dropout(x: Tensor, opts: DropoutOptions = {}): Tensor {
  const o = checkOptions("dropout", opts, ["p", "training", "generator"]);
  checkTensor("dropout", "input", x);
  const p = checkNumber("dropout", "p", o.p ?? 0.5, { min: 0, max: 1 });
  if (o.training !== undefined) checkBoolean("dropout", "training", o.training);
  if (o.generator !== undefined) {
    checkInstance("dropout", "generator", o.generator, Generator, "a Generator");
  }
  if (x.dtype !== "float32") {
    throw new DTypeError(`dropout: expected a float32 input, got ${x.dtype}`);
  }
  if (o.training === false || p === 0) return x;
  const u = (o.generator ?? defaultGenerator()).uniform(x.size);
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = u[i] < 1 - p ? scale : 0;
  return x.mul(fromTyped(mask, x.shape.slice(), x.device));
}
