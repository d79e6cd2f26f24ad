/**
 * The WebGPU backend's optional kernels (see `Backend`): index-select and its
 * scatter-add, softmax/log-softmax along any dim, fused cross-entropy.
 *
 * @module
 */

import type { Backend, StridedView } from "../backend.ts";
import type { GpuCore, WebGPUStorage } from "./backend.ts";
import { indexSelectLaunch } from "../../kernels/index_select.ts";
import { softmaxLaunch } from "../../kernels/softmax.ts";
import { crossEntropyLaunch } from "../../kernels/cross_entropy.ts";
import { castLaunch } from "../../kernels/fill.ts";
import { gatherLaunch } from "../../kernels/gather.ts";

const sizeOf = (shape: readonly number[]) => shape.reduce((p, s) => p * s, 1);
import { rowThreads } from "../../kernels/launch.ts";

type NnMethods = Required<
  Pick<Backend, "indexSelect" | "indexAdd" | "gather" | "scatterAdd" | "softmax" | "crossEntropy">
>;

/**
 * The optional kernels of the WebGPU backend.
 *
 * @param core the backend's shared helpers
 * @returns the methods
 */
export function nnMethods(core: GpuCore): NnMethods {
  const { exec, maxPerDim } = core;
  const threads = rowThreads(core.fallback);
  const view = (s: WebGPUStorage, shape: number[], strides: number[]): StridedView => ({
    storage: s,
    shape,
    strides,
    offset: 0,
  });
  return {
    indexSelect(x, outer, size, inner, idx, out) {
      const count = idx.shape.reduce((p, s) => p * s, 1);
      if (outer * count * inner === 0) return;
      const p = { outer, size, inner, count, xOffset: x.offset, iOffset: idx.offset };
      exec.dispatch(indexSelectLaunch(p, false, maxPerDim), [
        core.buf(x),
        core.buf(idx),
        core.outBuf(out),
      ]);
    },
    indexAdd(g, outer, size, inner, idx, acc) {
      const count = idx.shape.reduce((p, s) => p * s, 1);
      if (outer * count * inner === 0) return;
      const p = { outer, size, inner, count, xOffset: g.offset, iOffset: idx.offset };
      exec.dispatch(indexSelectLaunch(p, true, maxPerDim), [
        core.buf(g),
        core.buf(idx),
        core.buf(acc),
      ]);
    },
    gather(x, dim, idx, out) {
      if (sizeOf(idx.shape) === 0) return;
      const launch = gatherLaunch(x.shape, dim, idx.shape, x.offset, idx.offset, false, maxPerDim);
      exec.dispatch(launch, [core.buf(x), core.buf(idx), core.outBuf(out)]);
    },
    scatterAdd(g, dim, idx, acc) {
      if (sizeOf(idx.shape) === 0) return;
      const launch = gatherLaunch(acc.shape, dim, idx.shape, g.offset, idx.offset, true, maxPerDim);
      exec.dispatch(launch, [core.buf(g), core.buf(idx), core.buf(acc)]);
    },
    softmax(x, outer, size, inner, log, out) {
      if (outer * size * inner === 0) return;
      const op = log ? "log_softmax" : "softmax";
      if (inner === 1) {
        const launch = softmaxLaunch(op, {
          rows: outer,
          cols: size,
          offset: x.offset,
          threads,
        }, maxPerDim);
        exec.dispatch(launch, [core.buf(x), core.outBuf(out)]);
        return;
      }
      // Move the normalised dim last, run rows, move it back.
      const n = outer * size * inner;
      const t = core.alloc("float32", n, false), r = core.alloc("float32", n, false);
      try {
        const src = { ...x, shape: [outer, inner, size], strides: [size * inner, 1, inner] };
        core.run("copy", [src], view(t, [outer, inner, size], [inner * size, size, 1]));
        exec.dispatch(
          softmaxLaunch(op, { rows: outer * inner, cols: size, threads }, maxPerDim),
          [t.buffer, r.buffer],
        );
        const back = view(r, [outer, size, inner], [inner * size, 1, size]);
        core.run("copy", [back], {
          ...out,
          shape: [outer, size, inner],
          strides: [size * inner, inner, 1],
        });
      } finally {
        t.free();
        r.free();
      }
    },
    crossEntropy(logits, targets, rowLoss, dlogits) {
      const [rows, cols] = logits.shape;
      if (rows * cols === 0) return;
      const ti = core.alloc("int32", rows, false);
      try {
        let src = logits.storage as WebGPUStorage, tmp: WebGPUStorage | null = null;
        if (logits.offset !== 0) src = tmp = core.contiguous(logits);
        exec.dispatch(castLaunch("f32_to_i32", rows, maxPerDim), [core.buf(targets), ti.buffer]);
        if (targets.offset !== 0) {
          throw new RangeError("Cannot run crossEntropy on webgpu: targets must start at offset 0");
        }
        const launch = crossEntropyLaunch({ rows, cols, gradScale: 1, threads }, maxPerDim);
        exec.dispatch(launch, [src.buffer, ti.buffer, core.outBuf(rowLoss), core.outBuf(dlogits)]);
        tmp?.free();
      } finally {
        ti.free();
      }
    },
  };
}
