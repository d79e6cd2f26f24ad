/**
 * Test helpers for the WebGPU tests: skip with a reason when no adapter opens
 * (fail instead when KATAGRAD_REQUIRE_WEBGPU=1), a shared executor, seeded
 * data and float32 comparisons.
 *
 * @module
 */

import { webgpuUnavailableReason } from "./device.ts";
import { WebGPUExecutor } from "./executor.ts";
import { initWebGPU } from "./init.ts";

const requireWebGPU = Deno.env.get("KATAGRAD_REQUIRE_WEBGPU") === "1";
/** Why WebGPU tests are skipped here, or null when they run. */
export const skipReason: string | null = requireWebGPU ? null : await webgpuUnavailableReason();
if (skipReason !== null) {
  console.log(
    `WebGPU tests skipped: ${skipReason} (set KATAGRAD_REQUIRE_WEBGPU=1 to fail instead)`,
  );
}

let shared: Promise<WebGPUExecutor> | null = null;

/**
 * Registers a test that needs WebGPU; it gets the shared executor.
 *
 * @param name test name
 * @param fn the test body
 */
export function gpuTest(name: string, fn: (exec: WebGPUExecutor) => Promise<void> | void): void {
  Deno.test({
    name,
    ignore: skipReason !== null,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      shared ??= WebGPUExecutor.create();
      await fn(await shared);
    },
  });
}

/**
 * Registers a test of WebGPU tensors: it opens the device for `tensor(..., {device: "webgpu"})`
 * first, and is skipped (or fails) like {@linkcode gpuTest}.
 *
 * @param name test name
 * @param fn the test body
 */
export function gpuTensorTest(name: string, fn: () => Promise<void> | void): void {
  Deno.test({
    name,
    ignore: skipReason !== null,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      await initWebGPU();
      await fn();
    },
  });
}

/**
 * Seeded uniform floats in [lo, hi) (mulberry32), rounded to float32.
 *
 * @param n count
 * @param seed seed
 * @param lo low end
 * @param hi high end
 * @returns the values
 */
export function randomFloats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/**
 * Asserts |actual - expected| <= atol + rtol·|expected| elementwise; NaN must
 * match NaN and ±Inf must match exactly.
 *
 * @param actual values from the GPU
 * @param expected values from the CPU twin
 * @param atol absolute tolerance
 * @param rtol relative tolerance
 * @param what label for the message
 * @throws {Error} naming the first mismatching index
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
  what = "values",
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: length ${actual.length} != expected ${expected.length}`);
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = Number.isNaN(e)
      ? Number.isNaN(a)
      : !Number.isFinite(e)
      ? a === e
      : Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) {
      throw new Error(`${what}: index ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/**
 * Uploads `data`, runs nothing, and reads a float32 result buffer back.
 *
 * @param exec the executor
 * @param buffer the buffer
 * @param count floats to read
 * @returns the floats
 */
export async function readFloats(
  exec: WebGPUExecutor,
  buffer: GPUBuffer,
  count: number,
): Promise<Float32Array> {
  return new Float32Array(await exec.read(buffer, count * 4));
}
