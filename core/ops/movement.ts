/**
 * Shape and view ops: reshape/view, permute/transpose, expand, squeeze/
 * unsqueeze, flatten, slice, split/chunk (views sharing storage), and the
 * copying ops contiguous, cat and stack.
 *
 * @module
 */

import { type BackwardRule, needsGrad, noGrad, record } from "../autograd.ts";
import { formatShape, IndexError, ShapeError } from "../errors.ts";
import {
  contiguousStrides,
  inferShape,
  normalizeDim,
  shapesEqual,
  sizeOf,
  viewStrides,
} from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { zeros } from "./creation.ts";
import type { ViewOp } from "./op_names.ts";
import { checkNumber, checkNumbers, describe } from "../validate.ts";

export { cat, contiguous, stack } from "./join.ts";

const SIZE_RULE = { integer: true, min: -1 };

function view(
  x: Tensor,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Tensor {
  return new Tensor(x.storage, shape, strides, offset);
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
  if (!Array.isArray(shape)) {
    throw new TypeError(`${op}: shape must be an array of dims, got ${describe(shape)}`);
  }
  const s = inferShape(op, shape, x.size, x.shape);
  const st = x.isContiguous() ? contiguousStrides(s) : viewStrides(x.shape, x.strides, s);
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
  if (!Array.isArray(dims)) {
    throw new TypeError(`permute: dims must be an array of dims, got ${describe(dims)}`);
  }
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
 * Drops a size-1 dim, or every size-1 dim when `dim` is omitted (a view).
 *
 * @param x the tensor
 * @param dim the dim to drop; unchanged when its size is not 1
 * @returns the squeezed view
 */
export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined) return reshape(x, x.shape.filter((d) => d !== 1), "squeeze");
  const d = normalizeDim("squeeze", dim, x.ndim);
  if (x.ndim === 0 || x.shape[d] !== 1) return x;
  return reshape(x, x.shape.filter((_, i) => i !== d), "squeeze");
}

/**
 * Inserts a size-1 dim at `dim` (a view).
 *
 * @param x the tensor
 * @param dim the new dim's position (−1 appends)
 * @returns the view
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim("unsqueeze", dim, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return reshape(x, shape, "unsqueeze");
}

/**
 * Merges dims `start..end` into one (a view when the layout allows).
 *
 * @param x the tensor
 * @param start the first dim merged
 * @param end the last dim merged
 * @returns the flattened tensor (a 0-d tensor becomes shape (1))
 */
export function flatten(x: Tensor, start = 0, end = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1], "flatten");
  const a = normalizeDim("flatten", start, x.ndim), b = normalizeDim("flatten", end, x.ndim);
  if (a > b) return reshape(x, x.shape, "flatten");
  const merged = [...x.shape.slice(0, a), sizeOf(x.shape.slice(a, b + 1)), ...x.shape.slice(b + 1)];
  return reshape(x, merged, "flatten");
}

/**
 * The transpose of a tensor of at most 2 dims, like PyTorch's `.t()` (a view).
 *
 * @param x the tensor
 * @returns the transpose (x itself below 2 dims)
 * @throws {ShapeError} for more than 2 dims
 */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) {
    throw new ShapeError(
      `t: expects a tensor with <= 2 dims, got shape ${
        formatShape(x.shape)
      }; use mT or transpose()`,
    );
  }
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/**
 * The last two dims swapped, like PyTorch's `.mT` (a view).
 *
 * @param x the tensor, at least 2-d
 * @returns the view
 * @throws {ShapeError} for fewer than 2 dims
 */
export function mT(x: Tensor): Tensor {
  if (x.ndim < 2) {
    throw new ShapeError(`mT: expects at least 2 dims, got shape ${formatShape(x.shape)}`);
  }
  return transpose(x, -2, -1);
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
  checkNumbers("expand", "sizes", sizes, SIZE_RULE);
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
 * @param start first index (default 0; null or undefined for the default)
 * @param stop exclusive end (default the dim's size; null or undefined for the default)
 * @param step stride (> 0, default 1)
 * @returns the sliced view
 * @throws {IndexError} on a bad dim
 * @throws {TypeError} when start, stop or step is not a number
 * @throws {RangeError} on a fractional start, stop or step, or a step <= 0
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { arange } from "./creation.ts";
 * import { slice } from "./movement.ts";
 * deepEqual(slice(arange(10), 0, -4, undefined, 2).toArraySync(), [6, 8]);
 * ```
 */
export function slice(
  x: Tensor,
  dim: number,
  start?: number | null,
  stop?: number | null,
  step = 1,
): Tensor {
  const d = normalizeDim("slice", dim, x.ndim);
  if (start != null) checkNumber("slice", "start", start, { integer: true });
  if (stop != null) checkNumber("slice", "stop", stop, { integer: true });
  checkNumber("slice", "step", step, { integer: true, min: 1 });
  const n = x.shape[d];
  const clip = (v: number) => Math.min(n, Math.max(0, v < 0 ? v + n : v));
  const s = start == null ? 0 : clip(start);
  const e = stop == null ? n : clip(stop);
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
 * @throws {TypeError} when sizes is not a number or an array of numbers
 * @throws {RangeError} on a size that is not a positive integer (>= 0 in a list)
 */
export function split(x: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim("split", dim, x.ndim);
  const n = x.shape[d];
  let list: number[];
  if (typeof sizes === "number") {
    checkNumber("split", "size", sizes, { integer: true, min: 1 });
    list = [];
    for (let i = 0; i < n; i += sizes) list.push(Math.min(sizes, n - i));
    if (n === 0) list.push(0);
  } else {
    if (!Array.isArray(sizes)) {
      throw new TypeError(
        `split: sizes must be a piece size or an array of sizes, got ${describe(sizes)}`,
      );
    }
    list = checkNumbers("split", "sizes", sizes, { integer: true, min: 0 }).slice();
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
 * @throws {TypeError} when chunks is not a number
 * @throws {RangeError} on chunks that is not an integer >= 1
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkNumber("chunk", "chunks", chunks, { integer: true, min: 1 });
  const d = normalizeDim("chunk", dim, x.ndim);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/** Backward rules of the view ops (cat/contiguous are in join.ts). */
export const movementRules: { [K in ViewOp]: BackwardRule } = {
  reshape: (g, n) => [g.reshape(n.args.shape!)],
  permute: (g, n) => {
    const p = n.args.dims!;
    const inv = new Array<number>(p.length);
    for (let i = 0; i < p.length; i++) inv[p[i]] = i;
    return [g.permute(inv)];
  },
  expand: (g) => [g], // the engine sums the expanded dims back down
  slice: (g, n) => {
    const x = n.inputs[0];
    const out = zeros(x.shape, { device: x.device });
    const { dim, start, step } = n.args;
    noGrad(() => out.sliceRaw(dim!, start!, g.shape[dim!], step).copy_(g));
    return [out];
  },
};
