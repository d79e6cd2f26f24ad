/**
 * `nn`: modules (layers with parameters and buffers), containers, init helpers and
 * checkpoints — PyTorch's `torch.nn` in JavaScript casing. Imported as a namespace from the
 * package root: `import { nn } from "@katagrad/katagrad"; new nn.Linear(30, 200)`.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { randn } from "../ops/creation.ts";
 * import { Generator } from "../random/generator.ts";
 * import * as nn from "./mod.ts";
 * const g = new Generator(42);
 * const model = new nn.Sequential(
 *   new nn.Linear(10, 16, { generator: g }),
 *   new nn.LayerNorm(16),
 *   new nn.GELU(),
 *   new nn.Linear(16, 3, { generator: g }),
 * );
 * deepEqual(model.forward(randn([5, 10])).shape, [5, 3]);
 * ```
 *
 * @module
 */

export {
  type LoadStateDictOptions,
  type LoadStateDictResult,
  Module,
  type RegisterBufferOptions,
  StateDictError,
  type TensorModule,
} from "./module.ts";
export { Linear, type LinearOptions } from "./linear.ts";
export { Embedding, type EmbeddingOptions } from "./embedding.ts";
export { BatchNorm1d, type BatchNorm1dOptions } from "./batch_norm.ts";
export { LayerNorm, type LayerNormOptions } from "./layer_norm.ts";
export { GELU, type GELUOptions, ReLU, Tanh } from "./activations.ts";
export { Dropout, type DropoutOptions } from "./dropout.ts";
export { ModuleList, Sequential } from "./containers.ts";
export { FlattenConsecutive } from "./flatten_consecutive.ts";
export {
  calculateFans,
  calculateGain,
  constant_,
  type InitOptions,
  kaimingNormal_,
  type KaimingOptions,
  kaimingUniform_,
  type Nonlinearity,
  normal_,
  ones_,
  uniform_,
  zeros_,
} from "./init.ts";
export { fromSafetensors, loadModule, saveModule, toSafetensors } from "./checkpoint.ts";
export {
  GPT_CONFIG_DEFAULTS,
  GPT_PRESETS,
  type GPTConfig,
  gptConfig,
  type GPTPreset,
  type GPTPresetName,
  type GPTTrainConfig,
} from "./gpt_config.ts";
export { CausalSelfAttention, type GPTModuleOptions } from "./causal_self_attention.ts";
export { Block, MLP } from "./gpt_block.ts";
export { type ConfigureOptimizersOptions, GPT, type GPTOutput } from "./gpt.ts";
export { type GenerateOptions, type GenerativeModel } from "./gpt_generate.ts";
