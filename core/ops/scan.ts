/**
 * Scans along a dim and the product built on them: `cumsum` (running sums; its gradient is the
 * reverse running sum of the upstream gradient) and `prod` (over everything or one dim). One
 * Backend primitive, `Backend.scan`, computes running sums and running products. The product's
 * gradient at each element is the product of all the others, taken as (running product
 * before it) · (running product after it), so zeros in the input need no special case and
 * nothing is divided.
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import type { ScanKernel } from "../backend.ts";
import { backendFor } from "../device.ts";
import { disposeOnThrow } from "../memory.ts";
import { normalizeDim, sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkBoolean, checkNumber, checkOptions, checkTensor } from "../validate.ts";
import { empty, full } from "./creation.ts";
import { cast } from "./elementwise.ts";
import { cat } from "./movement.ts";
import type { ScanOp } from "./op_names.ts";
import { droppedShape, keptShape, type ReduceOptions } from "./reduce.ts";
import { flip } from "./views.ts";

/**
 * An inclusive scan along dim d, without recording.
 *
 * @param op "sum" or "prod"
 * @param x a float32 or int32 tensor
 * @param d a normalised dim
 * @returns a contiguous tensor of x's shape and dtype
 */
export function scanRaw(op: ScanKernel, x: Tensor, d: number): Tensor {
  const src = x.contiguousRaw();
  const shape = x.ndim === 0 ? [1] : x.shape;
  const out = empty(x.shape, x.dtype, x.device);
  const outer = sizeOf(shape.slice(0, d)), inner = sizeOf(shape.slice(d + 1));
  disposeOnThrow([out], () => backendFor(x.device).scan(op, src, outer, shape[d], inner, out));
  return out;
}

/** For each element, the product of the others along dim d: (product before) · (product after). */
function othersProduct(x: Tensor, d: number): Tensor {
  const n = x.shape[d];
  if (n <= 1) return full(x.shape, 1, { device: x.device });
  const ones = full(keptShape(x.shape, [d]), 1, { device: x.device });
  const exclusive = (t: Tensor) => cat([ones, scanRaw("prod", t, d).sliceRaw(d, 0, n - 1)], d);
  return exclusive(x).mul(flip(exclusive(flip(x, d)), d));
}

function checkedDim(op: string, x: Tensor, dim: unknown): number {
  checkNumber(op, "dim", dim, { integer: true });
  return normalizeDim(op, dim as number, x.ndim);
}

/**
 * Running sums along a dim (torch.cumsum): `out[i] = x[0] + … + x[i]`.
 *
 * @param x input (int and bool sums are int32)
 * @param dim the dim (negative counts from the end)
 * @returns a tensor of x's shape
 * @throws {TypeError} when x is not a Tensor or dim is not a number
 * @throws {IndexError} when dim is out of range
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { cumsum } from "./scan.ts";
 * deepEqual(cumsum(tensor([[1, 2, 3], [4, 5, 6]]), 1).toArraySync(), [[1, 3, 6], [4, 9, 15]]);
 * ```
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  checkTensor("cumsum", "input", x);
  const d = checkedDim("cumsum", x, dim);
  const out = scanRaw("sum", x.dtype === "bool" ? cast(x, "int32") : x, d);
  if (needsGrad(x)) record(out, "cumsum", [x], [], { dim: d });
  return out;
}

/**
 * The product of all elements (a 0-d tensor), or along one dim (torch.prod). The gradient is
 * right with zeros in the input (PyTorch's too).
 *
 * @param x input (int and bool products are int32)
 * @param dim the dim, or undefined for all elements
 * @param opts keepdim (with a dim)
 * @returns the product (1 over no elements)
 * @throws {TypeError} when x is not a Tensor, dim is not a number, or an option is unknown
 * @throws {IndexError} when dim is out of range
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { prod } from "./scan.ts";
 * const x = tensor([[1, 2, 3], [4, 0, 6]], { requiresGrad: true });
 * deepEqual(prod(x, 1).toArraySync(), [6, 0]);
 * equal(prod(x).itemSync(), 0);
 * prod(x, 1).sum().backward();
 * deepEqual(x.grad!.toArraySync(), [[6, 3, 2], [0, 24, 0]]);
 * ```
 */
export function prod(x: Tensor, dim?: number, opts?: ReduceOptions): Tensor {
  checkTensor("prod", "input", x);
  const o = checkOptions("prod", opts, ["keepdim"]);
  if (o.keepdim !== undefined) checkBoolean("prod", "keepdim", o.keepdim);
  const work = x.dtype === "bool" ? cast(x, "int32") : x;
  let out: Tensor, d: number | undefined, keepdim = false;
  if (dim === undefined) {
    const flat = work.contiguousRaw().viewRaw([x.size]);
    out = x.size === 0
      ? full([], 1, { dtype: work.dtype, device: x.device })
      : scanRaw("prod", flat, 0).sliceRaw(0, x.size - 1, 1).contiguousRaw().viewRaw([]);
  } else {
    d = checkedDim("prod", x, dim);
    keepdim = o.keepdim === true;
    const n = x.ndim === 0 ? 1 : x.shape[d];
    const last = x.ndim === 0
      ? work.contiguousRaw(true)
      : n === 0
      ? full(keptShape(x.shape, [d]), 1, { dtype: work.dtype, device: x.device })
      : scanRaw("prod", work, d).sliceRaw(d, n - 1, 1).contiguousRaw();
    out = keepdim || x.ndim === 0 ? last : last.viewRaw(droppedShape(x.shape, [d]));
  }
  if (needsGrad(x)) record(out, "prod", [x], [x], { dim: d, keepdim });
  return out;
}

/** Backward rules of the scans. */
export const scanRules: { [K in ScanOp]: BackwardRule } = {
  // d/dx_j of sum_i g_i·(x_0 + … + x_i) = g_j + … + g_last: the reverse running sum
  cumsum: (g, n) => {
    const d = n.args.dim!;
    return [flip(scanRaw("sum", flip(g, d), d), d)];
  },
  prod: (g, n, [x]) => {
    const d = n.args.dim;
    if (d === undefined) return [g.mul(othersProduct(x.reshape([-1]), 0)).reshape(x.shape)];
    if (x.ndim === 0) return [g];
    const gk = n.args.keepdim ? g : g.unsqueeze(d);
    return [gk.mul(othersProduct(x, d))];
  },
};
