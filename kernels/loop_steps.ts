/**
 * The loop budget of one shader invocation on Mesa's llvmpipe (lavapipe, the software Vulkan
 * driver behind a fallback WebGPU adapter). gallivm gives every invocation one loop counter,
 * set to 65,535 (`LP_MAX_TGSI_LOOP_ITERATIONS`) on entry and shared by all its loops, nested or
 * not; each pass through a loop's end takes one from it, the pass that finds the loop done
 * included, and a loop whose counter reaches 0 ends there, silently. So a loop of n iterations
 * costs n + 1 *steps*, and the loops of an invocation all finish when the steps of all of
 * them add up to at most {@linkcode LLVMPIPE_LOOP_STEPS}. Measured on Mesa 22.3 (and checked by
 * core/webgpu/loop_steps_test.ts): one loop runs 65,535 iterations, two 32,767 each, three
 * 21,844 each; the halving loops of the workgroup trees count (NIR does not unroll them),
 * constant loops such as `for (j = 0; j < 4; j++)` are unrolled and do not; a loop holding
 * another costs one step more; a SIMD group of invocations loops while any lane does. The
 * bound is exact for loops that run one after the other, which is all the row kernels have.
 *
 * Each kernel states its steps as a function of its sizes next to its WGSL
 * (`softmaxLoopSteps`, `matmulLoopSteps`, …); the backend keeps them under
 * {@linkcode loopStepBudget} by its choice of threads, chunks and passes, or refuses the op
 * before dispatching anything.
 *
 * @module
 */

/** The loop steps llvmpipe runs per shader invocation: Σ (iterations + 1) over its loops. */
export const LLVMPIPE_LOOP_STEPS = 65_536;

/**
 * The loop steps an invocation may take on an adapter: {@linkcode LLVMPIPE_LOOP_STEPS} on a
 * fallback (software) adapter, whose only implementation in the wild is llvmpipe; no bound on
 * a hardware GPU.
 *
 * @param isFallbackAdapter whether the adapter is a software one
 * @returns the budget
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { loopStepBudget } from "./loop_steps.ts";
 * equal(loopStepBudget(true), 65_536);
 * equal(loopStepBudget(false), Infinity);
 * ```
 */
export function loopStepBudget(isFallbackAdapter: boolean): number {
  return isFallbackAdapter ? LLVMPIPE_LOOP_STEPS : Infinity;
}

/**
 * Steps of a loop that runs `iterations` times.
 *
 * @param iterations iterations of the busiest lane
 * @returns iterations + 1
 */
export function loopSteps(iterations: number): number {
  return iterations + 1;
}

/**
 * Steps of a strided loop `for (var c = t; c < len; c += threads)`: ⌈len / threads⌉ + 1 (the
 * lane with t = 0 runs longest).
 *
 * @param len the loop's range
 * @param threads the stride
 * @returns the steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { stridedLoopSteps } from "./loop_steps.ts";
 * equal(stridedLoopSteps(33, 16), 4);
 * ```
 */
export function stridedLoopSteps(len: number, threads: number): number {
  return loopSteps(Math.ceil(len / threads));
}

/**
 * Steps of a workgroup tree `for (var width = threads / 2; width > 0; width /= 2)`:
 * log2(threads) + 1, none for one thread (the kernels emit no loop then).
 *
 * @param threads threads of the workgroup (a power of two)
 * @returns the steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { treeLoopSteps } from "./loop_steps.ts";
 * equal(treeLoopSteps(16), 5);
 * equal(treeLoopSteps(1), 0);
 * ```
 */
export function treeLoopSteps(threads: number): number {
  return threads > 1 ? loopSteps(Math.log2(threads)) : 0;
}

/** The most threads per row the row kernels use (WebGPU's default invocation limit). */
export const MAX_ROW_THREADS = 256;

/**
 * Threads per row for a row kernel whose invocations take `steps(threads)` loop steps: the
 * adapter's usual count (`rowThreads`: 16 on a software adapter, whose barriers are slow; 256
 * on a GPU), doubled while the steps are over the budget, up to {@linkcode MAX_ROW_THREADS}.
 *
 * @param steps the kernel's steps as a function of its threads per row
 * @param base the usual threads per row (a power of two)
 * @param budget the adapter's {@linkcode loopStepBudget}
 * @returns the threads, or null when even {@linkcode MAX_ROW_THREADS} take too many steps
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { rowThreadsWithin, stridedLoopSteps } from "./loop_steps.ts";
 * const steps = (t: number) => 3 * stridedLoopSteps(400_000, t);
 * equal(rowThreadsWithin(steps, 16, 65_536), 32); // 16 threads: 75,003 steps
 * equal(rowThreadsWithin(steps, 16, Infinity), 16);
 * equal(rowThreadsWithin((t) => 3 * stridedLoopSteps(6e6, t), 16, 65_536), null);
 * ```
 */
export function rowThreadsWithin(
  steps: (threads: number) => number,
  base: number,
  budget: number,
): number | null {
  for (let t = base; t <= Math.max(base, MAX_ROW_THREADS); t *= 2) {
    if (steps(t) <= budget) return t;
  }
  return null;
}
