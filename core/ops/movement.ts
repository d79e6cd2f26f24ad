/**
 * Shape and view ops: reshape/view, permute/transpose, expand, squeeze/
 * unsqueeze, flatten, slice, split/chunk (views sharing storage), and the
 * copying ops contiguous, cat and stack.
 *
 * @module
 */

import {
  type BackwardRule,
  isGradEnabled,
  needsGrad,
  noGrad,
  record,
  unbroadcast,
} from "../autograd.ts";
import { promoteTypes } from "../dtype.ts";
import { DTypeError, formatShape, IndexError, ShapeError } from "../errors.ts";
import { contiguousStrides, inferShape, normalizeDim, shapesEqual } from "../shape.ts";
import { backendFor, Tensor } from "../tensor.ts";
import { empty, zeros } from "./creation.ts";
import type { MovementOp } from "./op_names.ts";

function view(
  x: Tensor,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Tensor {
  return new Tensor(x.storage, shape, strides, offset);
}

/**
 * Strides for viewing `x` as `shape` without copying, or null when its
 * layout does not allow it.
 */
function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  if (x.isContiguous()) return contiguousStrides(shape);
  // Non-contiguous: only dims of size 1 may be added or removed.
  const src = x.shape.map((d, i) => [d, x.strides[i]]).filter(([d]) => d !== 1);
  const dst = shape.filter((d) => d !== 1);
  if (!shapesEqual(src.map(([d]) => d), dst)) return null;
  let k = 0;
  return shape.map((d) => (d === 1 ? 1 : src[k++][1]));
}

/**
 * `x` with a new shape (one dim may be -1); a view when the layout allows,
 * else a copy.
 *
 * @param x input
 * @param shape the new dims
 * @returns the reshaped tensor
 * @throws {ShapeError} when the element count differs
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { arange } from "./creation.ts";
 * import { reshape } from "./movement.ts";
 * deepEqual(reshape(arange(6), [-1, 3]).toArraySync(), [[0, 1, 2], [3, 4, 5]]);
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[], op = "reshape"): Tensor {
  const s = inferShape(op, shape, x.size, x.shape);
  const st = viewStrides(x, s);
  let out: Tensor;
  if (st !== null) out = view(x, s, st, x.offset);
  else if (op === "view") {
    throw new ShapeError(
      `view: cannot view a non-contiguous tensor of shape ${formatShape(x.shape)} as ${
        formatShape(s)
      }; use reshape() (it copies)`,
    );
  } else out = x.contiguousRaw().viewRaw(s);
  if (needsGrad(x)) record(out, "reshape", [x], [], { shape: x.shape });
  return out;
}

/**
 * Reorders dims (a view).
 *
 * @param x input
 * @param dims a permutation of 0..ndim-1 (negatives allowed)
 * @returns the permuted view
 * @throws {IndexError} when `dims` is not a permutation
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { zeros } from "./creation.ts";
 * import { permute } from "./movement.ts";
 * deepEqual(permute(zeros([2, 3, 4]), [2, 0, 1]).shape, [4, 2, 3]);
 * ```
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new IndexError(
      `permute: expected ${x.ndim} dims for shape ${formatShape(x.shape)}, got [${
        dims.join(", ")
      }]`,
    );
  }
  const p = dims.map((d) => normalizeDim("permute", d, x.ndim));
  if (new Set(p).size !== p.length) {
    throw new IndexError(`permute: dims [${dims.join(", ")}] repeat a dim`);
  }
  const out = view(x, p.map((d) => x.shape[d]), p.map((d) => x.strides[d]), x.offset);
  if (needsGrad(x)) record(out, "permute", [x], [], { dims: p });
  return out;
}

/**
 * Swaps two dims (a view).
 *
 * @param x input
 * @param d0 first dim
 * @param d1 second dim
 * @returns the transposed view
 * @throws {IndexError} on a bad dim
 */
export function transpose(x: Tensor, d0: number, d1: number): Tensor {
  if (x.ndim === 0) return permute(x, []);
  const a = normalizeDim("transpose", d0, x.ndim), b = normalizeDim("transpose", d1, x.ndim);
  const p = x.shape.map((_, i) => i);
  p[a] = b;
  p[b] = a;
  return permute(x, p);
}

/**
 * Broadcasts size-1 dims to larger sizes without copying (-1 keeps a dim).
 *
 * @param x input
 * @param sizes the target dims (at least x.ndim)
 * @returns the expanded view (stride 0 on broadcast dims)
 * @throws {ShapeError} when a non-1 dim would change
 */
export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  const lead = sizes.length - x.ndim;
  if (lead < 0) {
    throw new ShapeError(
      `expand: cannot expand shape ${formatShape(x.shape)} to fewer dims ${formatShape(sizes)}`,
    );
  }
  const shape: number[] = [], strides: number[] = [];
  for (let i = 0; i < sizes.length; i++) {
    const src = i - lead;
    let size = sizes[i];
    if (src >= 0 && size === -1) size = x.shape[src];
    if (src < 0 || x.shape[src] === 1) {
      if (!Number.isInteger(size) || size < 0) {
        throw new ShapeError(`expand: invalid size ${sizes[i]} in ${formatShape(sizes)}`);
      }
      shape.push(size);
      strides.push(src >= 0 && size === 1 ? x.strides[src] : 0);
    } else if (size === x.shape[src]) {
      shape.push(size);
      strides.push(x.strides[src]);
    } else {
      throw new ShapeError(
        `expand: cannot expand shape ${formatShape(x.shape)} to ${
          formatShape(sizes)
        }: dim ${i} is ${x.shape[src]}, not 1`,
      );
    }
  }
  if (shapesEqual(shape, x.shape)) return x;
  const out = view(x, shape, strides, x.offset);
  if (needsGrad(x)) record(out, "expand", [x], [], { shape: x.shape });
  return out;
}

/**
 * Elements `start, start+step, ...` before `stop` along `dim` (a view).
 * Negative start/stop count from the end; bounds are clipped like Python's.
 *
 * @param x input
 * @param dim the dim
 * @param start first index (default 0)
 * @param stop exclusive end (default the dim's size)
 * @param step stride (> 0, default 1)
 * @returns the sliced view
 * @throws {IndexError} on a bad dim
 * @throws {RangeError} on a step <= 0
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { arange } from "./creation.ts";
 * import { slice } from "./movement.ts";
 * deepEqual(slice(arange(10), 0, -4, undefined, 2).toArraySync(), [6, 8]);
 * ```
 */
export function slice(x: Tensor, dim: number, start?: number, stop?: number, step = 1): Tensor {
  const d = normalizeDim("slice", dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) {
    throw new RangeError(`Cannot slice: step must be a positive integer, got ${step}`);
  }
  const n = x.shape[d];
  const clip = (v: number) => Math.min(n, Math.max(0, v < 0 ? v + n : v));
  const s = start === undefined ? 0 : clip(start);
  const e = stop === undefined ? n : clip(stop);
  const len = e > s ? Math.ceil((e - s) / step) : 0;
  const shape = x.shape.slice(), strides = x.strides.slice();
  shape[d] = len;
  strides[d] = x.strides[d] * step;
  const out = view(x, shape, strides, x.offset + (len > 0 ? s * x.strides[d] : 0));
  if (needsGrad(x)) record(out, "slice", [x], [], { dim: d, start: s, step });
  return out;
}

/**
 * Splits along `dim` into pieces of `size` (the last may be smaller) or of
 * the listed sizes (views).
 *
 * @param x input
 * @param sizes a piece size, or a list of sizes summing to the dim
 * @param dim the dim (default 0)
 * @returns the pieces
 * @throws {ShapeError} when listed sizes do not sum to the dim's size
 */
export function split(x: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim("split", dim, x.ndim);
  const n = x.shape[d];
  let list: number[];
  if (typeof sizes === "number") {
    if (!Number.isInteger(sizes) || sizes <= 0) {
      throw new RangeError(`Cannot split: size must be a positive integer, got ${sizes}`);
    }
    list = [];
    for (let i = 0; i < n; i += sizes) list.push(Math.min(sizes, n - i));
    if (n === 0) list.push(0);
  } else {
    list = Array.from(sizes);
    const total = list.reduce((a, b) => a + b, 0);
    if (total !== n) {
      throw new ShapeError(
        `split: sizes [${list.join(", ")}] sum to ${total}, but dim ${d} has size ${n}`,
      );
    }
  }
  const out: Tensor[] = [];
  let at = 0;
  for (const len of list) {
    out.push(slice(x, d, at, at + len));
    at += len;
  }
  return out;
}

/**
 * Splits into `chunks` pieces of size ceil(n / chunks) (fewer when uneven).
 *
 * @param x input
 * @param chunks the number of chunks (> 0)
 * @param dim the dim (default 0)
 * @returns the pieces
 * @throws {RangeError} on chunks <= 0
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) {
    throw new RangeError(`Cannot chunk: chunks must be a positive integer, got ${chunks}`);
  }
  const d = normalizeDim("chunk", dim, x.ndim);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/**
 * A contiguous copy when `x` is not contiguous; `x` itself otherwise.
 *
 * @param x input
 * @returns a row-major tensor with the same values
 */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  const out = x.contiguousRaw();
  if (needsGrad(x)) record(out, "contiguous", [x], [], {});
  return out;
}

/**
 * Joins tensors along an existing dim. Dtypes promote; other dims must match.
 *
 * @param tensors the tensors (at least one)
 * @param dim the dim (default 0)
 * @returns the concatenation
 * @throws {ShapeError} on mismatched shapes
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { cat } from "./movement.ts";
 * deepEqual(cat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]).toArraySync(), [[1, 2], [3, 4], [5, 6]]);
 * ```
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError("cat: expected a non-empty list of tensors");
  const first = tensors[0];
  const d = normalizeDim("cat", dim, first.ndim);
  let dtype = first.dtype, total = 0;
  for (const [i, t] of tensors.entries()) {
    const ok = t.ndim === first.ndim && t.shape.every((s, j) => j === d || s === first.shape[j]);
    if (!ok) {
      throw new ShapeError(
        `cat: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has ${
          formatShape(first.shape)
        }; shapes must match except in dim ${d}`,
      );
    }
    if (t.device !== first.device) {
      throw new DTypeError(`cat: tensor ${i} is on ${t.device}, tensor 0 on ${first.device}`);
    }
    dtype = promoteTypes(dtype, t.dtype);
    total += t.shape[d];
  }
  const shape = first.shape.slice();
  shape[d] = total;
  const out = empty(shape, dtype, first.device);
  const be = backendFor(first.device);
  let at = 0;
  for (const t of tensors) {
    const dst = out.sliceRaw(d, at, t.shape[d]);
    be.unary(t.dtype !== dtype && dtype === "bool" ? "toBool" : "copy", t, dst);
    at += t.shape[d];
  }
  if (isGradEnabled() && tensors.some((t) => t.requiresGrad)) {
    record(out, "cat", tensors.slice(), [], { dim: d, sizes: tensors.map((t) => t.shape[d]) });
  }
  return out;
}

/**
 * Joins tensors of equal shape along a new dim.
 *
 * @param tensors the tensors (at least one)
 * @param dim where the new dim goes (default 0)
 * @returns the stacked tensor
 * @throws {ShapeError} when shapes differ
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError("stack: expected a non-empty list of tensors");
  const s0 = tensors[0].shape;
  for (const [i, t] of tensors.entries()) {
    if (!shapesEqual(t.shape, s0)) {
      throw new ShapeError(
        `stack: tensor ${i} has shape ${formatShape(t.shape)}, tensor 0 has ${formatShape(s0)}`,
      );
    }
  }
  const d = normalizeDim("stack", dim, s0.length + 1);
  return cat(tensors.map((t) => t.unsqueeze(d)), d);
}

/** Backward rules of the movement ops. */
export const movementRules: { [K in MovementOp]: BackwardRule } = {
  reshape: (g, n) => [g.reshape(n.args.shape!)],
  permute: (g, n) => {
    const p = n.args.dims!;
    const inv = new Array<number>(p.length);
    for (let i = 0; i < p.length; i++) inv[p[i]] = i;
    return [g.permute(inv)];
  },
  expand: (g, n) => [unbroadcast(g, n.args.shape!)],
  slice: (g, n) => {
    const x = n.inputs[0];
    const out = zeros(x.shape, { device: x.device });
    const { dim, start, step } = n.args;
    noGrad(() => out.sliceRaw(dim!, start!, g.shape[dim!], step).copy_(g));
    return [out];
  },
  contiguous: (g) => [g],
  cat: (g, n) => {
    const d = n.args.dim!;
    let at = 0;
    return n.args.sizes!.map((len) => {
      const piece = g.sliceRaw(d, at, len);
      at += len;
      return piece;
    });
  },
};
