/**
 * Opening the WebGPU Tensor device: `initWebGPU()` opens the shared device
 * once and registers the backend, `setDefaultDevice()` switches where new
 * tensors go, `preferredDevice()` says whether a hardware GPU is worth it,
 * `webgpuStats()` counts live GPU buffers and bytes.
 *
 * @module
 */

import {
  backendFor,
  getDefaultDevice,
  hasBackend,
  registerBackend,
  setDefaultDeviceOpen,
} from "../device.ts";
import type { Device } from "../dtype.ts";
import { createWebGPUBackend } from "./backend.ts";
import { getWebGPU, type WebGPUInfo } from "./device.ts";
import { WebGPUExecutor } from "./executor.ts";
import type { BufferPoolStats } from "./buffer_pool.ts";
import { checkDevice } from "../validate_creation.ts";

let executor: WebGPUExecutor | null = null;
let opening: Promise<WebGPUExecutor> | null = null;

/**
 * Opens WebGPU (once) and registers it as the "webgpu" Tensor device. Needed
 * before `tensor(..., {device: "webgpu"})`; `setDefaultDevice("webgpu")` and
 * `toDevice("webgpu")` call it for you.
 *
 * @returns the adapter description, fallback flag, limits and features
 * @throws {WebGPUUnavailableError} when there is no adapter (run on "cpu" instead)
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { initWebGPU } from "./init.ts";
 * import { WebGPUUnavailableError } from "./errors.ts";
 * try {
 *   ok((await initWebGPU()).limits.maxBufferSize > 0);
 * } catch (e) {
 *   ok(e instanceof WebGPUUnavailableError);
 * }
 * ```
 */
export async function initWebGPU(): Promise<WebGPUInfo> {
  const ctx = await getWebGPU();
  if (executor === null || executor.ctx !== ctx) {
    opening ??= Promise.resolve(new WebGPUExecutor(ctx));
    try {
      executor = await opening;
    } finally {
      opening = null;
    }
    registerBackend(createWebGPUBackend(executor));
    const opened = executor;
    ctx.device.lost.then(() => {
      // New tensors go to the CPU; a later initWebGPU() opens a new device.
      if (executor === opened && getDefaultDevice() === "webgpu") setDefaultDeviceOpen("cpu");
    });
  }
  return ctx.info;
}

/**
 * Sets the device new tensors are created on (PyTorch's `set_default_device`).
 * CPU is the default, also on a software WebGPU adapter; WebGPU is used only
 * when asked for.
 *
 * @param device "cpu" or "webgpu"
 * @returns resolves once the device is open
 * @throws {WebGPUUnavailableError} for "webgpu" when no adapter opens
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { setDefaultDevice } from "./init.ts";
 * import { getDefaultDevice } from "../device.ts";
 * await setDefaultDevice("cpu");
 * equal(getDefaultDevice(), "cpu");
 * ```
 */
export async function setDefaultDevice(device: Device): Promise<void> {
  checkDevice("setDefaultDevice", device);
  await openDevice(device);
  setDefaultDeviceOpen(device);
}

/**
 * Opens a device's backend if it is not open yet (WebGPU is opened lazily; the CPU always is).
 *
 * @param device the device
 * @throws {WebGPUUnavailableError} for "webgpu" when no adapter opens
 * @example
 * ```ts
 * import { openDevice } from "./init.ts";
 * await openDevice("cpu");
 * ```
 */
export async function openDevice(device: Device): Promise<void> {
  if (device === "webgpu") await initWebGPU();
}

/**
 * The device a script should pick: "webgpu" on a hardware adapter, "cpu" when
 * WebGPU is missing or only a software (fallback) adapter such as llvmpipe exists.
 *
 * @returns the device
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { preferredDevice } from "./init.ts";
 * ok(["cpu", "webgpu"].includes(await preferredDevice()));
 * ```
 */
export async function preferredDevice(): Promise<Device> {
  try {
    return (await initWebGPU()).isFallbackAdapter ? "cpu" : "webgpu";
  } catch {
    return "cpu";
  }
}

/** Live and pooled GPU memory and work counters of the WebGPU Tensor device. */
export type WebGPUStats = BufferPoolStats & {
  /** Dispatches so far. */
  dispatches: number;
  /** Queue submits so far. */
  submits: number;
  /** Compiled pipelines. */
  pipelines: number;
  /** Bind groups created so far (cached and reused: flat in a steady training loop). */
  bindGroups: number;
};

/**
 * Counters of the WebGPU Tensor device: live buffers and bytes (a training loop
 * that frees its intermediates keeps these flat), pooled ones, dispatches.
 *
 * @returns the counters
 * @throws {WebGPUUnavailableError} before `initWebGPU()`
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { initWebGPU, webgpuStats } from "./init.ts";
 * try {
 *   await initWebGPU();
 *   ok(webgpuStats().liveBuffers >= 0);
 * } catch (e) {
 *   ok((e as Error).name === "WebGPUUnavailableError");
 * }
 * ```
 */
export function webgpuStats(): WebGPUStats {
  backendFor("webgpu");
  return executor!.stats;
}

/**
 * Waits until the GPU has finished all submitted work (for benchmarks).
 *
 * @returns resolves when the queue is idle
 * @throws {WebGPUUnavailableError} before `initWebGPU()`
 */
export async function webgpuSync(): Promise<void> {
  backendFor("webgpu");
  await executor!.sync();
}

/**
 * Whether the WebGPU Tensor device is open.
 *
 * @returns true after a successful `initWebGPU()`, false again once its device is lost
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isWebGPUOpen } from "./init.ts";
 * equal(typeof isWebGPUOpen(), "boolean");
 * ```
 */
export function isWebGPUOpen(): boolean {
  return hasBackend("webgpu") && executor !== null && !executor.ctx.isLost;
}
