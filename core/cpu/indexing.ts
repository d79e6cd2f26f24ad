/**
 * CPU kernels of the indexing ops, on contiguous row-major TypedArrays: index checking
 * ({@link flatIndexKernel}), select, gather and their scatter-add backwards, and `indexPut_`.
 *
 * The frontend (`core/ops/indexing.ts`) validates shapes and dtypes; index values are checked
 * here, once, by `flatIndexKernel` (the only kernel that reads untrusted indices); the others
 * assume valid input. Every loop is a plain nested loop over offsets (no per-element closures),
 * with a `set`-based fast path for whole rows.
 *
 * @module
 */

import { type IndexCheck, indexErrorMessage } from "../backend.ts";
import { IndexError } from "../errors.ts";
import { contiguousStrides, isContiguous } from "../shape.ts";

/** A contiguous buffer of any katagrad dtype (bool is stored as Uint8Array). */
export type Buffer = Float32Array | Int32Array | Uint8Array;

/** One index operand: an int32 array read at `offset` with per-dim `strides` (0 = broadcast). */
export interface IndexOperand {
  /** The elements. */
  readonly data: Int32Array;
  /** Index of element (0, …, 0). */
  readonly offset: number;
  /** Per-dim strides over the common shape. */
  readonly strides: readonly number[];
}

/**
 * Checks k broadcast index operands against their dims' bounds and combines them into flat row
 * numbers `((i0·b1 + i1)·b2 + …)`, counting negative indices from the end when `negative`.
 *
 * @param check the op and dims named in the error, and whether `−bound <= i < 0` counts from
 *   the end
 * @param indices k operands over `shape`
 * @param bounds the size of each indexed dim
 * @param shape the common (broadcast) shape
 * @param out the row numbers, row-major over `shape`
 * @throws {IndexError} naming the first index outside its bound, its dim and the bound
 * @example
 * ```ts
 * import { deepEqual, throws } from "node:assert/strict";
 * import { flatIndexKernel } from "./indexing.ts";
 * const out = new Int32Array(2);
 * const i0 = { data: new Int32Array([0, 1]), offset: 0, strides: [1] };
 * const i1 = { data: new Int32Array([2, -1]), offset: 0, strides: [1] };
 * const check = { op: "index", negative: true, dims: [0, 1] };
 * flatIndexKernel(check, [i0, i1], [2, 3], [2], out);
 * deepEqual([...out], [2, 5]);
 * throws(() => flatIndexKernel({ ...check, negative: false }, [i0, i1], [2, 3], [2], out),
 *   /index: index -1 is out of bounds for dim 1 with size 3/);
 * ```
 */
export function flatIndexKernel(
  check: IndexCheck,
  indices: readonly IndexOperand[],
  bounds: readonly number[],
  shape: readonly number[],
  out: Int32Array,
): void {
  const negative = check.negative;
  const rank = shape.length, n = out.length;
  if (indices.length === 1 && isContiguous(shape, indices[0].strides)) {
    // one contiguous index tensor (C[X], indexSelect, gather): a straight loop
    const { data, offset } = indices[0], bound = bounds[0];
    for (let p = 0; p < n; p++) {
      let v = data[offset + p];
      if (v < 0 && negative) v += bound;
      if (!(v >= 0 && v < bound)) {
        const raw = data[offset + p];
        throw new (check.errorClass ?? IndexError)(indexErrorMessage(check, raw, bound, 0));
      }
      out[p] = v;
    }
    return;
  }
  const coord = new Array<number>(rank).fill(0);
  const pos = indices.map((x) => x.offset);
  for (let p = 0; p < n; p++) {
    let row = 0;
    for (let d = 0; d < indices.length; d++) {
      const bound = bounds[d];
      let v = indices[d].data[pos[d]];
      if (v < 0 && negative) v += bound;
      if (!(v >= 0 && v < bound)) {
        const raw = indices[d].data[pos[d]];
        throw new (check.errorClass ?? IndexError)(indexErrorMessage(check, raw, bound, d));
      }
      row = row * bound + v;
    }
    out[p] = row;
    for (let d = rank - 1; d >= 0; d--) {
      coord[d]++;
      for (let j = 0; j < pos.length; j++) pos[j] += indices[j].strides[d];
      if (coord[d] < shape[d]) break;
      for (let j = 0; j < pos.length; j++) pos[j] -= indices[j].strides[d] * shape[d];
      coord[d] = 0;
    }
  }
}

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
 * import { indexSelectKernel } from "./indexing.ts";
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
 * import { indexAddKernel } from "./indexing.ts";
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
  const sst = contiguousStrides(srcShape);
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
 * import { gatherKernel } from "./indexing.ts";
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
 * import { scatterAddKernel } from "./indexing.ts";
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
 * import { indexPutKernel } from "./indexing.ts";
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
