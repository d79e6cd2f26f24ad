/**
 * katagrad for backend and kernel authors (`@katagrad/katagrad/backend`): the `Backend`
 * interface every device implements, its storages and strided views, the device registry, the
 * WebGPU executor and kernel launches. Users of the library need `mod.ts` only; this entry
 * point is for writing a backend, a kernel, or a benchmark of one.
 *
 * @example The CPU backend through the interface
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { backendFor } from "@katagrad/katagrad/backend";
 * const cpu = backendFor("cpu");
 * const a = cpu.upload(new Float32Array([1, 2, 3]));
 * const out = { storage: cpu.alloc("float32", 3), shape: [3], strides: [1], offset: 0 };
 * cpu.binary("add", { storage: a, shape: [3], strides: [1], offset: 0 }, { storage: a, shape: [3], strides: [1], offset: 0 }, out);
 * deepEqual([...cpu.readSync(out)], [2, 4, 6]);
 * ```
 *
 * @module
 */

export {
  type AdamHyperParams,
  type Backend,
  BINARY_KERNELS,
  type BinaryKernel,
  type CrossEntropyKernelOptions,
  type IndexCheck,
  indexErrorMessage,
  type MatmulSpec,
  type ReduceKernel,
  type ScanKernel,
  type Storage,
  type StridedView,
  UNARY_KERNELS,
  type UnaryKernel,
} from "./core/backend.ts";
export { TensorBase } from "./core/tensor_base.ts";
export { type MathOps, TensorMath } from "./core/tensor_math.ts";
export { backendFor, cpuData, hasBackend, registerBackend } from "./core/device.ts";
export { cpuBackend, CpuStorage } from "./core/cpu/backend.ts";
export {
  getWebGPU,
  openWebGPU,
  type OpenWebGPUOptions,
  WebGPUContext,
} from "./core/webgpu/device.ts";
export { type ExecutorOptions, WebGPUExecutor } from "./core/webgpu/executor.ts";
export { DeviceErrorRecord, type RecordedErrorMessage } from "./core/webgpu/error_record.ts";
export type { BufferPoolStats } from "./core/webgpu/buffer_pool.ts";
export type { KernelLaunch } from "./kernels/launch.ts";
