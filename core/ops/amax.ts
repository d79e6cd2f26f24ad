/**
 * `amax`/`amin`: the max or min over one or several dims (values only, unlike `max(dim)`),
 * with PyTorch's gradient: shared evenly by the elements that attain it
 * (`grad / count · mask`). A composition of the `max`/`min` reduction kernels.
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import { formatShape, IndexError } from "../errors.ts";
import { normalizeDims } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkBoolean, checkNumber, checkOptions, checkTensor, describe } from "../validate.ts";
import { compare } from "./elementwise.ts";
import type { AmaxOp } from "./op_names.ts";
import { droppedShape, type ReduceOptions, reduceRaw } from "./reduce.ts";

/**
 * Checks and normalises a reduction's dims: a dim, a list, or undefined (an empty list also
 * means every dim, as in PyTorch's amax).
 *
 * @param op the op, for messages
 * @param x the input
 * @param dim the dims given
 * @returns sorted normalised dims
 * @throws {TypeError} when dim is not a number or an array of numbers
 * @throws {IndexError} on an out-of-range or repeated dim
 */
export function reductionDims(op: string, x: Tensor, dim: unknown): number[] {
  if (dim === undefined || (Array.isArray(dim) && dim.length === 0)) {
    return normalizeDims(op, undefined, x.ndim);
  }
  const list = typeof dim === "number" ? [dim] : Array.isArray(dim) ? dim : null;
  if (list === null) {
    throw new TypeError(`${op}: dim must be a number or an array of numbers, got ${describe(dim)}`);
  }
  list.forEach((d, i) => checkNumber(op, list === dim ? `dim[${i}]` : "dim", d, { integer: true }));
  return normalizeDims(op, list as number[], x.ndim);
}

/**
 * Checks the `keepdim` option of a reduction.
 *
 * @param op the op, for messages
 * @param opts the options given
 * @returns keepdim (default false)
 * @throws {TypeError} on an unknown option or a non-boolean keepdim
 */
export function keepdimOption(op: string, opts: ReduceOptions | undefined): boolean {
  const o = checkOptions(op, opts, ["keepdim"]);
  if (o.keepdim !== undefined) checkBoolean(op, "keepdim", o.keepdim);
  return o.keepdim === true;
}

/**
 * The max or min over dims into a keepdim-shaped tensor, refusing empty reductions.
 *
 * @param op the op, for messages
 * @param kernel "max" or "min"
 * @param x the input
 * @param dims sorted normalised dims
 * @returns the keepdim-shaped result (not recorded)
 * @throws {IndexError} when a reduced dim has size 0
 */
export function extremeOver(
  op: string,
  kernel: "max" | "min",
  x: Tensor,
  dims: readonly number[],
): Tensor {
  for (const d of dims) {
    if (x.shape[d] === 0) {
      throw new IndexError(
        `${op}: cannot reduce dim ${d} of size 0 (shape ${formatShape(x.shape)}): no identity`,
      );
    }
  }
  return reduceRaw(kernel, x, dims);
}

function amaxLike(
  op: AmaxOp,
  x: Tensor,
  dim: number | readonly number[] | undefined,
  opts: ReduceOptions | undefined,
): Tensor {
  checkTensor(op, "input", x);
  const dims = reductionDims(op, x, dim);
  const keepdim = keepdimOption(op, opts);
  const kept = extremeOver(op, op === "amax" ? "max" : "min", x, dims);
  const out = keepdim ? kept : kept.viewRaw(droppedShape(x.shape, dims));
  if (needsGrad(x)) record(out, op, [x], [x, kept], { dims, keepdim });
  return out;
}

/**
 * The max over one or several dims (all by default), values only (torch.amax). NaN wins.
 *
 * @param x input
 * @param dim a dim or dims (undefined or [] for all)
 * @param opts keepdim
 * @returns the max
 * @throws {TypeError} on a non-tensor, a non-number dim or an unknown option
 * @throws {IndexError} on a bad dim or a reduced dim of size 0
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { amax } from "./amax.ts";
 * const x = tensor([[[1, 9], [3, 4]], [[5, 2], [7, 8]]]);
 * deepEqual(amax(x, [0, 2]).toArraySync(), [9, 8]);
 * equal(amax(x).itemSync(), 9);
 * ```
 */
export function amax(x: Tensor, dim?: number | readonly number[], opts?: ReduceOptions): Tensor {
  return amaxLike("amax", x, dim, opts);
}

/**
 * The min over one or several dims (all by default), values only (torch.amin); see
 * {@link amax}.
 *
 * @param x input
 * @param dim a dim or dims (undefined or [] for all)
 * @param opts keepdim
 * @returns the min
 * @throws {TypeError} on a non-tensor, a non-number dim or an unknown option
 * @throws {IndexError} on a bad dim or a reduced dim of size 0
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { amin } from "./amax.ts";
 * deepEqual(amin(tensor([[1, 9], [3, -4]]), 1, { keepdim: true }).toArraySync(), [[1], [-4]]);
 * ```
 */
export function amin(x: Tensor, dim?: number | readonly number[], opts?: ReduceOptions): Tensor {
  return amaxLike("amin", x, dim, opts);
}

// PyTorch's amax/amin backward: (grad / mask.sum(dims, keepdim)) * mask, mask = (x == result)
const shareAmongTies: BackwardRule = (g, n, [x, kept]) => {
  const gk = n.args.keepdim ? g : g.reshape(kept.shape);
  const mask = compare("eq", x, kept);
  return [gk.div(mask.sum(n.args.dims!, { keepdim: true })).mul(mask)];
};

/** Backward rules of amax and amin. */
export const amaxRules: { [K in AmaxOp]: BackwardRule } = {
  amax: shareAmongTies,
  amin: shareAmongTies,
};
