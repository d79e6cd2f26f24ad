/**
 * Device → backend lookup. Only the CPU backend exists so far; the WebGPU
 * backend registers here when it lands.
 *
 * @module
 */

import type { Backend, StridedView } from "./backend.ts";
import { cpuBackend, type CpuStorage } from "./cpu/backend.ts";
import type { Device, TypedArray } from "./dtype.ts";

/**
 * The backend of a device.
 *
 * @param device the device
 * @returns its backend
 * @throws {TypeError} for a device without a backend yet
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { backendFor } from "./device.ts";
 * equal(backendFor("cpu").device, "cpu");
 * ```
 */
export function backendFor(device: Device): Backend {
  if (device === "cpu") return cpuBackend;
  throw new TypeError(`Cannot use device ${device}: no backend for it is available yet`);
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
