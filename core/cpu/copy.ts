/**
 * The CPU backend's strided copy (`unary("copy", x, out)`), the kernel behind `contiguous`,
 * `clone`, `copy_` and the head split and merge of attention. Three shapes of work, after the
 * dims are collapsed as far as both operands' strides allow:
 *
 * - both dense: one `TypedArray.set` (a memcpy);
 * - rows contiguous in both: one `set` per long row, a loop per short one;
 * - a transpose (the source's innermost stride is not 1 but another dim's is): tiles of 16
 *   source-contiguous elements by the whole inner dim, so reads and writes both stay in a few
 *   cache lines.
 *
 * The element loops are compiled once per array type, so each stays monomorphic (a loop shared
 * by Float32Array, Int32Array and Uint8Array runs several times slower).
 *
 * @module
 */

import type { StridedView } from "../backend.ts";
import type { TypedArray } from "../dtype.ts";
import { sizeOf } from "../shape.ts";
import { collapse, forEachRow } from "./strided_rows.ts";

/** `o[oo + i·so] = x[xo + i·sx]` for i < n. */
type RowCopy = (
  x: TypedArray,
  xo: number,
  sx: number,
  o: TypedArray,
  oo: number,
  so: number,
  n: number,
) => void;

/**
 * `o[oo + i·so + j] = x[xo + i + j·sx]` for i < rows, j < cols: a transposed block, walked in
 * tiles of 16 source-contiguous elements.
 */
type BlockCopy = (
  x: TypedArray,
  xo: number,
  sx: number,
  o: TypedArray,
  oo: number,
  so: number,
  rows: number,
  cols: number,
) => void;

const ROW_SOURCE = `return function rowCopy(x, xo, sx, o, oo, so, n) {
  if (sx === 1 && so === 1) for (let i = 0; i < n; i++) o[oo + i] = x[xo + i];
  else for (let i = 0; i < n; i++) o[oo + i * so] = x[xo + i * sx];
};`;

const BLOCK_SOURCE = `return function blockCopy(x, xo, sx, o, oo, so, rows, cols) {
  for (let i0 = 0; i0 < rows; i0 += 16) {
    const i1 = Math.min(rows, i0 + 16);
    for (let j = 0; j < cols; j++) {
      const xj = xo + j * sx, oj = oo + j;
      for (let i = i0; i < i1; i++) o[oj + i * so] = x[xj + i];
    }
  }
};`;

interface Loops {
  row: RowCopy;
  block: BlockCopy;
}

const compile = (): Loops => ({
  row: new Function(ROW_SOURCE)() as RowCopy,
  block: new Function(BLOCK_SOURCE)() as BlockCopy,
});

/** One pair of loops per array type. */
const LOOPS = new Map<unknown, Loops>([
  [Float32Array, compile()],
  [Int32Array, compile()],
  [Uint8Array, compile()],
]);

/** Rows at least this long are copied with `set` (a call costs about as much as 64 elements). */
const SET_MIN = 64;

/** Calls `f(xo, oo)` at the start of every index of `dims` (row-major), with both offsets. */
function forEachIndex(
  dims: readonly number[],
  xs: readonly number[],
  os: readonly number[],
  xo: number,
  oo: number,
  f: (xo: number, oo: number) => void,
): void {
  // rows of one element over dims
  forEachRow([...dims, 1], [[...xs, 0], [...os, 0]], [xo, oo], (o) => f(o[0], o[1]));
}

/**
 * Copies the elements of view `x` into view `out` (same shape and array type), any strides.
 *
 * @param x the source view
 * @param xd its storage's elements
 * @param out the destination view
 * @param od its storage's elements
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { copyView } from "./copy.ts";
 * // the transpose of a 2 x 3 matrix, written contiguous
 * const x = new Float32Array([1, 2, 3, 4, 5, 6]), o = new Float32Array(6);
 * copyView({ shape: [3, 2], strides: [1, 3], offset: 0 }, x, { shape: [3, 2], strides: [2, 1], offset: 0 }, o);
 * deepEqual(Array.from(o), [1, 4, 2, 5, 3, 6]);
 * ```
 */
export function copyView(
  x: Pick<StridedView, "shape" | "strides" | "offset">,
  xd: TypedArray,
  out: Pick<StridedView, "shape" | "strides" | "offset">,
  od: TypedArray,
): void {
  const n = sizeOf(out.shape);
  if (n === 0) return;
  const { shape: dims, strides: [xs, os] } = collapse(out.shape, [x.strides, out.strides]);
  const last = dims.length - 1, inner = dims[last];
  const loops = LOOPS.get(od.constructor) ?? compile();
  if (last === 0 && xs[0] === 1 && os[0] === 1) {
    od.set(xd.subarray(x.offset, x.offset + n), out.offset);
    return;
  }
  const sxi = xs[last], soi = os[last];
  if (sxi !== 1 && soi === 1 && last > 0) {
    // a transpose: read along the dim whose source stride is 1, if there is one
    const p = xs.indexOf(1);
    if (p >= 0 && p < last) {
      const rest = dims.map((_, d) => d).filter((d) => d !== p && d !== last);
      forEachIndex(
        rest.map((d) => dims[d]),
        rest.map((d) => xs[d]),
        rest.map((d) => os[d]),
        x.offset,
        out.offset,
        (xo, oo) => loops.block(xd, xo, sxi, od, oo, os[p], dims[p], inner),
      );
      return;
    }
  }
  const outer = dims.slice(0, last), oxs = xs.slice(0, last), oos = os.slice(0, last);
  if (sxi === 1 && soi === 1 && inner >= SET_MIN) {
    forEachIndex(outer, oxs, oos, x.offset, out.offset, (xo, oo) => {
      od.set(xd.subarray(xo, xo + inner), oo);
    });
    return;
  }
  forEachIndex(outer, oxs, oos, x.offset, out.offset, (xo, oo) => {
    loops.row(xd, xo, sxi, od, oo, soi, inner);
  });
}
