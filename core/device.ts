/**
 * Device → backend lookup and the default device. The CPU backend is always
 * present; the WebGPU backend registers itself here once opened
 * (`initWebGPU()` in core/webgpu/init.ts).
 *
 * @module
 */

import type { Backend, StridedView } from "./backend.ts";
import { cpuBackend, type CpuStorage } from "./cpu/backend.ts";
import type { Device, TypedArray } from "./dtype.ts";
import { WebGPUUnavailableError } from "./webgpu/errors.ts";

const backends = new Map<Device, Backend>([["cpu", cpuBackend]]);
let defaultDevice: Device = "cpu";

/**
 * Makes a backend the one of its device (the WebGPU backend calls this once opened).
 *
 * @param backend the backend
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { backendFor, registerBackend } from "./device.ts";
 * registerBackend(backendFor("cpu"));
 * equal(backendFor("cpu").device, "cpu");
 * ```
 */
export function registerBackend(backend: Backend): void {
  backends.set(backend.device, backend);
}

/**
 * Whether a device's backend is open.
 *
 * @param device the device
 * @returns true for "cpu", and for "webgpu" once `initWebGPU()` succeeded
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { hasBackend } from "./device.ts";
 * equal(hasBackend("cpu"), true);
 * ```
 */
export function hasBackend(device: Device): boolean {
  return backends.has(device);
}

/**
 * The device tensors are created on when no `device` option is given.
 *
 * @returns "cpu" unless `setDefaultDevice("webgpu")` was awaited
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { getDefaultDevice } from "./device.ts";
 * equal(getDefaultDevice(), "cpu");
 * ```
 */
export function getDefaultDevice(): Device {
  return defaultDevice;
}

/**
 * Sets the default device of an open backend (`setDefaultDevice` in
 * core/webgpu/init.ts opens WebGPU first; use that one).
 *
 * @param device a device whose backend is open
 * @throws {WebGPUUnavailableError} for "webgpu" before it was opened
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { getDefaultDevice, setDefaultDeviceOpen } from "./device.ts";
 * setDefaultDeviceOpen("cpu");
 * equal(getDefaultDevice(), "cpu");
 * ```
 */
export function setDefaultDeviceOpen(device: Device): void {
  backendFor(device);
  defaultDevice = device;
}

/**
 * The backend of a device.
 *
 * @param device the device
 * @returns its backend
 * @throws {WebGPUUnavailableError} for "webgpu" before `initWebGPU()`
 * @throws {TypeError} for an unknown device
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { backendFor } from "./device.ts";
 * equal(backendFor("cpu").device, "cpu");
 * ```
 */
export function backendFor(device: Device): Backend {
  const b = backends.get(device);
  if (b !== undefined) return b;
  if (device === "webgpu") {
    throw new WebGPUUnavailableError(
      'WebGPU is not open yet: `await initWebGPU()` (or `await setDefaultDevice("webgpu")`) ' +
        "before creating webgpu tensors",
    );
  }
  throw new TypeError(`Cannot use device ${device}: no backend for it is available`);
}

/**
 * The raw elements of a CPU tensor's storage (shared, not copied; the
 * tensor's own elements start at its `offset` and follow its `strides`).
 *
 * @param t a CPU tensor (or any strided view)
 * @returns its storage's typed array
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { cpuData } from "./device.ts";
 * import { tensor } from "./ops/creation.ts";
 * const t = tensor([1, 2, 3]);
 * cpuData(t)[0] = 9; // writes through
 * equal(t.dataSync()[0], 9);
 * ```
 */
export function cpuData(t: StridedView): TypedArray {
  return (t.storage as CpuStorage).data;
}
