/**
 * The matmul frontend: PyTorch's `matmul` semantics (1-d vectors, 2-d
 * matrices, batched with broadcasting of the batch dims) on top of the
 * backend's batched kernel. Transposed operands (`x.mT`) are passed to the
 * kernel as flags, not copied.
 *
 * @module
 */

import { type BackwardRule, needsGrad, record } from "../autograd.ts";
import { DTypeError, ShapeError } from "../errors.ts";
import { broadcastShapes, sizeOf } from "../shape.ts";
import { backendFor } from "../device.ts";
import type { Tensor } from "../tensor.ts";
import { empty } from "./creation.ts";
import type { MatmulOp } from "./op_names.ts";
import { checkSameDevice, checkTensor } from "../validate.ts";

function dims(t: Tensor): string {
  return `(${t.shape.join("x")})`;
}

/**
 * Matrix product with PyTorch's rules: vector·vector is a dot product, a 1-d
 * operand gets a temporary 1 dim (removed after), and leading batch dims
 * broadcast.
 *
 * @param a left operand (float32, ≥ 1-d)
 * @param b right operand (float32, ≥ 1-d)
 * @returns the product
 * @throws {ShapeError} on inner-dimension mismatch, non-broadcastable batch dims, or 0-d operands
 * @throws {DTypeError} when an operand is not float32
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./creation.ts";
 * import { matmul } from "./matmul.ts";
 * const a = tensor([[1, 2, 3], [4, 5, 6]]);
 * deepEqual(matmul(a, tensor([[1], [0], [1]])).toArraySync(), [[4], [10]]);
 * deepEqual(matmul(a, tensor([1, 1, 1])).toArraySync(), [6, 15]);
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor("matmul", "input", a);
  checkTensor("matmul", "other", b);
  checkSameDevice("matmul", a, b);
  if (a.dtype !== "float32" || b.dtype !== "float32") {
    throw new DTypeError(
      `matmul: expected float32 operands, got ${a.dtype} and ${b.dtype}; cast with .to("float32")`,
    );
  }
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      `matmul: both arguments need at least 1 dim, got ${a.ndim}-d and ${b.ndim}-d`,
    );
  }
  const ka = a.shape[a.ndim - 1], kb = b.shape[b.ndim === 1 ? 0 : b.ndim - 2];
  if (ka !== kb) {
    throw new ShapeError(
      `matmul: cannot multiply ${dims(a)} and ${dims(b)}: inner dimensions ${ka} and ${kb} differ`,
    );
  }
  if (a.ndim === 1 || b.ndim === 1) {
    const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
    const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
    let out = matmulNd(a2, b2);
    if (b.ndim === 1) out = out.squeeze(-1);
    if (a.ndim === 1) out = out.squeeze(a.ndim === 1 && b.ndim === 1 ? 0 : -2);
    return out;
  }
  return matmulNd(a, b);
}

/**
 * The kernel's view of a ≥2-d operand: a transposed flag, the row stride of its blocks as
 * stored, and a usable layout (a copy only where neither the rows nor the columns are
 * contiguous).
 */
function asKernelOperand(t: Tensor): { t: Tensor; trans: boolean; ld: number } {
  const nd = t.ndim;
  const rs = t.strides[nd - 2], cs = t.strides[nd - 1];
  const rows = t.shape[nd - 2], cols = t.shape[nd - 1];
  if ((cs === 1 || cols === 1) && (rs === cols || rows === 1)) return { t, trans: false, ld: cols };
  if ((rs === 1 || rows === 1) && (cs === rows || cols === 1)) return { t, trans: true, ld: rows };
  if (cs === 1 && rs > cols) return { t, trans: false, ld: rs };
  if (rs === 1 && cs > rows) return { t, trans: true, ld: cs };
  return { t: t.contiguousRaw(), trans: false, ld: cols };
}

function matmulNd(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2], k = a.shape[a.ndim - 1], n = b.shape[b.ndim - 1];
  const ba = a.shape.slice(0, -2), bb = b.shape.slice(0, -2);
  const batch = ba.length === 0 && bb.length === 0 ? [] : broadcastShapes("matmul", ba, bb);
  const out = empty([...batch, m, n], "float32", a.device);
  const A = asKernelOperand(a), B = asKernelOperand(b);
  const nb = sizeOf(batch);
  const aOff = batchOffsets(A.t, batch, nb), bOff = batchOffsets(B.t, batch, nb);
  if (nb > 0 && m > 0 && n > 0) {
    backendFor(a.device).matmul(A.t, B.t, out, {
      m,
      k,
      n,
      aOffsets: aOff,
      bOffsets: bOff,
      transA: A.trans,
      transB: B.trans,
      lda: A.ld,
      ldb: B.ld,
    });
  }
  if (needsGrad(a, b)) record(out, "matmul", [a, b], [a, b], {});
  return out;
}

/** Storage offsets of each broadcast batch's matrix block. */
function batchOffsets(t: Tensor, batch: readonly number[], nb: number): number[] {
  const lead = batch.length - (t.ndim - 2);
  const offs = new Array<number>(nb);
  for (let i = 0; i < nb; i++) {
    let rem = i, off = t.offset;
    for (let d = batch.length - 1; d >= 0; d--) {
      const idx = rem % batch[d];
      rem = (rem - idx) / batch[d];
      const td = d - lead;
      if (td >= 0 && t.shape[td] !== 1) off += idx * t.strides[td];
    }
    offs[i] = off;
  }
  return offs;
}

/** Backward rules of the matrix products. */
export const matmulRules: { [K in MatmulOp]: BackwardRule } = {
  matmul: (g, _n, [a, b]) => [
    // batch dims that were broadcast are summed by the engine
    a.requiresGrad ? g.matmul(b.mT) : null,
    b.requiresGrad ? gradOfShared(g, a, b) : null,
  ],
};

/**
 * The gradient of B in A·B. When B is one matrix shared by a batch of A (a linear layer's
 * weight), the batch folds into the inner dimension: one (k x batch·m)·(batch·m x n) product
 * instead of a product per batch item summed afterwards. When B is a transposed view (`W.t()`),
 * the product is computed in W's layout, so W's gradient comes out contiguous.
 */
function gradOfShared(g: Tensor, a: Tensor, b: Tensor): Tensor {
  const k = a.shape[a.ndim - 1], n = g.shape[g.ndim - 1];
  const fold = b.ndim === 2 && a.ndim > 2 && a.size > 0 && k > 0 && n > 0;
  const a2 = fold ? a.reshape(-1, k) : a, g2 = fold ? g.reshape(-1, n) : g;
  const transposed = b.ndim === 2 && b.strides[0] === 1 && b.strides[1] === b.shape[0] &&
    b.shape[0] > 1 && b.shape[1] > 1;
  return transposed ? g2.mT.matmul(a2).mT : a2.mT.matmul(g2);
}
