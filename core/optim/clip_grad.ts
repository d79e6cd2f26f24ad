/**
 * `clipGradNorm`, gradient clipping by the global L2 norm (`torch.nn.utils.clip_grad_norm_`).
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { SyncReadError } from "../errors.ts";
import { zeros } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import { checkNumber, checkTensor, describe } from "../validate.ts";

/** Checks the arguments of the two clipping functions; returns the gradients there are. */
function gradsOf(op: string, params: unknown, maxNorm: unknown): Tensor[] {
  checkNumber(op, "maxNorm", maxNorm, { min: 0, allowInfinity: true });
  if (
    typeof (params as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== "function" ||
    typeof params === "string"
  ) {
    throw new TypeError(`${op}: params must be an iterable of Tensors, got ${describe(params)}`);
  }
  const grads: Tensor[] = [];
  let i = 0;
  for (const p of params as Iterable<unknown>) {
    checkTensor(op, `params[${i++}]`, p);
    if (p.grad) grads.push(p.grad);
  }
  return grads;
}

/**
 * Scales all gradients in place so that their global L2 norm is at most `maxNorm`, as
 * PyTorch does: the norm of the per-tensor norms, `coef = maxNorm / (total + 1e-6)` in
 * float32, clamped to 1. Parameters without a gradient are skipped.
 *
 * @param params the parameters (e.g. `model.parameters()`)
 * @param maxNorm the largest allowed norm
 * @returns the total norm before clipping (a float32 value, as torch's tensor holds)
 * @throws {RangeError} when maxNorm is negative or NaN
 * @throws {TypeError} when maxNorm is not a number, or params not an iterable of Tensors
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { clipGradNorm } from "./clip_grad.ts";
 * const w = tensor([0, 0], { requiresGrad: true });
 * w.mul(tensor([3, 4])).sum().backward(); // grad (3, 4), norm 5
 * equal(clipGradNorm([w], 1), 5);
 * deepEqual(Array.from(w.grad!.dataSync(), (v) => v.toFixed(4)), ["0.6000", "0.8000"]);
 * ```
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number): number {
  const grads = gradsOf("clipGradNorm", params, maxNorm);
  let sumSq = 0;
  for (const g of grads) {
    let d;
    try {
      d = g.dataSync();
    } catch (e) {
      if (!(e instanceof SyncReadError)) throw e;
      throw new SyncReadError(
        `Cannot clip gradients with clipGradNorm: it returns the norm synchronously and the ` +
          `gradients are on ${g.device}; use clipGradNormTensor (the norm as a 0-d tensor, ` +
          "no readback)",
      );
    }
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i] * d[i];
    const norm = Math.fround(Math.sqrt(s)); // torch.norm(g) in float32
    sumSq += norm * norm;
  }
  const total = Math.fround(Math.sqrt(sumSq));
  // clip_coef = max_norm / (total_norm + 1e-6): Tensor.__rtruediv__ is reciprocal() * max_norm
  const denom = Math.fround(total + Math.fround(1e-6));
  const coef = Math.fround(Math.fround(1 / denom) * Math.fround(maxNorm));
  if (coef < 1) noGrad(() => grads.forEach((g) => g.mul_(coef)));
  return total;
}

/**
 * `clipGradNorm` on any device, without a readback: the same float32 formula in
 * tensor ops; the total norm comes back as a 0-d tensor (read it with `await n.item()`).
 *
 * @param params the parameters
 * @param maxNorm the largest allowed norm
 * @returns the total norm before clipping, a 0-d tensor on the gradients' device
 * @throws {RangeError} when maxNorm is negative or NaN
 * @throws {TypeError} when maxNorm is not a number, or params not an iterable of Tensors
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { clipGradNormTensor } from "./clip_grad.ts";
 * const w = tensor([0, 0], { requiresGrad: true });
 * w.mul(tensor([3, 4])).sum().backward();
 * equal(await clipGradNormTensor([w], 1).item(), 5);
 * deepEqual(Array.from(await w.grad!.data(), (v) => v.toFixed(4)), ["0.6000", "0.8000"]);
 * ```
 */
export function clipGradNormTensor(params: Iterable<Tensor>, maxNorm: number): Tensor {
  const grads = gradsOf("clipGradNormTensor", params, maxNorm);
  return noGrad(() => {
    if (grads.length === 0) return zeros([]);
    let sumSq: Tensor | null = null;
    for (const g of grads) {
      const flat = g.reshape(-1);
      const n = flat.matmul(flat).sqrt(); // Σ g² as a dot product: no g·g temporary
      sumSq = sumSq === null ? n.mul(n) : sumSq.add(n.mul(n));
    }
    const total = sumSq!.sqrt();
    const coef = total.add(Math.fround(1e-6)).pow(-1).mul(maxNorm).clamp(null, 1);
    for (const g of grads) g.mul_(coef);
    return total;
  });
}
