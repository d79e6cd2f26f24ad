/**
 * CPU kernels of the indexing ops, on contiguous row-major TypedArrays.
 *
 * The frontend (`indexing.ts`) validates shapes, dtypes and index ranges and wraps negative
 * indices before calling these; the kernels assume valid input. Every loop is a plain nested
 * loop over offsets (no per-element closures), with a `copyWithin`-style fast path for whole rows.
 *
 * @module
 */

/** A contiguous buffer of any katagrad dtype (bool is stored as Uint8Array). */
export type Buffer = Float32Array | Int32Array | Uint8Array;

/**
 * Index select along a dim of a contiguous tensor seen as (outer, size, inner):
 * `out[o, i, n] = src[o, idx[i], n]`, `out` is (outer, idx.length, inner).
 *
 * @param src the source values
 * @param outer product of the dims before `dim`
 * @param size the length of `dim` in `src`
 * @param inner product of the dims after `dim`
 * @param idx indices in `[0, size)`
 * @param out the destination, `outer * idx.length * inner` long
 * @returns nothing; `out` is filled
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { indexSelectKernel } from "./indexing_kernels.ts";
 * const out = new Float32Array(4);
 * indexSelectKernel(new Float32Array([1, 2, 3, 4, 5, 6]), 1, 3, 2, new Int32Array([2, 0]), out);
 * deepEqual([...out], [5, 6, 1, 2]);
 * ```
 */
export function indexSelectKernel(
  src: Buffer,
  outer: number,
  size: number,
  inner: number,
  idx: Int32Array,
  out: Buffer,
): void {
  const n = idx.length;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const sBase = o * size, oBase = o * n;
      for (let i = 0; i < n; i++) out[oBase + i] = src[sBase + idx[i]];
    }
    return;
  }
  if (inner >= 64) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const s = (o * size + idx[i]) * inner;
        out.set(src.subarray(s, s + inner), (o * n + i) * inner);
      }
    }
    return;
  }
  // Short rows (embedding tables): a plain loop beats creating a subarray per row.
  let d = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const s = (o * size + idx[i]) * inner;
      for (let j = 0; j < inner; j++) out[d++] = src[s + j];
    }
  }
}

/**
 * The adjoint of {@link indexSelectKernel}: `acc[o, idx[i], n] += grad[o, i, n]` (repeated
 * indices accumulate).
 *
 * @param grad values shaped (outer, idx.length, inner)
 * @param outer product of the dims before `dim`
 * @param size the length of `dim` in `acc`
 * @param inner product of the dims after `dim`
 * @param idx indices in `[0, size)`
 * @param acc the accumulator, (outer, size, inner), added into
 * @returns nothing; `acc` is updated
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { indexAddKernel } from "./indexing_kernels.ts";
 * const acc = new Float32Array(3);
 * indexAddKernel(new Float32Array([1, 2, 3]), 1, 3, 1, new Int32Array([2, 0, 2]), acc);
 * deepEqual([...acc], [2, 0, 4]);
 * ```
 */
export function indexAddKernel(
  grad: Buffer,
  outer: number,
  size: number,
  inner: number,
  idx: Int32Array,
  acc: Buffer,
): void {
  const n = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const d = (o * size + idx[i]) * inner;
      const s = (o * n + i) * inner;
      for (let j = 0; j < inner; j++) acc[d + j] += grad[s + j];
    }
  }
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    st[d] = s;
    s *= shape[d];
  }
  return st;
}

/**
 * Walks every position of `idxShape` and calls nothing: returns, for each element of the
 * index tensor, the offset in a `srcShape` tensor with the `dim` coordinate replaced by the
 * index value. Shared by gather (read) and scatter-add (write).
 */
function gatherOffsets(
  srcShape: readonly number[],
  dim: number,
  idx: Int32Array,
  idxShape: readonly number[],
): Int32Array {
  const rank = idxShape.length;
  const sst = stridesOf(srcShape);
  const offs = new Int32Array(idx.length);
  const coord = new Array<number>(rank).fill(0);
  let base = 0; // offset in src of coord with coord[dim] treated as 0
  for (let p = 0; p < idx.length; p++) {
    offs[p] = base + idx[p] * sst[dim];
    for (let d = rank - 1; d >= 0; d--) {
      coord[d]++;
      if (d !== dim) base += sst[d];
      if (coord[d] < idxShape[d]) break;
      if (d !== dim) base -= sst[d] * idxShape[d];
      coord[d] = 0;
    }
  }
  return offs;
}

/**
 * Gather along `dim`: `out[..., j, ...] = src[..., idx[..., j, ...], ...]` (torch.gather).
 *
 * @param src contiguous source values of shape `srcShape`
 * @param srcShape the source shape
 * @param dim the gathered dim (non-negative)
 * @param idx contiguous indices of shape `idxShape`, each in `[0, srcShape[dim])`
 * @param idxShape the index (and output) shape, of the same rank, no larger than `srcShape`
 * @param out the destination, `idx.length` long
 * @returns nothing; `out` is filled
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { gatherKernel } from "./indexing_kernels.ts";
 * const out = new Float32Array(2);
 * gatherKernel(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], 1, new Int32Array([2, 0]), [2, 1], out);
 * deepEqual([...out], [3, 4]);
 * ```
 */
export function gatherKernel(
  src: Buffer,
  srcShape: readonly number[],
  dim: number,
  idx: Int32Array,
  idxShape: readonly number[],
  out: Buffer,
): void {
  const offs = gatherOffsets(srcShape, dim, idx, idxShape);
  for (let p = 0; p < offs.length; p++) out[p] = src[offs[p]];
}

/**
 * The adjoint of {@link gatherKernel}: `acc[..., idx[..., j, ...], ...] += grad[..., j, ...]`
 * (torch.scatter_add_).
 *
 * @param grad values of shape `idxShape`
 * @param srcShape the accumulator's shape
 * @param dim the scattered dim (non-negative)
 * @param idx indices of shape `idxShape`
 * @param idxShape the index shape
 * @param acc the accumulator of shape `srcShape`, added into
 * @returns nothing; `acc` is updated
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { scatterAddKernel } from "./indexing_kernels.ts";
 * const acc = new Float32Array(3);
 * scatterAddKernel(new Float32Array([1, 2]), [1, 3], 1, new Int32Array([2, 2]), [1, 2], acc);
 * deepEqual([...acc], [0, 0, 3]);
 * ```
 */
export function scatterAddKernel(
  grad: Buffer,
  srcShape: readonly number[],
  dim: number,
  idx: Int32Array,
  idxShape: readonly number[],
  acc: Buffer,
): void {
  const offs = gatherOffsets(srcShape, dim, idx, idxShape);
  for (let p = 0; p < offs.length; p++) acc[offs[p]] += grad[p];
}

/**
 * Keeps the lower (`tril`) or upper (`triu`) triangle of each (rows x cols) matrix and zeroes
 * the rest; element (i, j) is kept by tril when `j - i <= diagonal`, by triu when `j - i >=
 * diagonal`.
 *
 * @param src contiguous (batch, rows, cols) values
 * @param batch number of matrices
 * @param rows rows per matrix
 * @param cols columns per matrix
 * @param diagonal the diagonal offset
 * @param lower true for tril, false for triu
 * @param out the destination, same length as `src`
 * @returns nothing; `out` is filled
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { triangleKernel } from "./indexing_kernels.ts";
 * const out = new Float32Array(4);
 * triangleKernel(new Float32Array([1, 2, 3, 4]), 1, 2, 2, 0, true, out);
 * deepEqual([...out], [1, 0, 3, 4]);
 * ```
 */
export function triangleKernel(
  src: Buffer,
  batch: number,
  rows: number,
  cols: number,
  diagonal: number,
  lower: boolean,
  out: Buffer,
): void {
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows; i++) {
      const row = (b * rows + i) * cols;
      // tril keeps j <= i + diagonal; triu keeps j >= i + diagonal.
      const cut = Math.min(cols, Math.max(0, lower ? i + diagonal + 1 : i + diagonal));
      for (let j = 0; j < cols; j++) {
        out[row + j] = (j < cut) === lower ? src[row + j] : 0;
      }
    }
  }
}

/**
 * Writes or adds `values` into rows of `target` (torch `index_put_`, i.e. `N[ix1, ix2] = v`
 * or `N[ix1, ix2] += v`): the target is seen as (rows, rowSize) and `rows[p]` names the row
 * of point p.
 *
 * @param target contiguous values, updated in place
 * @param rows the row of each point (validated)
 * @param rowSize elements per row (product of the dims not indexed)
 * @param values one value (broadcast), one row (broadcast over points), or one row per point
 * @param valuesLength the length of `values` used: 1, rowSize or rows.length * rowSize
 * @param accumulate add (repeats add up) instead of assigning (the last repeat wins)
 * @returns nothing; `target` is updated
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { indexPutKernel } from "./indexing_kernels.ts";
 * const N = new Int32Array(4);
 * indexPutKernel(N, new Int32Array([1, 2, 1]), 1, new Int32Array([1]), 1, true);
 * deepEqual([...N], [0, 2, 1, 0]);
 * ```
 */
export function indexPutKernel(
  target: Buffer,
  rows: Int32Array,
  rowSize: number,
  values: Buffer,
  valuesLength: number,
  accumulate: boolean,
): void {
  const count = rows.length;
  const perPoint = valuesLength === count * rowSize && valuesLength !== rowSize ? rowSize : 0;
  if (valuesLength === 1 && rowSize === 1) {
    const v = values[0];
    if (accumulate) { for (let p = 0; p < count; p++) target[rows[p]] += v; }
    else for (let p = 0; p < count; p++) target[rows[p]] = v;
    return;
  }
  for (let p = 0; p < count; p++) {
    const off = rows[p] * rowSize;
    const vBase = p * perPoint;
    for (let j = 0; j < rowSize; j++) {
      const v = valuesLength === 1 ? values[0] : values[vBase + j];
      if (accumulate) target[off + j] += v;
      else target[off + j] = v;
    }
  }
}
