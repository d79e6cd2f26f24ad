/**
 * Opening WebGPU: one shared context, opened lazily on first use, with the
 * adapter's limits and the optional features that are present.
 *
 * @module
 */

import { WebGPUDeviceLostError, WebGPUUnavailableError } from "./errors.ts";

/** Limits requested from the adapter (its maxima) and granted by the device. */
export interface WebGPULimits {
  /** Largest storage buffer binding, in bytes. */
  maxStorageBufferBindingSize: number;
  /** Largest buffer, in bytes. */
  maxBufferSize: number;
  /** Workgroup (shared) memory per workgroup, in bytes. */
  maxComputeWorkgroupStorageSize: number;
  /** Storage buffers one shader stage may bind. */
  maxStorageBuffersPerShaderStage: number;
  /** Threads per workgroup. */
  maxComputeInvocationsPerWorkgroup: number;
  /** Workgroup size along x. */
  maxComputeWorkgroupSizeX: number;
  /** Workgroup size along y. */
  maxComputeWorkgroupSizeY: number;
  /** Workgroups per dispatch dimension. */
  maxComputeWorkgroupsPerDimension: number;
  /** Largest uniform buffer binding, in bytes. */
  maxUniformBufferBindingSize: number;
}

/** The optional features katagrad asks for when the adapter has them. */
export type WebGPUFeature = "timestamp-query" | "shader-f16" | "subgroups";

const OPTIONAL_FEATURES: readonly WebGPUFeature[] = ["timestamp-query", "shader-f16", "subgroups"];
const LIMIT_NAMES: readonly (keyof WebGPULimits)[] = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxComputeWorkgroupStorageSize",
  "maxStorageBuffersPerShaderStage",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupsPerDimension",
  "maxUniformBufferBindingSize",
];

/** What the opened device is: returned by {@linkcode webgpuInfo}. */
export interface WebGPUInfo {
  /** Adapter description, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
  description: string;
  /** Adapter vendor string (may be a numeric id). */
  vendor: string;
  /** True for a software adapter (e.g. Mesa llvmpipe): slow, CPU stays the default device. */
  isFallbackAdapter: boolean;
  /** Limits the device was granted. */
  limits: WebGPULimits;
  /** Optional features the device was granted. */
  features: WebGPUFeature[];
}

/** An open WebGPU device with its adapter facts and its lost state. */
export class WebGPUContext {
  /** The adapter the device came from. */
  readonly adapter: GPUAdapter;
  /** The device. */
  readonly device: GPUDevice;
  /** Adapter description, limits and features. */
  readonly info: WebGPUInfo;
  #lost: GPUDeviceLostInfo | null = null;

  /**
   * Wraps an opened device; watches `device.lost`.
   *
   * @param adapter the adapter
   * @param device a device requested from it
   * @param info what was granted
   */
  constructor(adapter: GPUAdapter, device: GPUDevice, info: WebGPUInfo) {
    this.adapter = adapter;
    this.device = device;
    this.info = info;
    device.lost.then((lost) => {
      this.#lost = lost;
      if (shared !== null && shared === sharedFor(this)) shared = null;
    });
  }

  /** True once `device.lost` has resolved. */
  get isLost(): boolean {
    return this.#lost !== null;
  }

  /**
   * Throws if the device was lost.
   *
   * @param action what is attempted, for the message ("dispatch matmul")
   * @throws {WebGPUDeviceLostError} when the device was lost
   */
  assertAlive(action: string): void {
    if (this.#lost !== null) {
      throw new WebGPUDeviceLostError(this.#lost.reason ?? "unknown", this.#lost.message, action);
    }
  }
}

let shared: Promise<WebGPUContext> | null = null;
const contextPromises = new WeakMap<WebGPUContext, Promise<WebGPUContext>>();
function sharedFor(ctx: WebGPUContext): Promise<WebGPUContext> | undefined {
  return contextPromises.get(ctx);
}

/** Options of {@linkcode openWebGPU}. */
export interface OpenWebGPUOptions {
  /** Open a new device instead of the shared one (tests that destroy it use this). */
  fresh?: boolean;
  /** Adapter power preference. */
  powerPreference?: GPUPowerPreference;
}

async function open(options: OpenWebGPUOptions): Promise<WebGPUContext> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (gpu === undefined) throw new WebGPUUnavailableError("navigator.gpu is undefined");
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference });
  if (adapter === null) {
    throw new WebGPUUnavailableError("navigator.gpu.requestAdapter() gave null");
  }
  const requiredLimits: Record<string, number> = {};
  const adapterLimits = adapter.limits as unknown as Record<string, number>;
  for (const name of LIMIT_NAMES) requiredLimits[name] = adapterLimits[name];
  const features = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredFeatures: features as GPUFeatureName[],
      requiredLimits,
    });
  } catch (e) {
    throw new WebGPUUnavailableError(`requestDevice() failed: ${(e as Error).message}`);
  }
  const granted = device.limits as unknown as Record<string, number>;
  const limits = {} as WebGPULimits;
  for (const name of LIMIT_NAMES) limits[name] = granted[name];
  // Deno puts isFallbackAdapter on adapter.info; older specs had it on the adapter.
  const adapterInfo = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const info: WebGPUInfo = {
    description: adapterInfo.description || adapterInfo.device || "unknown adapter",
    vendor: adapterInfo.vendor,
    isFallbackAdapter: Boolean(adapterInfo.isFallbackAdapter ?? legacy ?? false),
    limits,
    features: features.filter((f) => device.features.has(f)),
  };
  return new WebGPUContext(adapter, device, info);
}

/**
 * Opens WebGPU: the shared context (opened once, lazily) or, with
 * `{fresh: true}`, a new device of its own.
 *
 * @param options `fresh` for a separate device; `powerPreference`
 * @returns the context
 * @throws {WebGPUUnavailableError} when there is no `navigator.gpu`, no adapter, or no device
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { openWebGPU, WebGPUUnavailableError } from "./device.ts";
 * try {
 *   const ctx = await openWebGPU({ fresh: true });
 *   ok(ctx.info.limits.maxBufferSize > 0);
 *   ctx.device.destroy();
 * } catch (e) {
 *   ok(e instanceof WebGPUUnavailableError);
 * }
 * ```
 */
export function openWebGPU(options: OpenWebGPUOptions = {}): Promise<WebGPUContext> {
  if (options.fresh) return open(options);
  if (shared === null) {
    const p = open(options);
    shared = p;
    p.then((ctx) => contextPromises.set(ctx, p), () => {
      if (shared === p) shared = null; // let a later call try again
    });
  }
  return shared;
}

/**
 * The shared WebGPU context, opened on first call.
 *
 * @returns the shared context
 * @throws {WebGPUUnavailableError} when WebGPU cannot be opened
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { getWebGPU, WebGPUUnavailableError } from "./device.ts";
 * try {
 *   equal(await getWebGPU(), await getWebGPU());
 * } catch (e) {
 *   equal(e instanceof WebGPUUnavailableError, true);
 * }
 * ```
 */
export function getWebGPU(): Promise<WebGPUContext> {
  return openWebGPU();
}

/**
 * Describes the shared WebGPU device: adapter description, whether it is a
 * software (fallback) adapter, the granted limits and optional features.
 *
 * @returns the device facts
 * @throws {WebGPUUnavailableError} when WebGPU cannot be opened
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { webgpuInfo, WebGPUUnavailableError } from "./device.ts";
 * try {
 *   const info = await webgpuInfo();
 *   ok(info.limits.maxComputeInvocationsPerWorkgroup >= 256);
 * } catch (e) {
 *   ok(e instanceof WebGPUUnavailableError);
 * }
 * ```
 */
export async function webgpuInfo(): Promise<WebGPUInfo> {
  return (await getWebGPU()).info;
}

/**
 * Whether WebGPU can be opened here; never throws.
 *
 * @returns the reason it cannot, or null when it can
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { webgpuUnavailableReason } from "./device.ts";
 * const why = await webgpuUnavailableReason();
 * ok(why === null || typeof why === "string");
 * ```
 */
export async function webgpuUnavailableReason(): Promise<string | null> {
  try {
    await getWebGPU();
    return null;
  } catch (e) {
    return e instanceof WebGPUUnavailableError ? e.reason : String(e);
  }
}

export { WebGPUDeviceLostError, WebGPUUnavailableError };
