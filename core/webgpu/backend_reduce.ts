/**
 * The WebGPU backend's reductions (sum, max/min with or without indices,
 * logsumexp) over a contiguous (outer, n, inner) block. Long rows are reduced
 * in passes: each pass folds chunks of a row into (outer, groups, inner)
 * partials in a temporary buffer, and the next pass reduces those, so no
 * shader invocation loops more than a few thousand times. llvmpipe/lavapipe
 * (Mesa's software Vulkan) silently stops every loop of an invocation after
 * 65,536 steps in all (kernels/loop_steps.ts); one workgroup per row made
 * `sum()` of 2^21 ones 131,070 there. The passes also spread a long row over
 * many workgroups.
 *
 * @module
 */

import type { Backend, ReduceKernel, StridedView } from "../backend.ts";
import type { GpuCore, WebGPUStorage } from "./backend.ts";
import { REDUCE_CHUNK, reduceLaunch, SERIAL_SUM_MAX } from "../../kernels/reduce.ts";
import {
  SERIAL_REDUCE_CHUNK,
  serialReduceLaunch,
  type SerialReduceOp,
} from "../../kernels/index_select.ts";
import { rowThreads, wgslType } from "../../kernels/launch.ts";
import type { DType } from "../dtype.ts";

type ReduceMethods = Pick<Backend, "reduce">;

/**
 * The backend's `reduce` on the shared helpers.
 *
 * @param core the backend's shared helpers
 * @returns the method
 */
export function reduceMethods(core: GpuCore): ReduceMethods {
  const { exec, maxPerDim } = core;
  const threads = rowThreads(core.fallback);

  /** Sums rows of `buf` (outer, n, inner from `offset`) in passes; the last pass is left. */
  function sum(
    buf: GPUBuffer,
    dtype: DType,
    offset: number,
    outer: number,
    n: number,
    inner: number,
  ) {
    const temps: WebGPUStorage[] = [];
    const type = wgslType(dtype);
    let src = buf, off = offset, len = n;
    while (len > REDUCE_CHUNK) {
      const groups = Math.ceil(len / REDUCE_CHUNK);
      const t = core.alloc(dtype, outer * groups * inner, false);
      const chunk = REDUCE_CHUNK;
      exec.dispatch(
        reduceLaunch("sum", { outer, len, inner, offset: off, threads, chunk, type }, maxPerDim),
        [src, t.buffer],
      );
      temps.push(t);
      src = t.buffer;
      off = 0;
      len = groups;
    }
    return { src, off, len, temps };
  }

  /** Arg-max/min or logsumexp of rows in passes of SERIAL_REDUCE_CHUNK; the last pass is left. */
  function serialPasses(
    k: Exclude<SerialReduceOp, "sum">,
    buf: GPUBuffer,
    dtype: DType,
    offset: number,
    outer: number,
    n: number,
    inner: number,
  ) {
    const temps: WebGPUStorage[] = [];
    const type = wgslType(dtype);
    let src = buf, idx: GPUBuffer | null = null, off = offset, len = n;
    while (len > SERIAL_REDUCE_CHUNK) {
      const groups = Math.ceil(len / SERIAL_REDUCE_CHUNK);
      const values = core.alloc(dtype, outer * groups * inner, false);
      temps.push(values);
      const bufs = [src, values.buffer];
      let nextIdx: GPUBuffer | null = null;
      if (k !== "logsumexp") {
        const t = core.alloc("int32", outer * groups * inner, false);
        temps.push(t);
        nextIdx = t.buffer;
        bufs.push(nextIdx);
        if (idx !== null) bufs.push(idx);
      }
      exec.dispatch(
        serialReduceLaunch(
          k,
          outer,
          len,
          inner,
          off,
          maxPerDim,
          SERIAL_REDUCE_CHUNK,
          idx !== null,
          type,
        ),
        bufs,
      );
      src = values.buffer;
      idx = nextIdx;
      off = 0;
      len = groups;
    }
    return { src, idx, off, len, temps };
  }

  return {
    reduce(
      op: ReduceKernel,
      x: StridedView,
      outer: number,
      n: number,
      inner: number,
      out: StridedView,
      indices: StridedView | null,
    ): void {
      if (outer * inner === 0 || n === 0) return;
      const dtype = x.storage.dtype, type = wgslType(dtype);
      if (op === "sum" && n <= SERIAL_SUM_MAX) {
        const launch = serialReduceLaunch(
          "sum",
          outer,
          n,
          inner,
          x.offset,
          maxPerDim,
          n,
          false,
          type,
        );
        exec.dispatch(launch, [core.buf(x), core.outBuf(out)]);
        return;
      }
      if (op === "sum") {
        const p = sum(core.buf(x), dtype, x.offset, outer, n, inner);
        exec.dispatch(
          reduceLaunch(
            "sum",
            { outer, len: p.len, inner, offset: p.off, threads, type },
            maxPerDim,
          ),
          [p.src, core.outBuf(out)],
        );
        for (const t of p.temps) t.free();
        return;
      }
      // One thread per output: propagates NaN as torch does (the tree kernels do not).
      const k = op === "logsumexp" ? "logsumexp" : op === "max" ? "argmax" : "argmin";
      const p = serialPasses(k, core.buf(x), dtype, x.offset, outer, n, inner);
      const bufs = [p.src, core.outBuf(out)];
      const tmp = indices === null && k !== "logsumexp"
        ? core.alloc("int32", outer * inner, false)
        : null;
      if (indices !== null) bufs.push(core.outBuf(indices));
      if (tmp !== null) bufs.push(tmp.buffer);
      if (p.idx !== null) bufs.push(p.idx);
      exec.dispatch(
        serialReduceLaunch(k, outer, p.len, inner, p.off, maxPerDim, p.len, p.idx !== null, type),
        bufs,
      );
      tmp?.free();
      for (const t of p.temps) t.free();
    },
  };
}
