/**
 * Kata 13's bench helper (you never edit it): times your kernel, the reference solution's and
 * the library's kernel for the same op, and prints GB/s or GFLOPS for each. A kernel's time is
 * the slope between K and 2K dispatches in one submit (as bench/webgpu_timing.ts does), never one
 * dispatch by wall clock, the kernels taking turns; it also registers `deno bench` entries
 * (library as the baseline).
 *
 * @module
 */

import { KataTodo } from "../_lib/todo.ts";
import { webgpuUnavailableReason } from "../../core/webgpu/device.ts";
import { WebGPUExecutor } from "../../core/webgpu/executor.ts";
import type { KernelLaunch } from "../../kernels/launch.ts";
import { bindKernel, dispatch, type KernelRun } from "./_harness.ts";

/** One step's bench: the same op by your kernel, the reference's and the library's. */
export interface KernelBench {
  /** The step and its size, e.g. `"13.1 map, n = 262,144"`. */
  name: string;
  /** What the figure counts. */
  unit: "GB/s" | "GFLOPS";
  /** Bytes moved (GB/s) or floating-point operations (GFLOPS) by one dispatch. */
  amount: number;
  /** Your kernel's run (calls your function: a KataTodo means not written yet). */
  yours: () => KernelRun;
  /** The reference solution's run. */
  reference: () => KernelRun;
  /** The library's kernel for the op, and its buffers (their contents as floats). */
  library: { what: string; launch: KernelLaunch; buffers: Float32Array[] };
}

/** True on a software (fallback) adapter such as llvmpipe: the benches use smaller sizes. */
export const isFallback: boolean = await (async () => {
  if ((await webgpuUnavailableReason()) !== null) return true;
  return (await WebGPUExecutor.create()).ctx.info.isFallbackAdapter;
})();

/** Milliseconds of GPU work one K of the slope should take at least. */
const TARGET_MS = 150;

/**
 * Times and prints each case, then registers its `deno bench` entries.
 *
 * @param cases the steps of one bench file
 */
export async function benchKernels(cases: readonly KernelBench[]): Promise<void> {
  const reason = await webgpuUnavailableReason();
  if (reason !== null) {
    console.log(`kata 13 benches skipped: no WebGPU adapter (${reason})`);
    return;
  }
  const exec = await WebGPUExecutor.create({ maxPendingDispatches: 1 << 20 });
  console.log(
    `kata 13 on ${exec.ctx.info.description}` +
      (exec.ctx.info.isFallbackAdapter ? " (a software adapter: small sizes)" : ""),
  );
  for (const c of cases) {
    const rate = (ms: number) => `${(c.amount / ms / 1e6).toFixed(2)} ${c.unit}`;
    const bufs = c.library.buffers.map((b) => exec.upload(b));
    const library: Timed = {
      who: `library (${c.library.what})`,
      run: (n) => {
        for (let i = 0; i < n; i++) exec.dispatch(c.library.launch, bufs);
        return exec.sync();
      },
    };
    const timed: Timed[] = [library];
    const notWritten: string[] = [];
    for (const [who, make] of [["reference", c.reference], ["yours", c.yours]] as const) {
      let run: KernelRun;
      try {
        run = make();
      } catch (e) {
        if (!(e instanceof KataTodo)) throw e;
        notWritten.push(`${who}: not written yet (step ${e.step})`);
        continue;
      }
      const k = await bindKernel(run);
      timed.push({
        who,
        run: (n) => {
          dispatch(k, run.workgroups, n);
          return k.device.queue.onSubmittedWorkDone();
        },
      });
    }
    const ms = await interleavedSlopes(timed);
    const line = timed.map((t, i) =>
      `${t.who} ${rate(ms[i])}` + (i > 0 ? ` (${(ms[0] / ms[i]).toFixed(2)}× the library)` : "")
    );
    console.log(`${c.name}: ${[...line, ...notWritten].join("; ")}`);
    const reps = timed[0].reps!;
    for (const [i, t] of timed.entries()) {
      Deno.bench({
        name: `${t.who}: ${reps} dispatches`,
        group: c.name,
        baseline: i === 0,
        n: 3,
        warmup: 1,
        fn: () => t.run(reps),
      });
    }
  }
}

/** A kernel to time: `run(n)` queues n dispatches in one submit and waits for them. */
interface Timed {
  who: string;
  run: (n: number) => Promise<void>;
  /** K of its slope (set by {@linkcode interleavedSlopes}). */
  reps?: number;
}

/**
 * Milliseconds per dispatch of each kernel: the median over `trials` of the slope between K
 * and 2K dispatches in one submit, the kernels taking turns within each trial so that a busy
 * machine slows them alike.
 */
async function interleavedSlopes(timed: Timed[], trials = 5): Promise<number[]> {
  const wall = async (t: Timed, n: number) => {
    const t0 = performance.now();
    await t.run(n);
    return performance.now() - t0;
  };
  for (const t of timed) {
    await wall(t, 1); // compile and first touch
    // K: doubled until K dispatches take TARGET_MS, so that their work, not the ~20 ms of a
    // submit and wait, sets the slope.
    t.reps = 2;
    while (t.reps < 1024 && (await wall(t, t.reps)) < TARGET_MS) t.reps *= 2;
  }
  const slopes: number[][] = timed.map(() => []);
  for (let trial = 0; trial < trials; trial++) {
    for (const [i, t] of timed.entries()) {
      const k = await wall(t, t.reps!), k2 = await wall(t, 2 * t.reps!);
      slopes[i].push(Math.max(k2 - k, 1e-6) / t.reps!);
    }
  }
  return slopes.map((s) => s.sort((x, y) => x - y)[Math.floor(s.length / 2)]);
}
