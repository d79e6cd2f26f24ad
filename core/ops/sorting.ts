/**
 * Sorting along a dim: `sort`, `argsort` and `topk` (GPT sampling keeps the k largest logits:
 * `topk(logits, k)`). One Backend primitive, `Backend.sort`, sorts rows and keeps the first k
 * of each; the op moves the dim last (a copy), sorts, and moves it back. The values are the
 * input gathered at the indices, so the backward rule is gather's (the gradient goes to the
 * positions the values came from).
 *
 * Order, as PyTorch: NaN counts as larger than every number (first when descending, last when
 * ascending), −0 equals 0. The sort is stable: equal values keep their order. PyTorch
 * guarantees that only with `stable: true`; its default sort (and its topk) may order ties
 * differently on large rows, so compare tie positions only against a stable PyTorch sort.
 *
 * @module
 */

import { type BackwardRule, needsGrad, noGrad, record } from "../autograd.ts";
import { backendFor } from "../device.ts";
import { disposeOnThrow } from "../memory.ts";
import { normalizeDim, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkBoolean, checkNumber, checkOptions, checkTensor } from "../validate.ts";
import { empty } from "./creation.ts";
import { cast } from "./elementwise.ts";
import type { ValuesIndices } from "./extreme.ts";
import { indexingRules } from "./indexing.ts";
import { transpose } from "./movement.ts";
import type { SortOp } from "./op_names.ts";

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** Largest first (default false). */
  descending?: boolean;
  /** PyTorch's flag for a stable sort; accepted for parity, the sort is always stable. */
  stable?: boolean;
}

/** Options of {@link topk}. */
export interface TopkOptions {
  /** The k largest (default true) or, when false, the k smallest. */
  largest?: boolean;
  /** PyTorch's flag; accepted for parity, the k values always come sorted. */
  sorted?: boolean;
}

function checkFlags(op: string, opts: object | undefined, keys: string[]): Record<string, unknown> {
  const o = checkOptions(op, opts, keys) as Record<string, unknown>;
  for (const key of keys) if (o[key] !== undefined) checkBoolean(op, key, o[key]);
  return o;
}

/** The first k of a stable sort along dim d, values and int32 indices, recorded as `op`. */
function sortAlong(
  op: SortOp,
  x: Tensor,
  d: number,
  k: number,
  descending: boolean,
): ValuesIndices {
  const scalar = x.ndim === 0;
  const work = x.dtype === "bool" ? cast(x, "int32") : x;
  const last = Math.max(x.ndim - 1, 0);
  // (…, n) rows with the sorted dim last
  const rowsView = scalar
    ? work.contiguousRaw().viewRaw([1])
    : noGrad(() => (d === last ? work : transpose(work, d, last)).contiguousRaw());
  const n = rowsView.shape[last], rows = n === 0 ? 0 : sizeOf(rowsView.shape) / n;
  const outShape = [...rowsView.shape.slice(0, last), k];
  let values = empty(outShape, work.dtype, x.device);
  let indices = empty(outShape, "int32", x.device);
  // the backend may refuse (its padded work buffers too large): free the outputs then
  disposeOnThrow(
    [values, indices],
    () => backendFor(x.device).sort(rowsView, rows, n, k, descending, values, indices),
  );
  if (d !== last) {
    [values, indices] = noGrad(() => [
      transpose(values, d, last).contiguousRaw(),
      transpose(indices, d, last).contiguousRaw(),
    ]);
  }
  if (x.dtype === "bool") values = cast(values, "bool");
  // a 0-d input sorts as shape (1): the rule scatters into (1), the engine sums it down to ()
  const saved = indices;
  if (scalar) [values, indices] = [values.viewRaw([]), indices.viewRaw([])];
  if (needsGrad(x)) record(values, op, [x], [saved], { dim: d, shape: scalar ? [1] : x.shape });
  return { values, indices };
}

function checkedDim(op: string, x: Tensor, dim: unknown): number {
  checkNumber(op, "dim", dim, { integer: true });
  return normalizeDim(op, dim as number, x.ndim);
}

/**
 * Sorts along a dim (torch.sort): the values and where they came from.
 *
 * @param x input (float32, int32 or bool)
 * @param dim the dim (default −1, the last)
 * @param opts `descending` (default false); `stable` is accepted (always stable)
 * @returns `{ values, indices }`, indices int32
 * @throws {TypeError} on a non-tensor, a non-integer dim, an unknown option or a non-boolean flag
 * @throws {IndexError} when dim is out of range
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { sort } from "./sorting.ts";
 * const { values, indices } = sort(tensor([[3, 1, 2], [0, 5, 5]]), -1, { descending: true });
 * deepEqual(values.toArraySync(), [[3, 2, 1], [5, 5, 0]]);
 * deepEqual(indices.toArraySync(), [[0, 2, 1], [1, 2, 0]]); // ties keep their order
 * ```
 */
export function sort(x: Tensor, dim = -1, opts?: SortOptions): ValuesIndices {
  checkTensor("sort", "input", x);
  const d = checkedDim("sort", x, dim);
  const o = checkFlags("sort", opts, ["descending", "stable"]);
  return sortAlong("sort", x, d, x.shape[d] ?? 1, o.descending === true);
}

/**
 * The positions that sort a dim (torch.argsort): `sort(x, dim, opts).indices`.
 *
 * @param x input
 * @param dim the dim (default −1)
 * @param opts `descending` (default false); `stable` is accepted (always stable)
 * @returns int32 indices
 * @throws {TypeError} on a non-tensor, a non-integer dim, an unknown option or a non-boolean flag
 * @throws {IndexError} when dim is out of range
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { argsort } from "./sorting.ts";
 * deepEqual(argsort(tensor([0.5, -1, NaN, 2])).toArraySync(), [1, 0, 3, 2]); // NaN last
 * ```
 */
export function argsort(x: Tensor, dim = -1, opts?: SortOptions): Tensor {
  checkTensor("argsort", "input", x);
  const d = checkedDim("argsort", x, dim);
  const o = checkFlags("argsort", opts, ["descending", "stable"]);
  return noGrad(() => sortAlong("sort", x, d, x.shape[d] ?? 1, o.descending === true).indices);
}

/**
 * The k largest (or smallest) entries along a dim, sorted, and their positions (torch.topk).
 * GPT sampling: `const { values } = topk(logits, k)`, then mask logits below `values[:, -1]`.
 *
 * @param x input
 * @param k how many, in [0, size of dim]
 * @param dim the dim (default −1)
 * @param opts `largest` (default true); `sorted` is accepted (always sorted)
 * @returns `{ values, indices }` with `dim` of size k; ties keep their order
 * @throws {TypeError} on a non-tensor, a non-number k or dim, an unknown option or a non-boolean flag
 * @throws {RangeError} when k is not an integer in [0, size of dim]
 * @throws {IndexError} when dim is out of range
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { topk } from "./sorting.ts";
 * const { values, indices } = topk(tensor([[0.1, 2, -1, 3]]), 2);
 * deepEqual(values.toArraySync(), [[3, 2]]);
 * deepEqual(indices.toArraySync(), [[3, 1]]);
 * ```
 */
export function topk(x: Tensor, k: number, dim = -1, opts?: TopkOptions): ValuesIndices {
  checkTensor("topk", "input", x);
  const d = checkedDim("topk", x, dim);
  const n = x.shape[d] ?? 1;
  checkNumber("topk", "k", k, { integer: true, min: 0, max: n });
  const o = checkFlags("topk", opts, ["largest", "sorted"]);
  return sortAlong("topk", x, d, k, o.largest !== false);
}

/** Backward rules of the sorting ops: the values are a gather of the input at the indices. */
export const sortingRules: { [K in SortOp]: BackwardRule } = {
  sort: (g, n, saved) => indexingRules.gather(g, n, saved),
  topk: (g, n, saved) => indexingRules.gather(g, n, saved),
};
