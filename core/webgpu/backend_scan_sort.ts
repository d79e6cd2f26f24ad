/**
 * The WebGPU backend's scan and sort methods (`kernels/scan.ts`, `kernels/sort.ts`).
 *
 * @module
 */

import type { Backend, ScanKernel, StridedView } from "../backend.ts";
import type { GpuCore, WebGPUStorage } from "./backend.ts";
import { SCAN_BLOCK, scanBlocksLaunch, scanCarryLaunch } from "../../kernels/scan.ts";
import { paddedLength, sortLaunches } from "../../kernels/sort.ts";
import { wgslType } from "../../kernels/launch.ts";

/**
 * The scan and sort kernels of the WebGPU backend.
 *
 * @param core the backend's shared helpers
 * @returns the methods
 */
export function scanSortMethods(core: GpuCore): Pick<Backend, "scan" | "sort"> {
  const { exec, maxPerDim } = core;
  const view = (s: WebGPUStorage, shape: number[]): StridedView => ({
    storage: s,
    shape,
    strides: shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1)),
    offset: 0,
  });
  const scan = (
    op: ScanKernel,
    x: StridedView,
    outer: number,
    n: number,
    inner: number,
    out: StridedView,
  ): void => {
    if (outer * n * inner === 0) return;
    const t = wgslType(x.storage.dtype);
    const p = { outer, n, inner, xOffset: x.offset, outOffset: out.offset };
    const blocks = Math.ceil(n / SCAN_BLOCK);
    const totals = core.alloc(x.storage.dtype, outer * blocks * inner, false);
    const scanned = blocks > 1 ? core.alloc(x.storage.dtype, outer * blocks * inner, false) : null;
    try {
      exec.dispatch(scanBlocksLaunch(op, t, p, maxPerDim), [
        core.buf(x),
        core.outBuf(out),
        totals.buffer,
      ]);
      if (scanned === null) return;
      // the block totals, scanned along their own blocks dim, carry into the later blocks
      const shape = [outer, blocks, inner];
      scan(op, view(totals, shape), outer, blocks, inner, view(scanned, shape));
      exec.dispatch(scanCarryLaunch(op, t, p, maxPerDim), [scanned.buffer, core.buf(out)]);
    } finally {
      totals.free();
      scanned?.free();
    }
  };
  return {
    scan,
    sort(x, rows, n, k, descending, values, indices) {
      if (rows * k === 0) return;
      const types = {
        value: wgslType(x.storage.dtype),
        index: wgslType(indices.storage.dtype),
      };
      const p = {
        rows,
        n,
        k,
        descending,
        xOffset: x.offset,
        valuesOffset: values.offset,
        indicesOffset: indices.offset,
      };
      const [init, ...rest] = sortLaunches(p, types, maxPerDim);
      const emit = rest.pop()!;
      const m = rows * paddedLength(n);
      const keys = core.alloc(x.storage.dtype, m, false), pos = core.alloc("int32", m, false);
      try {
        exec.dispatch(init, [core.buf(x), keys.buffer, pos.buffer]);
        for (const step of rest) exec.dispatch(step, [keys.buffer, pos.buffer]);
        exec.dispatch(emit, [
          keys.buffer,
          pos.buffer,
          core.outBuf(values),
          core.outBuf(indices),
        ]);
      } finally {
        keys.free();
        pos.free();
      }
    },
  };
}
