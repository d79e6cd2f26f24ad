/**
 * Shape arithmetic: sizes, row-major strides, broadcasting, dim normalisation
 * and `-1` inference. Pure functions on `number[]`; they throw the typed errors
 * whose messages name the calling op.
 *
 * @module
 */

import { describe } from "./describe.ts";
import { formatShape, IndexError, ShapeError } from "./errors.ts";

/**
 * The number of elements of a shape (1 for a 0-d shape).
 *
 * @param shape the dims
 * @returns their product
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { sizeOf } from "./shape.ts";
 * equal(sizeOf([2, 3, 4]), 24);
 * equal(sizeOf([]), 1);
 * ```
 */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/**
 * Row-major (C-contiguous) strides of a shape, in elements.
 *
 * @param shape the dims
 * @returns one stride per dim
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { contiguousStrides } from "./shape.ts";
 * deepEqual(contiguousStrides([2, 3, 4]), [12, 4, 1]);
 * ```
 */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Whether `strides` lay `shape` out row-major without gaps (size-1 dims may
 * have any stride).
 *
 * @param shape the dims
 * @param strides the strides
 * @returns true when a flat loop visits the elements in order
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { isContiguous } from "./shape.ts";
 * equal(isContiguous([2, 3], [3, 1]), true);
 * equal(isContiguous([2, 3], [1, 2]), false);
 * ```
 */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== acc) return false;
    acc *= shape[i];
  }
  return true;
}

/**
 * Whether two shapes are equal.
 *
 * @param a first shape
 * @param b second shape
 * @returns true when they have the same dims
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { shapesEqual } from "./shape.ts";
 * equal(shapesEqual([2, 3], [2, 3]), true);
 * ```
 */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The broadcast shape of two shapes (NumPy/PyTorch rules: align right; each
 * pair of dims must be equal or one of them 1).
 *
 * @param op the op name for the error message
 * @param a first shape
 * @param b second shape
 * @returns the broadcast shape
 * @throws {ShapeError} when a pair of dims differs and neither is 1
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { broadcastShapes } from "./shape.ts";
 * deepEqual(broadcastShapes("add", [32, 1, 5], [7, 1]), [32, 7, 5]);
 * ```
 */
export function broadcastShapes(
  op: string,
  a: readonly number[],
  b: readonly number[],
): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(
        `${op}: cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)}`,
      );
    }
  }
  return out;
}

/**
 * Whether shape `from` broadcasts to exactly `to` (NumPy rules, `to` unchanged).
 *
 * @param from the shape broadcast
 * @param to the target shape
 * @returns true when every dim of `from` is 1 or matches `to`, right-aligned
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { broadcastsTo } from "./shape.ts";
 * equal(broadcastsTo([3, 1], [2, 3, 4]), true);
 * equal(broadcastsTo([2, 4], [2, 3, 4]), false);
 * ```
 */
export function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[i + off]);
}

/**
 * Strides that read a tensor of `shape`/`strides` as if broadcast to `target`
 * (stride 0 on broadcast dims). The caller has checked compatibility.
 *
 * @param shape the source dims
 * @param strides the source strides
 * @param target the broadcast dims (at least as many)
 * @returns strides aligned with `target`
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { broadcastStrides } from "./shape.ts";
 * deepEqual(broadcastStrides([3], [1], [2, 3]), [0, 1]);
 * ```
 */
export function broadcastStrides(
  shape: readonly number[],
  strides: readonly number[],
  target: readonly number[],
): number[] {
  const off = target.length - shape.length;
  const out = new Array<number>(target.length);
  for (let i = 0; i < target.length; i++) {
    const j = i - off;
    out[i] = j < 0 || shape[j] === 1 ? 0 : strides[j];
  }
  return out;
}

/**
 * Turns a possibly negative dim into an index in `[0, ndim)`.
 *
 * @param op the op name for the error message
 * @param dim the dim, negative counting from the end
 * @param ndim the number of dims (for `unsqueeze`, pass ndim + 1)
 * @returns the normalised dim
 * @throws {TypeError} when `dim` is not a number
 * @throws {IndexError} when `dim` is not an integer in `[-ndim, ndim)`
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { normalizeDim } from "./shape.ts";
 * equal(normalizeDim("sum", -1, 3), 2);
 * ```
 */
export function normalizeDim(op: string, dim: number, ndim: number): number {
  const lo = -Math.max(ndim, 1), hi = Math.max(ndim, 1) - 1;
  if (typeof dim !== "number") {
    throw new TypeError(`${op}: dim must be an integer, got ${describe(dim)}`);
  }
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new IndexError(
      `${op}: dim ${dim} is out of range for a ${ndim}-d tensor (expected ${lo}..${hi})`,
    );
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/**
 * Normalises a list of dims (or `undefined` for all dims) and checks for
 * repeats. Returns them sorted ascending.
 *
 * @param op the op name for the error message
 * @param dims a dim, a list of dims, or undefined for every dim
 * @param ndim the number of dims
 * @returns sorted, normalised dims
 * @throws {TypeError} when `dims` is not a number, an array or undefined
 * @throws {IndexError} on an out-of-range or repeated dim
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { normalizeDims } from "./shape.ts";
 * deepEqual(normalizeDims("sum", [-1, 0], 3), [0, 2]);
 * deepEqual(normalizeDims("sum", undefined, 2), [0, 1]);
 * ```
 */
export function normalizeDims(
  op: string,
  dims: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof dims !== "number" && !Array.isArray(dims)) {
    throw new TypeError(
      `${op}: dim must be an integer, an array of integers or undefined (all dims), got ${
        describe(dims)
      }`,
    );
  }
  const list = typeof dims === "number" ? [dims] : dims;
  const out = list.map((d) => normalizeDim(op, d, ndim));
  out.sort((x, y) => x - y);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw new IndexError(`${op}: dim ${out[i]} appears more than once`);
  }
  return ndim === 0 ? [] : out;
}

/**
 * Resolves a requested shape with at most one `-1` against an element count.
 *
 * @param op the op name for the error message
 * @param shape the requested dims, one of them possibly -1
 * @param size the element count the shape must hold
 * @param from the source shape, for the error message
 * @returns the concrete shape
 * @throws {ShapeError} on more than one -1, a negative dim, or a size mismatch
 * @throws {TypeError} on a dim that is not a number
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { inferShape } from "./shape.ts";
 * deepEqual(inferShape("view", [-1, 30], 960, [32, 3, 10]), [32, 30]);
 * ```
 */
export function inferShape(
  op: string,
  shape: readonly number[],
  size: number,
  from: readonly number[],
): number[] {
  let infer = -1, known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== "number") {
      throw new TypeError(`${op}: dims must be numbers, got ${describe(d)} at position ${i}`);
    }
    if (d === -1) {
      if (infer >= 0) {
        throw new ShapeError(`${op}: only one dim can be -1, got ${formatShape(shape)}`);
      }
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid dim ${d} in shape ${formatShape(shape)}`);
    } else known *= d;
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(
        `${op}: shape ${formatShape(shape)} is invalid for input of size ${size} (shape ${
          formatShape(from)
        })`,
      );
    }
    out[infer] = size / known;
  } else if (known !== size) {
    throw new ShapeError(
      `${op}: shape ${formatShape(shape)} is invalid for input of size ${size} (shape ${
        formatShape(from)
      })`,
    );
  }
  return out;
}

/**
 * Strides that view a tensor of `shape`/`strides` as `newShape` without
 * copying, or null when the layout does not allow it (PyTorch's rule: each
 * run of dims that is contiguous in memory may be split or merged freely).
 *
 * @param shape the current dims
 * @param strides the current strides
 * @param newShape the requested dims (same element count)
 * @returns the new strides, or null when a copy is needed
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { viewStrides } from "./shape.ts";
 * deepEqual(viewStrides([6, 4], [1, 6], [3, 2, 4]), [2, 1, 6]); // split a transposed dim
 * equal(viewStrides([6, 4], [1, 6], [24]), null); // merging across the transpose needs a copy
 * ```
 */
export function viewStrides(
  shape: readonly number[],
  strides: readonly number[],
  newShape: readonly number[],
): number[] | null {
  if (shape.length === 0) return newShape.map(() => 1);
  if (sizeOf(shape) === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let base = strides[strides.length - 1];
  let tensorNumel = 1, viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d];
    // a chunk ends where the next-outer dim is not laid out right after this one
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * base)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * base;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        base = strides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}
