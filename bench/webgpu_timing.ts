/**
 * Timing helpers for the WebGPU benches: the time of one dispatch is the slope
 * between K and 2K dispatches in one submit, never one dispatch by wall clock.
 *
 * @module
 */

import type { KernelLaunch } from "../kernels/launch.ts";
import type { WebGPUExecutor } from "../core/webgpu/executor.ts";

/**
 * Milliseconds per call of `enqueue` by the slope between `reps` and `2·reps`
 * calls followed by one `finish` (median of `trials`).
 *
 * @param enqueue queues one unit of GPU work
 * @param finish waits for all queued work (a tiny readback)
 * @param reps K
 * @param trials repetitions of the K/2K pair
 * @returns ms per unit
 */
export async function slopeMs(
  enqueue: () => void,
  finish: () => Promise<void>,
  reps: number,
  trials = 5,
): Promise<number> {
  const run = async (n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) enqueue();
    await finish();
    return performance.now() - t0;
  };
  await run(1); // warm: compile and first touch
  const slopes: number[] = [];
  for (let t = 0; t < trials; t++) {
    const one = await run(reps);
    const two = await run(2 * reps);
    slopes.push(Math.max(two - one, 1e-6) / reps);
  }
  slopes.sort((a, b) => a - b);
  return slopes[Math.floor(slopes.length / 2)];
}

/**
 * Milliseconds per dispatch of `launch` on `exec` (K and 2K dispatches in one submit).
 *
 * @param exec an executor created with a maxPendingDispatches above 2·reps
 * @param launch the kernel launch
 * @param buffers its buffers (the last one is read back to wait)
 * @param reps K
 * @returns ms per dispatch
 */
export function dispatchMs(
  exec: WebGPUExecutor,
  launch: KernelLaunch,
  buffers: GPUBuffer[],
  reps: number,
): Promise<number> {
  const last = buffers[buffers.length - 1];
  return slopeMs(
    () => exec.dispatch(launch, buffers),
    async () => void await exec.read(last, 4),
    reps,
  );
}
