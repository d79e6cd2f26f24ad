/**
 * Stochastic gradient descent with momentum, dampening, weight decay and Nesterov momentum,
 * step for step as PyTorch 1.13's `torch.optim.SGD`.
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { keep } from "../memory.ts";
import type { Tensor } from "../tensor.ts";
import { Optimizer, type ParamGroup, type ParamGroupInput } from "./optimizer.ts";
import { checkBoolean, checkNumber, checkOptions } from "../validate.ts";

/** Hyper-parameters of {@linkcode SGD} (per group). */
export interface SGDOptions {
  /** The learning rate (required, >= 0). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
}

interface SGDState {
  momentumBuffer: Tensor;
}

/**
 * SGD as PyTorch computes it, per parameter with gradient g:
 * `g += weightDecay·p`; with momentum, `buf = momentum·buf + (1 − dampening)·g` (buf = g on
 * the first step) and `g = nesterov ? g + momentum·buf : buf`; then `p −= lr·g`.
 *
 * @example The makemore MLP's update `p.data += -0.1 * p.grad`
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { SGD } from "./sgd.ts";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1 });
 * w.mul(w).sum().backward(); // grad 2w
 * opt.step();
 * deepEqual(Array.from(w.dataSync(), (v) => v.toFixed(4)), ["0.8000", "1.6000"]);
 * ```
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  /**
   * Creates the optimizer.
   *
   * @param params tensors, or groups `{ params, lr?, momentum?, ... }`
   * @param opts the defaults: lr (required), momentum, dampening, weightDecay, nesterov
   * @throws {RangeError} for a negative lr, momentum or weight decay, or Nesterov without
   *   momentum or with dampening
   * @throws {TypeError} when a tensor does not require grad or appears twice
   */
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<SGDOptions>>,
    opts: Partial<SGDOptions> & { lr: number },
  ) {
    super("SGD", params, {
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      ...checkOptions("SGD", opts, ["lr", "momentum", "dampening", "weightDecay", "nesterov"]),
    } as SGDOptions);
  }

  /**
   * Checks lr, momentum, weight decay and the Nesterov conditions.
   *
   * @param g the group
   * @throws {RangeError} for an invalid value
   */
  protected override validate(g: ParamGroup<SGDOptions>): void {
    super.validate(g);
    checkNumber(this.name, "momentum", g.momentum, { min: 0 });
    checkNumber(this.name, "dampening", g.dampening);
    checkNumber(this.name, "weightDecay", g.weightDecay, { min: 0 });
    checkBoolean(this.name, "nesterov", g.nesterov);
    this.check(
      "nesterov",
      g.nesterov,
      !g.nesterov || (g.momentum > 0 && g.dampening === 0),
      "used with momentum > 0 and dampening 0",
    );
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          if (p.grad) this.#update(p, p.grad, g);
        }
      }
    });
  }

  #update(p: Tensor, grad: Tensor, g: ParamGroup<SGDOptions>): void {
    let d = grad;
    if (g.weightDecay !== 0) d = d.clone().add_(p, { alpha: Math.fround(g.weightDecay) });
    if (g.momentum !== 0) {
      let st = this.state.get(p);
      if (!st) {
        st = { momentumBuffer: keep(d.clone()) };
        this.state.set(p, st);
      } else {
        st.momentumBuffer.mul_(g.momentum).add_(d, { alpha: Math.fround(1 - g.dampening) });
      }
      d = g.nesterov
        ? d.clone().add_(st.momentumBuffer, { alpha: Math.fround(g.momentum) })
        : st.momentumBuffer;
    }
    p.add_(d, { alpha: -Math.fround(g.lr) });
  }
}
