/**
 * The CPU backend's indexing and fused nn methods: the `Backend` methods that the strided
 * elementwise core does not cover, each a thin adapter from views to the kernels of
 * `indexing.ts`, `softmax.ts`, `cross_entropy.ts`, `layer_norm.ts` and `adamw.ts`.
 *
 * @module
 */

import type { Backend, StridedView } from "../backend.ts";
import type { TypedArray } from "../dtype.ts";
import { broadcastStrides, sizeOf } from "../shape.ts";
import { adamwKernel } from "./adamw.ts";
import { adamwSimd, simdAdamw } from "./adamw_simd.ts";
import { SIMD_MIN } from "./elementwise_simd.ts";
import type { CpuStorage } from "./backend.ts";
import { crossEntropyKernel } from "./cross_entropy.ts";
import { overwritten } from "./elementwise.ts";
import {
  flatIndexKernel,
  gatherKernel,
  indexAddKernel,
  indexPutKernel,
  indexSelectKernel,
  scatterAddKernel,
} from "./indexing.ts";
import { layerNormBackwardKernel, layerNormKernel } from "./layer_norm.ts";
import { softmaxBackwardKernel, softmaxKernel } from "./softmax.ts";
import { causalSoftmaxF32 } from "./softmax_simd.ts";

/** The Backend methods implemented here. */
export type CpuNnMethods = Pick<
  Backend,
  | "flatIndex"
  | "indexSelect"
  | "indexAdd"
  | "gather"
  | "scatterAdd"
  | "indexPut"
  | "softmax"
  | "causalSoftmax"
  | "softmaxBackward"
  | "crossEntropy"
  | "layerNorm"
  | "layerNormBackward"
  | "adamw"
>;

/** The whole typed array of a view's storage. */
function data(v: StridedView): TypedArray {
  return (v.storage as CpuStorage).data;
}

/** The elements of a contiguous view (a shared subarray). */
function elems(v: StridedView): TypedArray {
  const d = data(v), n = sizeOf(v.shape);
  return v.offset === 0 && d.length === n ? d : d.subarray(v.offset, v.offset + n);
}

/** The elements of a contiguous output view that the kernel writes in full before reading. */
function outElems(v: StridedView): TypedArray {
  const d = overwritten(v), n = sizeOf(v.shape);
  return v.offset === 0 && d.length === n ? d : d.subarray(v.offset, v.offset + n);
}

const f32 = (v: StridedView) => elems(v) as Float32Array;
const out32 = (v: StridedView) => outElems(v) as Float32Array;
const i32 = (v: StridedView) => elems(v) as Int32Array;

/** The CPU backend's indexing and fused nn methods. */
export const cpuNnMethods: CpuNnMethods = {
  flatIndex(indices, bounds, out, check) {
    const operands = indices.map((v) => ({
      data: data(v) as Int32Array,
      offset: v.offset,
      strides: broadcastStrides(v.shape, v.strides, out.shape),
    }));
    flatIndexKernel(check, operands, bounds, out.shape, i32(out));
  },
  indexSelect(x, outer, size, inner, idx, out) {
    indexSelectKernel(elems(x), outer, size, inner, i32(idx), elems(out));
  },
  indexAdd(g, outer, size, inner, idx, acc) {
    indexAddKernel(elems(g), outer, size, inner, i32(idx), elems(acc));
  },
  gather(x, dim, idx, out) {
    gatherKernel(elems(x), x.shape, dim, i32(idx), idx.shape, elems(out));
  },
  scatterAdd(g, dim, idx, acc) {
    scatterAddKernel(elems(g), acc.shape, dim, i32(idx), idx.shape, elems(acc));
  },
  indexPut(x, rows, values, accumulate) {
    const rowSize = x.shape[1], count = sizeOf(rows.shape);
    // values arrive broadcast to (count, rowSize): one value, one row, or one row per index
    const [s0, s1] = broadcastStrides(values.shape, values.strides, [count, rowSize]);
    const vd = data(values), vo = values.offset;
    let vals: TypedArray;
    if (s0 === 0 && s1 === 0) vals = vd.subarray(vo, vo + 1);
    else if (s0 === 0 && s1 === 1) vals = vd.subarray(vo, vo + rowSize);
    else if (s0 === rowSize && s1 === 1) vals = vd.subarray(vo, vo + count * rowSize);
    else {
      vals = new (vd.constructor as Float32ArrayConstructor)(count * rowSize);
      for (let p = 0; p < count; p++) {
        for (let j = 0; j < rowSize; j++) vals[p * rowSize + j] = vd[vo + p * s0 + j * s1];
      }
    }
    indexPutKernel(elems(x), i32(rows), rowSize, vals, vals.length, accumulate);
  },
  softmax(x, outer, size, inner, log, out) {
    softmaxKernel(f32(x), outer, size, inner, log, out32(out));
  },
  causalSoftmax(x, matrices, rows, cols, scale, out) {
    if (matrices * rows * cols > 0) {
      causalSoftmaxF32(f32(x), matrices, rows, cols, scale, out32(out));
    }
  },
  softmaxBackward(y, g, rows, size, scale, out) {
    softmaxBackwardKernel(f32(y), f32(g), rows, size, scale, out32(out));
  },
  crossEntropy(logits, targets, loss, dlogits, opts) {
    const [n, c] = logits.shape;
    crossEntropyKernel(f32(logits), n, c, i32(targets), opts, f32(loss), f32(dlogits));
  },
  layerNorm(x, weight, bias, eps, y, mean, rstd) {
    const [rows, cols] = x.shape;
    layerNormKernel(
      data(x) as Float32Array,
      x.offset,
      rows,
      cols,
      data(weight) as Float32Array,
      weight.offset,
      data(bias) as Float32Array,
      bias.offset,
      eps,
      out32(y),
      out32(mean),
      out32(rstd),
    );
  },
  layerNormBackward(dy, x, weight, mean, rstd, dx, dweight, dbias) {
    const [rows, cols] = x.shape;
    layerNormBackwardKernel(
      data(dy) as Float32Array,
      dy.offset,
      data(x) as Float32Array,
      x.offset,
      data(weight) as Float32Array,
      weight.offset,
      f32(mean),
      f32(rstd),
      rows,
      cols,
      out32(dx),
      out32(dweight),
      out32(dbias),
    );
  },
  adamw(param, grad, expAvg, expAvgSq, hp) {
    const n = sizeOf(param.shape);
    (adamwSimd && n >= SIMD_MIN ? simdAdamw : adamwKernel)(
      data(param) as Float32Array,
      param.offset,
      data(grad) as Float32Array,
      grad.offset,
      data(expAvg) as Float32Array,
      expAvg.offset,
      data(expAvgSq) as Float32Array,
      expAvgSq.offset,
      n,
      hp,
    );
  },
};
