/**
 * katagrad: a small autograd and tensor library for Deno, and the library that
 * the katagrad katas (Karpathy's *Neural Networks: Zero to Hero* as failing
 * tests) stand on.
 *
 * @example Scalar autograd
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Value } from "@katagrad/katagrad";
 * const x = new Value(-4);
 * const y = x.mul(x).add(x.mul(3));
 * y.backward();
 * equal(y.data, 4);
 * equal(x.grad, -5); // 2x + 3
 * ```
 *
 * @module
 */

export { topologicalOrder, Value, type ValueLike } from "./core/value.ts";

// Value rendering
export { type ValueNode, valueToSvg } from "./core/value_svg.ts";

// Random
export {
  type CpuCapability,
  defaultGenerator,
  Generator,
  type GeneratorOptions,
  type GeneratorState,
  manualSeed,
} from "./core/random/generator.ts";
export type { MT19937State } from "./core/random/mt19937.ts";
export { PyRandom } from "./core/random/py_random.ts";

// WebGPU
export {
  getWebGPU,
  openWebGPU,
  type OpenWebGPUOptions,
  WebGPUContext,
  type WebGPUFeature,
  type WebGPUInfo,
  webgpuInfo,
  type WebGPULimits,
  webgpuUnavailableReason,
} from "./core/webgpu/device.ts";
export {
  WebGPUDeviceLostError,
  WebGPUUnavailableError,
  WGSLCompileError,
} from "./core/webgpu/errors.ts";
export { type ExecutorOptions, WebGPUExecutor } from "./core/webgpu/executor.ts";
export type { BufferPoolStats } from "./core/webgpu/buffer_pool.ts";
export type { KernelLaunch } from "./kernels/launch.ts";
