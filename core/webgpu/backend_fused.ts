/**
 * The WebGPU backend's fused training kernels (see `Backend`): LayerNorm forward (saving mean
 * and rstd) and backward, and the AdamW step, from `kernels/layernorm.ts` and `kernels/adamw.ts`.
 *
 * @module
 */

import type { Backend, StridedView } from "../backend.ts";
import type { GpuCore, WebGPUStorage } from "./backend.ts";
import {
  layerNormBackwardLaunch,
  layerNormForwardLaunch,
  layerNormParamsBackwardLaunch,
} from "../../kernels/layernorm.ts";
import { adamwLaunch } from "../../kernels/adamw.ts";
import { rowThreads } from "../../kernels/launch.ts";
import { sizeOf } from "../shape.ts";

type FusedMethods = Pick<Backend, "layerNorm" | "layerNormBackward" | "adamw">;

/**
 * The fused kernels of the WebGPU backend. The kernels index from element 0, so an input view
 * with an offset is copied first (outputs are expected at offset 0).
 *
 * @param core the backend's shared helpers
 * @returns the methods
 */
export function fusedMethods(core: GpuCore): FusedMethods {
  const { exec, maxPerDim } = core;
  const threads = rowThreads(core.fallback);
  /** Input buffers at offset 0, with the temporaries to free after the dispatch. */
  const inputs = (views: StridedView[]) => {
    const temps: WebGPUStorage[] = [];
    const bufs = views.map((v) => {
      if (v.offset === 0) return core.buf(v);
      const t = core.contiguous(v);
      temps.push(t);
      return t.buffer;
    });
    return { bufs, free: () => temps.forEach((t) => t.free()) };
  };
  return {
    layerNorm(x, weight, bias, eps, y, mean, rstd) {
      const [rows, cols] = x.shape;
      if (rows * cols === 0) return;
      const { bufs, free } = inputs([x, weight, bias]);
      const launch = layerNormForwardLaunch({ rows, cols, eps, threads }, maxPerDim);
      exec.dispatch(launch, [...bufs, core.outBuf(y), core.outBuf(mean), core.outBuf(rstd)]);
      free();
    },
    layerNormBackward(dy, x, weight, mean, rstd, dx, dweight, dbias) {
      const [rows, cols] = x.shape;
      if (rows * cols === 0) return;
      const { bufs, free } = inputs([dy, x, weight, mean, rstd]);
      const [bdy, bx, bw, bm, br] = bufs;
      const p = { rows, cols, threads };
      exec.dispatch(layerNormBackwardLaunch(p, maxPerDim), [bdy, bx, bw, bm, br, core.outBuf(dx)]);
      exec.dispatch(layerNormParamsBackwardLaunch(p), [
        bdy,
        bx,
        bm,
        br,
        core.outBuf(dweight),
        core.outBuf(dbias),
      ]);
      free();
    },
    adamw(param, grad, expAvg, expAvgSq, hp) {
      const n = sizeOf(param.shape);
      if (n === 0) return;
      const offsets = [param.offset, grad.offset, expAvg.offset, expAvgSq.offset] as const;
      exec.dispatch(adamwLaunch({ n, offsets, ...hp }, maxPerDim), [
        core.buf(param),
        core.buf(grad),
        core.buf(expAvg),
        core.buf(expAvgSq),
      ]);
    },
  };
}
