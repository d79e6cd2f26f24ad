/**
 * Vector norms over dims (torch.norm / torch.linalg.vector_norm): `(Σ|x|^p)^(1/p)`, the
 * max (p = Infinity) or min (p = −Infinity) of |x|. The forward is composed of other ops; the
 * backward is PyTorch's rule (`linalg_vector_norm_backward`), recorded as one node, so the
 * gradient at a zero vector is 0 rather than the NaN the composition would give.
 *
 * @module
 */

import { type BackwardRule, needsGrad, noGrad, record } from "../autograd.ts";
import { DTypeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkNumber, checkTensor } from "../validate.ts";
import { extremeOver, keepdimOption, reductionDims } from "./amax.ts";
import { compare, unaryRaw, where } from "./elementwise.ts";
import type { VectorNormOp } from "./op_names.ts";
import { droppedShape, type ReduceOptions } from "./reduce.ts";

/**
 * The p-norm over dims (all by default), as a float32 tensor. `norm(x)` is the L2 norm of all
 * elements; `norm(x, 1, -1)` the L1 norm of each row; `norm(x, Infinity, -1)` the largest |x|.
 *
 * @param x a float32 input
 * @param p the order: a number > 0, Infinity or −Infinity, or "fro" (= 2); default 2
 * @param dim a dim or dims (undefined or [] for all)
 * @param opts keepdim
 * @returns the norm
 * @throws {TypeError} on a non-tensor, a non-number p or dim, or an unknown option
 * @throws {RangeError} when p is not > 0 (or ±Infinity)
 * @throws {DTypeError} for int or bool input (PyTorch refuses too)
 * @throws {IndexError} on a bad dim, or an empty reduction for p = ±Infinity
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { norm } from "./norm.ts";
 * const x = tensor([[3, -4], [0, 0]], { requiresGrad: true });
 * equal(norm(x).itemSync(), 5);
 * deepEqual(norm(x, 1, 1).toArraySync(), [7, 0]);
 * deepEqual(norm(x, Infinity, 1).toArraySync(), [4, 0]);
 * norm(x, 2, 1).sum().backward();
 * deepEqual(x.grad!.toArraySync(), [[0.6000000238418579, -0.800000011920929], [0, 0]]);
 * ```
 */
export function norm(
  x: Tensor,
  p: number | "fro" = 2,
  dim?: number | readonly number[],
  opts?: ReduceOptions,
): Tensor {
  checkTensor("norm", "input", x);
  const order = p === "fro" ? 2 : checkNumber("norm", "p", p, { allowInfinity: true });
  if (!(order > 0 || order === -Infinity)) {
    throw new RangeError(`norm: p must be a number > 0, Infinity or -Infinity, got ${order}`);
  }
  if (x.dtype !== "float32") {
    throw new DTypeError(`norm: expected a float32 tensor, got ${x.dtype}; cast with .float()`);
  }
  const dims = reductionDims("norm", x, dim);
  const keepdim = keepdimOption("norm", opts);
  const kept = noGrad(() => {
    const a = x.abs();
    if (order === Infinity) return extremeOver("norm", "max", a, dims);
    if (order === -Infinity) return extremeOver("norm", "min", a, dims);
    if (order === 1) return a.sum(dims, { keepdim: true });
    if (order === 2) return x.mul(x).sum(dims, { keepdim: true }).sqrt();
    return a.pow(order).sum(dims, { keepdim: true }).pow(1 / order);
  });
  const out = keepdim ? kept : kept.viewRaw(droppedShape(x.shape, dims));
  if (needsGrad(x)) record(out, "norm", [x], [x, kept], { dims, keepdim, p: order });
  return out;
}

/** Backward rule of the vector norm: PyTorch's, case by case. */
export const normRules: { [K in VectorNormOp]: BackwardRule } = {
  norm: (g, n, [x, kept]) => {
    const p = n.args.p!, dims = n.args.dims!;
    const gk = n.args.keepdim ? g : g.reshape(kept.shape);
    const sgn = unaryRaw("sign", x);
    const zeroNorm = compare("eq", kept, 0);
    if (p === 1) return [gk.mul(sgn)];
    if (p === 2) return [gk.mul(where(zeroNorm, 0, x.div(kept)))];
    if (!Number.isFinite(p)) {
      // the gradient of amax/amin(|x|), shared by ties; NaN entries count as attaining it
      const a = x.abs();
      const mask = compare("eq", a, kept).maximum(compare("ne", a, a));
      return [sgn.mul(gk.div(mask.sum(dims, { keepdim: true })).mul(mask))];
    }
    if (p < 1) {
      const scaled = where(compare("eq", x, 0), 0, sgn.mul(x.abs().pow(p - 1)));
      return [scaled.mul(gk).mul(kept.pow(1 - p))];
    }
    const scaled = p < 2 ? sgn.mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2));
    return [scaled.mul(where(zeroNorm, 0, gk.div(kept.pow(p - 1))))];
  },
};
