/**
 * The WebGPU backend's fused training kernels (see `Backend`): LayerNorm forward (saving mean
 * and rstd) and backward, the AdamW step, and attention's causal softmax and softmax backward,
 * from `kernels/layernorm.ts`, `kernels/adamw.ts` and `kernels/softmax_fused.ts`.
 *
 * @module
 */

import type { Backend, StridedView } from "../backend.ts";
import type { GpuCore, WebGPUStorage } from "./backend.ts";
import {
  layerNormBackwardLaunch,
  layerNormBackwardLoopSteps,
  layerNormForwardLaunch,
  layerNormForwardLoopSteps,
} from "../../kernels/layernorm.ts";
import {
  layerNormParamsBackwardLaunch,
  layerNormParamsGroups,
} from "../../kernels/layernorm_params.ts";
import { adamwLaunch } from "../../kernels/adamw.ts";
import { causalSoftmaxLaunch, softmaxBackwardLaunch } from "../../kernels/softmax_fused.ts";
import { rowThreads } from "../../kernels/launch.ts";
import {
  loopStepBudget,
  MAX_ROW_THREADS,
  rowThreadsWithin,
  stridedLoopSteps,
  treeLoopSteps,
} from "../../kernels/loop_steps.ts";
import { formatShape } from "../errors.ts";
import { sizeOf } from "../shape.ts";
import { WebGPUKernelLimitError } from "./errors.ts";

type FusedMethods = Pick<
  Backend,
  "layerNorm" | "layerNormBackward" | "adamw" | "causalSoftmax" | "softmaxBackward"
>;

/**
 * The fused kernels of the WebGPU backend. The kernels index from element 0, so an input view
 * with an offset is copied first (outputs are expected at offset 0). Rows too long for the
 * adapter's loop budget (llvmpipe's, see kernels/loop_steps.ts) even at 256 threads are
 * refused before anything is dispatched.
 *
 * @param core the backend's shared helpers
 * @param backend the backend itself (its `reduce`)
 * @returns the methods
 */
export function fusedMethods(core: GpuCore, backend: () => Backend): FusedMethods {
  const { exec, maxPerDim } = core;
  const usual = rowThreads(core.fallback), budget = loopStepBudget(core.fallback);
  /** Threads per row of a row kernel, or a WebGPUKernelLimitError when none fits. */
  const threadsFor = (op: string, x: StridedView, steps: (threads: number) => number) => {
    const threads = rowThreadsWithin(steps, usual, budget);
    if (threads !== null) return threads;
    const what = `rows of ${x.shape[1]} features (x of shape ${formatShape(x.shape)})`;
    throw new WebGPUKernelLimitError(op, what, steps(MAX_ROW_THREADS), budget);
  };
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
      const threads = threadsFor("layerNorm", x, (t) => layerNormForwardLoopSteps(cols, t));
      const { bufs, free } = inputs([x, weight, bias]);
      const launch = layerNormForwardLaunch({ rows, cols, eps, threads }, maxPerDim);
      exec.dispatch(launch, [...bufs, core.outBuf(y), core.outBuf(mean), core.outBuf(rstd)]);
      free();
    },
    layerNormBackward(dy, x, weight, mean, rstd, dx, dweight, dbias) {
      const [rows, cols] = x.shape;
      if (rows * cols === 0) return;
      const threads = threadsFor(
        "layerNormBackward",
        x,
        (t) => layerNormBackwardLoopSteps(cols, t),
      );
      const { bufs, free } = inputs([dy, x, weight, mean, rstd]);
      const [bdy, bx, bw, bm, br] = bufs;
      const p = { rows, cols, threads };
      // dweight and dbias: sums over chunks of rows, then over the chunks when there are several
      const groups = layerNormParamsGroups(rows);
      const parts = groups > 1 ? [0, 1].map(() => core.alloc("float32", groups * cols, false)) : [];
      try {
        exec.dispatch(layerNormBackwardLaunch(p, maxPerDim), [
          bdy,
          bx,
          bw,
          bm,
          br,
          core.outBuf(dx),
        ]);
        const [pw, pb] = parts.length > 0
          ? parts.map((t) => t.buffer)
          : [core.outBuf(dweight), core.outBuf(dbias)];
        exec.dispatch(layerNormParamsBackwardLaunch(p, maxPerDim), [bdy, bx, bm, br, pw, pb]);
        parts.forEach((t, i) => {
          const all = { storage: t, shape: [groups, cols], strides: [cols, 1], offset: 0 };
          backend().reduce("sum", all, 1, groups, cols, i === 0 ? dweight : dbias, null);
        });
      } finally {
        parts.forEach((t) => t.free());
        free();
      }
    },
    causalSoftmax(x, matrices, rows, cols, scale, out) {
      if (matrices * rows * cols === 0) return;
      const steps = (t: number) => 3 * stridedLoopSteps(cols, t) + 2 * treeLoopSteps(t);
      const threads = threadsFor("causalSoftmax", { ...x, shape: [rows, cols] }, steps);
      const p = { matrices, rows, cols, offset: x.offset, scale, threads };
      exec.dispatch(causalSoftmaxLaunch(p, maxPerDim), [core.buf(x), core.outBuf(out)]);
    },
    softmaxBackward(y, g, rows, size, scale, out) {
      if (rows * size === 0) return;
      const steps = (t: number) => 2 * stridedLoopSteps(size, t) + treeLoopSteps(t);
      const threads = threadsFor("softmaxBackward", { ...y, shape: [rows, size] }, steps);
      const p = { rows, cols: size, yOffset: y.offset, gOffset: g.offset, scale, threads };
      exec.dispatch(softmaxBackwardLaunch(p, maxPerDim), [
        core.buf(y),
        core.buf(g),
        core.outBuf(out),
      ]);
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
