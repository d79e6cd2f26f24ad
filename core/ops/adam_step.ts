/**
 * The fused Adam/AdamW parameter update as an in-place op: validate, one `Backend.adamw` call,
 * the version counters bumped (an optimizer step is an in-place write of the parameter and of
 * both moment buffers).
 *
 * @module
 */

import type { AdamHyperParams } from "../backend.ts";
import { backendFor } from "../device.ts";
import { DTypeError, formatShape, ShapeError } from "../errors.ts";
import { shapesEqual } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkSameDevice } from "../validate.ts";

/**
 * One Adam or AdamW step of one parameter, in place, as PyTorch 1.13's single-tensor
 * implementation computes it (float32 rounding after every operation): see
 * `Backend.adamw`. The optimizers (`optim.Adam`, `optim.AdamW`) call this once per parameter.
 *
 * @param param the parameter (float32; updated)
 * @param grad its gradient (same shape)
 * @param expAvg the first-moment buffer (contiguous, same shape; updated)
 * @param expAvgSq the second-moment buffer (contiguous, same shape; updated)
 * @param hp the step number from 1 and the hyper-parameters
 * @throws {ShapeError} when the shapes differ
 * @throws {DTypeError} when a tensor is not float32
 * @throws {DeviceMismatchError} when they are on different devices
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor, zeros } from "./creation.ts";
 * import { adamStep_ } from "./adam_step.ts";
 * const p = tensor([1]);
 * const hp = { step: 1, lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: true };
 * adamStep_(p, tensor([0.5]), zeros([1]), zeros([1]), hp);
 * ok(Math.abs(p.itemSync() - 0.9) < 1e-6);
 * ```
 */
export function adamStep_(
  param: Tensor,
  grad: Tensor,
  expAvg: Tensor,
  expAvgSq: Tensor,
  hp: AdamHyperParams,
): void {
  const all = [param, grad, expAvg, expAvgSq];
  for (const t of all) {
    if (t.dtype !== "float32") {
      throw new DTypeError(`adamStep_: expected float32 tensors, got ${t.dtype}`);
    }
    if (!shapesEqual(t.shape, param.shape)) {
      throw new ShapeError(
        `adamStep_: shapes ${formatShape(param.shape)} and ${formatShape(t.shape)} differ`,
      );
    }
  }
  checkSameDevice("adamStep_", ...all);
  const p = param.isContiguous() ? param : param.contiguousRaw(true);
  const g = grad.contiguousRaw();
  const m = expAvg.isContiguous() ? expAvg : expAvg.contiguousRaw(true);
  const v = expAvgSq.isContiguous() ? expAvgSq : expAvgSq.contiguousRaw(true);
  backendFor(param.device).adamw(p, g, m, v, hp);
  if (g !== grad) g.dispose();
  for (const [dst, src] of [[param, p], [expAvg, m], [expAvgSq, v]]) {
    if (src !== dst) {
      dst.copy_(src); // bumps the version
      src.dispose();
    } else dst.storage.version++;
  }
}
