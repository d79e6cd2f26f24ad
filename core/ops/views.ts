/**
 * Picking and re-laying along dims, as PyTorch spells them: `select` (`emb[:, 0, :]`),
 * `narrow` and `unbind` (views sharing storage, built on `slice`), `flip` (a copy, as in
 * PyTorch: an index-select with a reversed index) and `repeat` (a tiled copy: expand, then
 * reshape). All compositions of existing ops, so their gradients and GPU support come free.
 *
 * @module
 */

import { formatShape, IndexError, ShapeError } from "../errors.ts";
import { normalizeDim, normalizeDims } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkNumber, checkTensor, describe } from "../validate.ts";
import { arange } from "./creation.ts";
import { indexSelect } from "./indexing.ts";
import { expand, reshape, slice, squeeze } from "./movement.ts";

function checkedDim(op: string, x: Tensor, dim: unknown): number {
  checkNumber(op, "dim", dim, { integer: true });
  if (x.ndim === 0) {
    throw new IndexError(`${op}: cannot pick along a dim of a 0-d tensor; reshape it first`);
  }
  return normalizeDim(op, dim as number, x.ndim);
}

/**
 * The slice at `index` along `dim`, with that dim removed (a view): `select(emb, 1, 0)` is
 * PyTorch's `emb[:, 0, :]` for a 3-d `emb`.
 *
 * @param x input, at least 1-d
 * @param dim the dim (negative counts from the end)
 * @param index the position along it (negative counts from the end)
 * @returns a view with one dim fewer
 * @throws {TypeError} when x is not a Tensor or dim/index are not numbers
 * @throws {IndexError} when dim or index is out of range
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { select } from "./views.ts";
 * const emb = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]); // (B=2, T=2, C=2)
 * deepEqual(select(emb, 1, 0).toArraySync(), [[1, 2], [5, 6]]); // emb[:, 0, :]
 * deepEqual(select(emb, 0, -1).toArraySync(), [[5, 6], [7, 8]]);
 * ```
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  checkTensor("select", "input", x);
  const d = checkedDim("select", x, dim);
  checkNumber("select", "index", index, { integer: true });
  const n = x.shape[d];
  if (index < -n || index >= n) {
    throw new IndexError(
      `select: index ${index} is out of range for dim ${d} of size ${n} (shape ${
        formatShape(x.shape)
      })`,
    );
  }
  const i = index < 0 ? index + n : index;
  return squeeze(slice(x, d, i, i + 1), d);
}

/**
 * `length` elements from `start` along `dim` (a view), as PyTorch's `narrow`.
 *
 * @param x input, at least 1-d
 * @param dim the dim (negative counts from the end)
 * @param start the first position (negative counts from the end)
 * @param length how many positions (>= 0)
 * @returns the view
 * @throws {TypeError} when x is not a Tensor or an argument is not a number
 * @throws {RangeError} when length is negative or not an integer
 * @throws {IndexError} when dim or start is out of range, or start + length passes the end
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { narrow } from "./views.ts";
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * deepEqual(narrow(x, 1, 1, 2).toArraySync(), [[2, 3], [5, 6]]);
 * ```
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor("narrow", "input", x);
  const d = checkedDim("narrow", x, dim);
  checkNumber("narrow", "start", start, { integer: true });
  checkNumber("narrow", "length", length, { integer: true, min: 0 });
  const n = x.shape[d];
  if (start < -n || start > n) {
    throw new IndexError(`narrow: start ${start} is out of range for dim ${d} of size ${n}`);
  }
  const s = start < 0 ? start + n : start;
  if (s + length > n) {
    throw new IndexError(
      `narrow: start ${s} + length ${length} passes the end of dim ${d} of size ${n}`,
    );
  }
  return slice(x, d, s, s + length);
}

/**
 * Every slice along `dim`, that dim removed (views), as PyTorch's `unbind`.
 *
 * @param x input, at least 1-d
 * @param dim the dim (default 0)
 * @returns `x.shape[dim]` views
 * @throws {TypeError} when x is not a Tensor or dim is not a number
 * @throws {IndexError} when dim is out of range
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { unbind } from "./views.ts";
 * const [a, b] = unbind(tensor([[1, 2, 3], [4, 5, 6]]), 0);
 * deepEqual([a.toArraySync(), b.toArraySync()], [[1, 2, 3], [4, 5, 6]]);
 * ```
 */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  checkTensor("unbind", "input", x);
  const d = checkedDim("unbind", x, dim);
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}

/**
 * The elements in reverse order along each of `dims` (a copy, as in PyTorch).
 *
 * @param x input
 * @param dims a dim or dims (negative count from the end; no repeats)
 * @returns the flipped copy
 * @throws {TypeError} when x is not a Tensor or dims are not numbers
 * @throws {IndexError} when a dim is out of range or repeated
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { flip } from "./views.ts";
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * deepEqual(flip(x, 1).toArraySync(), [[3, 2, 1], [6, 5, 4]]);
 * deepEqual(flip(x, [0, 1]).toArraySync(), [[6, 5, 4], [3, 2, 1]]);
 * ```
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensor("flip", "input", x);
  const list = typeof dims === "number" ? [dims] : Array.isArray(dims) ? dims : null;
  if (list === null) {
    throw new TypeError(
      `flip: dims must be a number or an array of numbers, got ${describe(dims)}`,
    );
  }
  list.forEach((d, i) => checkNumber("flip", `dims[${i}]`, d, { integer: true }));
  let out = x;
  for (const d of normalizeDims("flip", list, x.ndim)) {
    const n = x.shape[d];
    if (n < 2) continue;
    const reversed = arange(n - 1, -1, -1, { dtype: "int32", device: x.device });
    out = indexSelect(out, d, reversed);
  }
  return out === x ? x.clone() : out;
}

/**
 * The tensor tiled `sizes[i]` times along each dim, as PyTorch's `repeat` (a copy; extra leading
 * sizes add dims): `repeat(tensor([1, 2]), [2, 2])` is `[[1, 2, 1, 2], [1, 2, 1, 2]]`.
 *
 * @param x input
 * @param sizes repeats per dim, at least x.ndim of them (integers >= 0)
 * @returns the tiled copy, of shape `sizes[i] · shape[i]` (shape padded with leading 1s)
 * @throws {TypeError} when x is not a Tensor or sizes are not numbers
 * @throws {RangeError} on a negative or fractional size
 * @throws {ShapeError} when there are fewer sizes than dims
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { repeat } from "./views.ts";
 * deepEqual(repeat(tensor([1, 2]), [2, 2]).toArraySync(), [[1, 2, 1, 2], [1, 2, 1, 2]]);
 * ```
 */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  checkTensor("repeat", "input", x);
  if (!Array.isArray(sizes)) {
    throw new TypeError(`repeat: sizes must be an array of numbers, got ${describe(sizes)}`);
  }
  sizes.forEach((s, i) => checkNumber("repeat", `sizes[${i}]`, s, { integer: true, min: 0 }));
  if (sizes.length < x.ndim) {
    throw new ShapeError(
      `repeat: got ${sizes.length} sizes [${sizes.join(", ")}] for a ${x.ndim}-d tensor of ` +
        `shape ${formatShape(x.shape)}; give at least one per dim`,
    );
  }
  const shape = [...Array(sizes.length - x.ndim).fill(1), ...x.shape];
  // (s0, s1, …) viewed as (1, s0, 1, s1, …), expanded to (r0, s0, r1, s1, …), merged pairwise
  const spread = shape.flatMap((s) => [1, s]);
  const tiled = shape.flatMap((s, i) => [sizes[i], s]);
  const out = reshape(expand(reshape(x, spread), tiled), shape.map((s, i) => s * sizes[i]));
  return out.storage === x.storage ? out.clone() : out; // a copy, as in PyTorch
}
