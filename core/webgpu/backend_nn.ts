/**
 * The WebGPU backend's optional kernels (see `Backend`): index-select and its
 * scatter-add, softmax/log-softmax along any dim, fused cross-entropy.
 *
 * @module
 */

import { type Backend, indexErrorMessage, type StridedView } from "../backend.ts";
import { broadcastStrides, sizeOf } from "../shape.ts";
import type { GpuCore, WebGPUStorage } from "./backend.ts";
import { indexSelectLaunch } from "../../kernels/index_select.ts";
import { softmaxLaunch, softmaxLoopSteps } from "../../kernels/softmax.ts";
import {
  crossEntropyCountGroups,
  crossEntropyCountLaunch,
  crossEntropyLaunch,
  crossEntropyLoopSteps,
} from "../../kernels/cross_entropy.ts";
import { flatIndexLaunch } from "../../kernels/flat_index.ts";
import { gatherLaunch } from "../../kernels/gather.ts";
import { indexPutLaunch } from "../../kernels/index_put.ts";
import { rowThreads, wgslType } from "../../kernels/launch.ts";
import { loopStepBudget, MAX_ROW_THREADS, rowThreadsWithin } from "../../kernels/loop_steps.ts";
import { formatShape } from "../errors.ts";
import { WebGPUKernelLimitError } from "./errors.ts";

type NnMethods = Pick<
  Backend,
  | "flatIndex"
  | "indexSelect"
  | "indexAdd"
  | "gather"
  | "scatterAdd"
  | "indexPut"
  | "softmax"
  | "crossEntropy"
>;

/**
 * The indexing and nn kernels of the WebGPU backend.
 *
 * @param core the backend's shared helpers
 * @param backend the backend itself (its `reduce`)
 * @returns the methods
 */
export function nnMethods(core: GpuCore, backend: () => Backend): NnMethods {
  const { exec, maxPerDim } = core;
  const usual = rowThreads(core.fallback), budget = loopStepBudget(core.fallback);
  const view = (s: WebGPUStorage, shape: number[], strides: number[]): StridedView => ({
    storage: s,
    shape,
    strides,
    offset: 0,
  });
  /**
   * Softmax of rows too long for one workgroup on llvmpipe (see kernels/loop_steps.ts): the
   * logsumexp of each row, reduced in passes, then x − lse, exponentiated for softmax.
   */
  const softmaxInPasses = (
    x: StridedView,
    [outer, size, inner]: number[],
    log: boolean,
    out: StridedView,
  ) => {
    const lse = core.alloc("float32", outer * inner, false);
    try {
      backend().reduce(
        "logsumexp",
        x,
        outer,
        size,
        inner,
        view(lse, [outer, inner], [inner, 1]),
        null,
      );
      const shape = [outer, size, inner], strides = [size * inner, inner, 1];
      const dst = { ...out, shape, strides };
      core.run("sub", [{ ...x, shape, strides }, view(lse, shape, [inner, 0, 1])], dst);
      if (!log) core.run("exp", [dst], dst);
    } finally {
      lse.free();
    }
  };
  return {
    flatIndex(indices, bounds, out, check) {
      const n = sizeOf(out.shape);
      if (n === 0) return;
      const codes = indices.map((_, d) =>
        exec.errors.code(
          `flatIndex ${check.op} ${check.dims.join(",")} ${check.negative} ${d}`,
          (v, bound) => indexErrorMessage(check, v, bound, d),
          check.errorClass,
        )
      );
      const operands = indices.map((v) => ({
        offset: v.offset,
        strides: broadcastStrides(v.shape, v.strides, out.shape),
      }));
      const launch = flatIndexLaunch(
        { shape: out.shape, operands, bounds, codes, negative: check.negative },
        maxPerDim,
      );
      exec.dispatch(launch, [
        ...indices.map((v) => core.buf(v)),
        core.outBuf(out),
        exec.errors.buffer(),
      ]);
    },
    indexSelect(x, outer, size, inner, idx, out) {
      const count = idx.shape.reduce((p, s) => p * s, 1);
      if (outer * count * inner === 0) return;
      const p = { outer, size, inner, count, xOffset: x.offset, iOffset: idx.offset };
      exec.dispatch(indexSelectLaunch(p, false, maxPerDim, wgslType(x.storage.dtype)), [
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
      const type = wgslType(x.storage.dtype);
      const launch = gatherLaunch(
        x.shape,
        dim,
        idx.shape,
        x.offset,
        idx.offset,
        false,
        maxPerDim,
        type,
      );
      exec.dispatch(launch, [core.buf(x), core.buf(idx), core.outBuf(out)]);
    },
    scatterAdd(g, dim, idx, acc) {
      if (sizeOf(idx.shape) === 0) return;
      const launch = gatherLaunch(acc.shape, dim, idx.shape, g.offset, idx.offset, true, maxPerDim);
      exec.dispatch(launch, [core.buf(g), core.buf(idx), core.buf(acc)]);
    },
    softmax(x, outer, size, inner, log, out) {
      if (outer * size * inner === 0) return;
      const op = log ? "logSoftmax" : "softmax";
      const threads = rowThreadsWithin((t) => softmaxLoopSteps(size, t), usual, budget);
      if (threads === null) return softmaxInPasses(x, [outer, size, inner], log, out);
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
    indexPut(x, rows, values, accumulate) {
      const count = sizeOf(rows.shape), rowSize = x.shape[1];
      if (count * rowSize === 0) return;
      const [s0, s1] = broadcastStrides(values.shape, values.strides, [count, rowSize]);
      const launch = indexPutLaunch(
        {
          count,
          rowSize,
          xOffset: x.offset,
          rowsOffset: rows.offset,
          valuesOffset: values.offset,
          valuesStrides: [s0, s1],
        },
        accumulate,
        wgslType(x.storage.dtype),
        maxPerDim,
      );
      exec.dispatch(launch, [core.buf(x), core.buf(rows), core.buf(values)]);
    },
    crossEntropy(logits, targets, loss, dlogits, opts) {
      const [rows, cols] = logits.shape;
      if (rows * cols === 0) return;
      const steps = (t: number) => crossEntropyLoopSteps(cols, t);
      const threads = rowThreadsWithin(steps, usual, budget);
      if (threads === null) {
        const what = `${cols} classes (logits of shape ${formatShape(logits.shape)})`;
        throw new WebGPUKernelLimitError("crossEntropy", what, steps(MAX_ROW_THREADS), budget);
      }
      const mean = opts.reduction === "mean";
      const code = exec.errors.code(
        "crossEntropy target",
        (t, c, i) => `crossEntropy: target ${t} at position ${i} is out of bounds for ${c} classes`,
      );
      const p = {
        rows,
        cols,
        ignoreIndex: opts.ignoreIndex,
        labelSmoothing: opts.labelSmoothing,
        mean,
        code,
        threads,
      };
      const temps: WebGPUStorage[] = [];
      const temp = (n: number) => {
        const t = core.alloc("float32", n, false);
        temps.push(t);
        return t;
      };
      try {
        const count = mean ? temp(1) : null;
        if (count !== null) {
          // partial counts of chunks of rows, summed when there are several
          const groups = crossEntropyCountGroups(rows);
          const partial = groups > 1 ? temp(groups) : count;
          const launch = crossEntropyCountLaunch({ ...p, threads: usual });
          exec.dispatch(launch, [core.buf(targets), partial.buffer]);
          if (partial !== count) {
            const all = view(partial, [groups], [1]);
            backend().reduce("sum", all, 1, groups, 1, view(count, [], []), null);
          }
        }
        const perRow = opts.reduction === "none" ? null : temp(rows);
        const rowLoss = perRow === null ? core.outBuf(loss) : perRow.buffer;
        exec.dispatch(crossEntropyLaunch(p, maxPerDim), [
          core.buf(logits),
          core.buf(targets),
          count?.buffer ?? core.buf(targets),
          rowLoss,
          core.outBuf(dlogits),
          exec.errors.buffer(),
        ]);
        if (perRow === null) return;
        // the reduction of the row losses: a sum, divided by the count for "mean"
        const rowsView = view(perRow, [rows], [1]);
        const sum = count === null ? loss : view(temp(1), [], []);
        backend().reduce("sum", rowsView, 1, rows, 1, sum, null);
        if (count !== null) core.run("div", [sum, view(count, [], [])], loss);
      } finally {
        for (const t of temps) t.free();
      }
    },
  };
}
