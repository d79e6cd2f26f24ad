/**
 * Adam and AdamW, step for step as PyTorch 1.13's `torch.optim.Adam` / `AdamW`.
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { adamStep_ } from "../ops/adam_step.ts";
import { zerosLike } from "../ops/creation.ts";
import { keep } from "../memory.ts";
import type { Tensor } from "../tensor.ts";
import { Optimizer, type ParamGroup, type ParamGroupInput } from "./optimizer.ts";
import { checkNumber, checkNumbers, checkOptions, describe } from "../validate.ts";

/** Hyper-parameters of {@linkcode Adam} and {@linkcode AdamW} (per group). */
export interface AdamOptions {
  /** The learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Weight decay (Adam: L2 added to the gradient, default 0; AdamW: decoupled, default 1e-2). */
  weightDecay: number;
}

const ADAM_KEYS = ["lr", "betas", "eps", "weightDecay"];
const ADAM_DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 };

interface AdamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

abstract class AdamBase extends Optimizer<AdamOptions, AdamState> {
  protected abstract readonly decoupled: boolean;

  protected override validate(g: ParamGroup<AdamOptions>): void {
    super.validate(g);
    checkNumber(this.name, "eps", g.eps, { min: 0 });
    checkNumbers(this.name, "betas", g.betas, { min: 0 });
    if (g.betas.length !== 2) {
      throw new RangeError(`${this.name}: betas must be two numbers, got ${describe(g.betas)}`);
    }
    for (const i of [0, 1]) {
      this.check(`betas[${i}]`, g.betas[i], g.betas[i] < 1, "a number in [0, 1)");
    }
    checkNumber(this.name, "weightDecay", g.weightDecay, { min: 0 });
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

  #update(p: Tensor, grad: Tensor, g: ParamGroup<AdamOptions>): void {
    const [beta1, beta2] = g.betas;
    let st = this.state.get(p);
    if (!st) {
      st = { step: 0, expAvg: keep(zerosLike(p)), expAvgSq: keep(zerosLike(p)) };
      this.state.set(p, st);
    }
    st.step++;
    adamStep_(p, grad, st.expAvg, st.expAvgSq, {
      step: st.step,
      lr: g.lr,
      beta1,
      beta2,
      eps: g.eps,
      weightDecay: g.weightDecay,
      decoupled: this.decoupled,
    });
  }
}

/**
 * Adam (`torch.optim.Adam`): weight decay, when set, is an L2 term added to the gradient.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { Adam } from "./adam.ts";
 * const w = tensor([3, -2], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 0.1 });
 * for (let i = 0; i < 100; i++) {
 *   opt.zeroGrad();
 *   w.mul(w).sum().backward();
 *   opt.step();
 * }
 * ok(w.abs().max().itemSync() < 0.1);
 * ```
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;

  /**
   * Creates the optimizer.
   *
   * @param params tensors, or groups `{ params, lr?, betas?, eps?, weightDecay? }`
   * @param opts the defaults (lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0)
   * @throws {RangeError} for a negative lr, eps or weight decay, or a beta outside [0, 1)
   * @throws {TypeError} when a tensor does not require grad or appears twice
   */
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamOptions>>,
    opts: Partial<AdamOptions> = {},
  ) {
    super("Adam", params, { ...ADAM_DEFAULTS, ...checkOptions("Adam", opts, ADAM_KEYS) });
  }
}

/**
 * AdamW (`torch.optim.AdamW`): Adam with decoupled weight decay, `p ← p·(1 − lr·weightDecay)`
 * before the Adam step. Each parameter's step is one fused backend kernel (one dispatch on WebGPU). Defaults are PyTorch's: lr 1e-3, betas [0.9, 0.999], eps 1e-8,
 * weightDecay 1e-2.
 *
 * @example nanoGPT's groups: decay the ≥ 2-d weights only, not biases and norm gains
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import { LayerNorm } from "../nn/layer_norm.ts";
 * import { Linear } from "../nn/linear.ts";
 * import { Sequential } from "../nn/containers.ts";
 * import { AdamW } from "./adam.ts";
 * const model = new Sequential(new Linear(8, 16, { generator: new Generator(1) }), new LayerNorm(16));
 * const params = model.parameters();
 * const opt = new AdamW([
 *   { params: params.filter((p) => p.ndim >= 2), weightDecay: 0.1 },
 *   { params: params.filter((p) => p.ndim < 2), weightDecay: 0 },
 * ], { lr: 6e-4, betas: [0.9, 0.95], eps: 1e-8 });
 * equal(opt.paramGroups[0].params.length, 1); // the Linear's weight
 * equal(opt.paramGroups[1].params.length, 3); // its bias, the LayerNorm's weight and bias
 * equal(opt.paramGroups[1].lr, 6e-4);
 * ```
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;

  /**
   * Creates the optimizer.
   *
   * @param params tensors, or groups `{ params, lr?, betas?, eps?, weightDecay? }`
   * @param opts the defaults (lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 1e-2)
   * @throws {RangeError} for a negative lr, eps or weight decay, or a beta outside [0, 1)
   * @throws {TypeError} when a tensor does not require grad or appears twice
   */
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamOptions>>,
    opts: Partial<AdamOptions> = {},
  ) {
    super("AdamW", params, {
      ...ADAM_DEFAULTS,
      weightDecay: 1e-2,
      ...checkOptions("AdamW", opts, ADAM_KEYS),
    });
  }
}
