/**
 * The n-d `Tensor`: {@link TensorBase}'s state plus the op methods. Methods
 * are thin: they delegate to the op functions in `core/ops/`, which validate,
 * run a backend kernel and record the backward rule.
 *
 * @module
 */

import { backward, type BackwardOptions, needsGrad, record } from "./autograd.ts";
import { backendFor } from "./device.ts";
import type { Device, DType } from "./dtype.ts";
import { openDevice } from "./webgpu/init.ts";
import { empty, fromTyped } from "./ops/creation.ts";
import * as ew from "./ops/elementwise.ts";
import * as fn from "./ops/functional.ts";
import * as ix from "./ops/indexing.ts";
import { binaryInPlace, copyInPlace, fillInPlace } from "./ops/inplace.ts";
import { matmul } from "./ops/matmul.ts";
import * as mv from "./ops/movement.ts";
import * as am from "./ops/amax.ts";
import * as lg from "./ops/logical.ts";
import * as nm from "./ops/norm.ts";
import * as rd from "./ops/reduce.ts";
import * as sc from "./ops/scan.ts";
import * as so from "./ops/sorting.ts";
import * as um from "./ops/unary_math.ts";
import * as vw from "./ops/views.ts";
import { broadcastStrides } from "./shape.ts";
import { bindMathOps, TensorMath } from "./tensor_math.ts";
import { checkDevice, checkDType } from "./validate_creation.ts";

export { backendFor, cpuData } from "./device.ts";

bindMathOps({ am, ew, lg, nm, rd, sc, so, um });

/** Dims given as arguments (`view(32, 30)`) or as one array (`view([32, 30])`). */
export type ShapeArgs = number[] | [readonly number[]];
const shapeOf = (args: ShapeArgs): readonly number[] =>
  args.length === 1 && Array.isArray(args[0]) ? args[0] : (args as number[]);

/**
 * An n-d array of float32, int32 or bool values with reverse-mode autograd.
 * Create tensors with `tensor()`, `zeros()`, `randn()`, ...; the constructor
 * is for ops and backends. Each method below is documented at its op
 * function in `core/ops/` (movement, views, matmul, indexing, inplace); the
 * elementwise, reduction, scan and sort methods come from {@link TensorMath}.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { tensor } from "./ops/creation.ts";
 * const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const loss = w.mul(w).sum();
 * loss.backward();
 * deepEqual(w.grad!.toArraySync(), [[2, 4], [6, 8]]);
 * ```
 */
export class Tensor extends TensorMath {
  /** Backpropagates from this tensor into leaves' `.grad`. @param gradient dLoss/dThis (needed unless one element) @param opts `retainGraph` */
  backward(gradient?: Tensor | null, opts?: BackwardOptions): void {
    backward(this, gradient, opts);
  }
  /** A tensor sharing storage but cut from the graph. @returns the detached tensor */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset);
  }
  /**
   * A copy on another device (async: leaving a GPU needs a readback). Not recorded by autograd:
   * the copy is a leaf, requiring grad when this is a leaf that does. Opens WebGPU if needed.
   *
   * @param device "cpu" or "webgpu"
   * @returns this when already there, else the copy
   * @throws {WebGPUUnavailableError} for "webgpu" when no adapter opens
   */
  async toDevice(device: Device): Promise<Tensor> {
    if (device === this.device) return this;
    checkDevice("toDevice", device);
    await openDevice(device);
    const out = fromTyped(await this.data(), this.shape.slice(), device);
    if (this.isLeaf && this.requiresGrad) out.requiresGrad = true;
    return out;
  }
  /** Converts the dtype (no gradient flows through a cast). @param dtype target @returns a copy, or this */
  to(dtype: DType): Tensor {
    return ew.cast(this, checkDType("to", dtype));
  }
  /** `to("float32")`, PyTorch's `x.float()` (its float is float32). @returns a copy, or this */
  float(): Tensor {
    return this.to("float32");
  }
  /** `to("int32")`, PyTorch's `x.int()` (truncates toward 0). @returns a copy, or this */
  int(): Tensor {
    return this.to("int32");
  }
  /** The number of elements: PyTorch's `nelement()`, an alias of `numel()`. @returns the count */
  nelement(): number {
    return this.size;
  }
  /** A contiguous copy (differentiable). @returns the copy */
  clone(): Tensor {
    const out = this.contiguousRaw(true);
    if (needsGrad(this)) record(out, "contiguous", [this], [], {});
    return out;
  }
  /** This when contiguous, else a contiguous copy (differentiable). @returns row-major tensor */
  contiguous(): Tensor {
    return mv.contiguous(this);
  }

  // ---- linear algebra (ops/matmul.ts) ----
  /** Matrix product with PyTorch's matmul rules. @param o right operand @returns this · o */
  matmul(o: Tensor): Tensor {
    return matmul(this, o);
  }
  /** Transpose of a ≤2-d tensor (a view). @returns the transpose @throws {ShapeError} for > 2 dims */
  t(): Tensor {
    return mv.t(this);
  }
  /** All dims reversed (a view), like PyTorch's `.T`; the transpose of a matrix. */
  get T(): Tensor {
    return this.ndim < 2 ? this : mv.permute(this, this.shape.map((_, i) => this.ndim - 1 - i));
  }
  /** The last two dims swapped (a view). @throws {ShapeError} for fewer than 2 dims */
  get mT(): Tensor {
    return mv.mT(this);
  }

  // ---- shape and views (ops/movement.ts) ----
  /** New shape (one dim may be −1); a view when possible, else a copy. @param shape the dims @returns the reshaped tensor */
  reshape(...shape: ShapeArgs): Tensor {
    return mv.reshape(this, shapeOf(shape));
  }
  /** New shape as a view. @param shape the dims @returns the view @throws {ShapeError} when the layout does not allow a view */
  view(...shape: ShapeArgs): Tensor {
    return mv.reshape(this, shapeOf(shape), "view");
  }
  /** Swaps two dims (a view). @param d0 a dim @param d1 another dim @returns the view */
  transpose(d0: number, d1: number): Tensor {
    return mv.transpose(this, d0, d1);
  }
  /** Reorders the dims (a view). @param dims a permutation @returns the view */
  permute(...dims: ShapeArgs): Tensor {
    return mv.permute(this, shapeOf(dims));
  }
  /** Broadcasts size-1 dims (a view; −1 keeps a dim). @param sizes target dims @returns the view */
  expand(...sizes: ShapeArgs): Tensor {
    return mv.expand(this, shapeOf(sizes));
  }
  /** Drops a size-1 dim, or all of them. @param dim the dim (all size-1 dims when omitted) @returns the view */
  squeeze(dim?: number): Tensor {
    return mv.squeeze(this, dim);
  }
  /** Inserts a size-1 dim. @param dim its position @returns the view */
  unsqueeze(dim: number): Tensor {
    return mv.unsqueeze(this, dim);
  }
  /** Merges dims `start..end` into one. @param start first dim @param end last dim @returns the flattened tensor */
  flatten(start = 0, end = -1): Tensor {
    return mv.flatten(this, start, end);
  }
  /** Python-style slice along a dim (a view). @param dim the dim @param start first index @param stop exclusive end @param step stride @returns the view */
  slice(dim: number, start?: number, stop?: number, step = 1): Tensor {
    return mv.slice(this, dim, start, stop, step);
  }
  /** Splits into pieces (views). @param sizes a piece size or the sizes @param dim the dim @returns the pieces */
  split(sizes: number | readonly number[], dim = 0): Tensor[] {
    return mv.split(this, sizes, dim);
  }
  /** Splits into `chunks` near-equal pieces (views). @param chunks how many @param dim the dim @returns the pieces */
  chunk(chunks: number, dim = 0): Tensor[] {
    return mv.chunk(this, chunks, dim);
  }
  /** The slice at `index` along `dim`, that dim removed (a view): `emb[:, 0, :]` is `emb.select(1, 0)`. @param dim the dim @param index the position @returns the view */
  select(dim: number, index: number): Tensor {
    return vw.select(this, dim, index);
  }
  /** `length` positions from `start` along `dim` (a view). @param dim the dim @param start first position @param length how many @returns the view */
  narrow(dim: number, start: number, length: number): Tensor {
    return vw.narrow(this, dim, start, length);
  }
  /** Every slice along `dim`, that dim removed (views). @param dim the dim @returns the slices */
  unbind(dim = 0): Tensor[] {
    return vw.unbind(this, dim);
  }
  /** Reversed along the given dims (a copy). @param dims the dims @returns the flipped copy */
  flip(...dims: ShapeArgs): Tensor {
    return vw.flip(this, shapeOf(dims));
  }
  /** Tiled `sizes[i]` times along each dim (a copy). @param sizes repeats per dim @returns the tiled copy */
  repeat(...sizes: ShapeArgs): Tensor {
    return vw.repeat(this, shapeOf(sizes));
  }

  // ---- indexing and softmax (ops/indexing.ts, ops/functional.ts) ----
  /** `this[X]` (rows picked by an int32 tensor of any shape) or `this[X0, X1]`. @param indices int32 index tensor(s) @returns the picked elements */
  index(indices: Tensor | readonly Tensor[]): Tensor {
    return ix.index(this, indices);
  }
  /** Picks along `dim` by an int32 index tensor shaped like this. @param dim the dim @param idx indices @returns the gathered values */
  gather(dim: number, idx: Tensor): Tensor {
    return ix.gather(this, dim, idx);
  }
  /** Whole slices along `dim` picked by a 1-d int32 tensor. @param dim the dim @param idx indices @returns the selection */
  indexSelect(dim: number, idx: Tensor): Tensor {
    return ix.indexSelect(this, dim, idx);
  }
  /** `value` where the bool mask is true. @param mask broadcastable bool mask @param value the fill @returns a new tensor */
  maskedFill(mask: Tensor, value: number): Tensor {
    return ix.maskedFill(this, mask, value);
  }
  /** The lower triangle (below `diagonal`), zeros above. @param diagonal offset @returns a new tensor */
  tril(diagonal = 0): Tensor {
    return ix.tril(this, diagonal);
  }
  /** The upper triangle, zeros below. @param diagonal offset @returns a new tensor */
  triu(diagonal = 0): Tensor {
    return ix.triu(this, diagonal);
  }
  /** `this[indices] = values` (or `+=` with accumulate), in place. @param indices int32 tensors @param values value(s) @param opts accumulate @returns this */
  indexPut_(
    indices: Tensor | readonly Tensor[],
    values: Tensor | number,
    opts?: ix.IndexPutOptions,
  ): this {
    ix.indexPut_(this, indices, values, opts);
    return this;
  }
  /** Softmax along `dim`. @param dim the dim @returns probabilities */
  softmax(dim: number): Tensor {
    return fn.softmax(this, dim);
  }
  /** Log-softmax along `dim`. @param dim the dim @returns log-probabilities */
  logSoftmax(dim: number): Tensor {
    return fn.logSoftmax(this, dim);
  }

  // ---- in place (ops/inplace.ts): inside noGrad, or on tensors without grad ----
  /** this += alpha · o in place. @param o other operand @param opts alpha (default 1) @returns this */
  add_(o: ew.Operand, opts?: { alpha?: number }): this {
    return binaryInPlace("add", this, o, opts) as this;
  }
  /** this −= alpha · o in place. @param o other operand @param opts alpha (default 1) @returns this */
  sub_(o: ew.Operand, opts?: { alpha?: number }): this {
    return binaryInPlace("sub", this, o, opts) as this;
  }
  /** this *= o in place. @param o other operand @returns this */
  mul_(o: ew.Operand): this {
    return binaryInPlace("mul", this, o) as this;
  }
  /** this /= o in place. @param o divisor @returns this */
  div_(o: ew.Operand): this {
    return binaryInPlace("div", this, o) as this;
  }
  /** Fills with a value in place. @param v the value @returns this */
  fill_(v: number | boolean): this {
    return fillInPlace(this, v) as this;
  }
  /** Fills with zeros in place. @returns this */
  zero_(): this {
    return fillInPlace(this, 0) as this;
  }
  /** Copies `src` (broadcast, cast) in place. @param src the values @returns this */
  copy_(src: Tensor): this {
    return copyInPlace(this, src) as this;
  }

  // ---- raw helpers for ops: no autograd recording ----
  /** @ignore a contiguous tensor (a copy when not contiguous, or when forced) */
  contiguousRaw(force = false): Tensor {
    if (this.isContiguous() && !force) return this;
    const out = empty(this.shape, this.dtype, this.device);
    backendFor(this.device).unary("copy", this, out);
    return out;
  }
  /** @ignore a contiguous view with other dims (this must be contiguous) */
  viewRaw(shape: readonly number[]): Tensor {
    return new Tensor(this.storage, shape, undefined, this.offset);
  }
  /** @ignore a view of `len` elements from `start` along `dim` */
  sliceRaw(dim: number, start: number, len: number, step = 1): Tensor {
    const strides = this.strides.slice(), shape = this.shape.slice();
    shape[dim] = len;
    strides[dim] *= step;
    return new Tensor(this.storage, shape, strides, this.offset + start * this.strides[dim]);
  }
  /** @ignore a broadcast view (shapes already checked) */
  expandRaw(shape: readonly number[]): Tensor {
    const strides = broadcastStrides(this.shape, this.strides, shape);
    return new Tensor(this.storage, shape, strides, this.offset);
  }
}
