/**
 * `optim`: optimizers (SGD, Adam, AdamW), learning-rate schedules and gradient clipping —
 * PyTorch's `torch.optim` in JavaScript casing. Imported as a namespace from the package root:
 * `import { optim } from "@katagrad/katagrad"; new optim.AdamW(model.parameters())`.
 *
 * @example A training step
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import * as optim from "./mod.ts";
 * const w = tensor([2, -3, 1], { requiresGrad: true });
 * const opt = new optim.AdamW([w], { lr: 0.1 });
 * let loss = Infinity;
 * for (let step = 0; step < 50; step++) {
 *   opt.zeroGrad();
 *   const l = w.mul(w).sum();
 *   l.backward();
 *   optim.clipGradNorm([w], 1.0);
 *   opt.step();
 *   loss = l.itemSync();
 * }
 * ok(loss < 0.5);
 * ```
 *
 * @module
 */

export {
  type BaseOptions,
  Optimizer,
  type ParamGroup,
  type ParamGroupInput,
  type ZeroGradOptions,
} from "./optimizer.ts";
export { SGD, type SGDOptions } from "./sgd.ts";
export { Adam, type AdamOptions, AdamW } from "./adam.ts";
export {
  StepLR,
  type StepLROptions,
  warmupCosine,
  type WarmupCosineOptions,
} from "./lr_scheduler.ts";
export { clipGradNorm } from "./clip_grad.ts";
export {
  exportOptimizerState,
  importOptimizerState,
  loadOptimizerState,
  type OptimizerStateDict,
  optimizerStateFromTensors,
  optimizerStateToTensors,
  type ParamState,
  saveOptimizerState,
} from "./optimizer_state.ts";
