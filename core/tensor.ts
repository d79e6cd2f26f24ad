/**
 * The n-d `Tensor`: a strided view on a backend storage, plus autograd state.
 * Methods are thin: they delegate to the op functions in `core/ops/`, which
 * validate, run a backend kernel and record the backward rule.
 *
 * @module
 */

import { backward, type BackwardOptions, type GradNode, needsGrad, record } from "./autograd.ts";
import type { Backend, Storage } from "./backend.ts";
import { cpuBackend, type CpuStorage } from "./cpu/backend.ts";
import type { Device, DType, TypedArray } from "./dtype.ts";
import { AutogradError, DTypeError, formatShape, ShapeError } from "./errors.ts";
import { formatTensor, nest, type NestedValues } from "./format.ts";
import { empty } from "./ops/creation.ts";
import * as ew from "./ops/elementwise.ts";
import { binaryInPlace, copyInPlace, fillInPlace } from "./ops/inplace.ts";
import { matmul } from "./ops/matmul.ts";
import * as mv from "./ops/movement.ts";
import * as rd from "./ops/reduce.ts";
import {
  broadcastStrides,
  contiguousStrides,
  isContiguous,
  normalizeDim,
  sizeOf,
} from "./shape.ts";

/**
 * The backend of a device.
 *
 * @param device the device
 * @returns its backend
 * @throws {TypeError} for a device without a backend yet
 */
export function backendFor(device: Device): Backend {
  if (device === "cpu") return cpuBackend;
  throw new TypeError(`Cannot use device ${device}: no backend for it is available yet`);
}

/**
 * The raw elements of a CPU tensor's storage (shared, not copied).
 *
 * @param t a CPU tensor
 * @returns its storage's typed array
 */
export function cpuData(t: Tensor): TypedArray {
  return (t.storage as CpuStorage).data;
}

/** Dims given as arguments (`view(32, 30)`) or as one array (`view([32, 30])`). */
export type ShapeArgs = number[] | [readonly number[]];
const shapeOf = (args: ShapeArgs): readonly number[] =>
  args.length === 1 && Array.isArray(args[0]) ? args[0] : (args as number[]);

/**
 * An n-d array of float32, int32 or bool values with reverse-mode autograd.
 * Create tensors with `tensor()`, `zeros()`, `randn()`, ...; the constructor
 * is for ops and backends.
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
export class Tensor {
  /** The buffer this tensor views (shared by views). */
  readonly storage: Storage;
  /** The dims. */
  readonly shape: readonly number[];
  /** Elements to skip per step along each dim. */
  readonly strides: readonly number[];
  /** Index of the first element in the storage. */
  readonly offset: number;
  /** The element type. */
  readonly dtype: DType;
  /** Where the storage lives. */
  readonly device: Device;
  /** The number of elements. */
  readonly size: number;
  /** dLoss/dThis after `backward()`, for leaves that require grad (and retained non-leaves). */
  grad: Tensor | null = null;
  /**
   * See the op function.
   *
   * @ignore autograd state: whether gradients flow to/through this tensor.
   */
  _requiresGrad = false;
  /**
   * See the op function.
   *
   * @ignore autograd state: the op that made this tensor, null for leaves.
   */
  _node: GradNode | null = null;
  /**
   * See the op function.
   *
   * @ignore autograd state: keep `.grad` on this non-leaf.
   */
  _retainGrad = false;
  /**
   * See the op function.
   *
   * @ignore autograd state: gradient being summed during backward.
   */
  _pending: Tensor | null = null;
  /**
   * See the op function.
   *
   * @ignore autograd state: traversal stamp.
   */
  _mark = 0;
  #contiguous: boolean;

  /**
   * Wraps a storage (ops and backends use this; users call `tensor()`).
   *
   * @param storage the buffer
   * @param shape the dims
   * @param strides per-dim strides (default row-major)
   * @param offset first element's index (default 0)
   */
  constructor(storage: Storage, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides ?? contiguousStrides(shape);
    this.offset = offset;
    this.dtype = storage.dtype;
    this.device = storage.device;
    this.size = sizeOf(shape);
    this.#contiguous = strides === undefined || isContiguous(shape, strides);
  }

  /** The number of dims. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Whether gradients are collected for this tensor (set on float32 leaves only). */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(v: boolean) {
    if (v && this.dtype !== "float32") {
      throw new DTypeError(
        `Cannot set requiresGrad: only float32 tensors can require gradients, got ${this.dtype}`,
      );
    }
    if (this._node !== null && !v) {
      throw new AutogradError(
        "Cannot set requiresGrad: only leaves can change it; use detach() for a non-leaf",
      );
    }
    this._requiresGrad = v;
  }

  /** True for tensors not produced by a recorded op. */
  get isLeaf(): boolean {
    return this._node === null;
  }

  /** The name of the op that produced this tensor (null for leaves). */
  get gradFn(): string | null {
    return this._node?.op ?? null;
  }

  /** Whether `retainGrad()` was called on this non-leaf. */
  get retainsGrad(): boolean {
    return this._retainGrad;
  }

  /**
   * Backpropagates from this tensor, accumulating into the `.grad` of leaves.
   *
   * @param gradient dLoss/dThis; required unless this has one element
   * @param opts `retainGraph: true` to allow another backward through the same graph
   * @throws {AutogradError} see `backward` in autograd.ts
   */
  backward(gradient?: Tensor, opts?: BackwardOptions): void {
    backward(this, gradient, opts);
  }

  /**
   * Keeps `.grad` on this non-leaf during backward.
   *
   * @returns this
   * @throws {AutogradError} when the tensor does not require grad
   */
  retainGrad(): this {
    if (!this._requiresGrad) {
      throw new AutogradError("Cannot retain grad: the tensor does not require grad");
    }
    if (this._node !== null) this._retainGrad = true;
    return this;
  }

  /** Drops the accumulated gradient (`grad = null`). */
  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * A tensor sharing storage but cut from the graph.
   *
   * @returns a tensor sharing storage but cut from the graph
   */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset);
  }

  /**
   * Whether a flat loop visits the elements in order.
   *
   * @returns whether a flat loop visits the elements in order
   */
  isContiguous(): boolean {
    return this.#contiguous;
  }

  /**
   * A converted copy, or this when already of that dtype.
   *
   * @param dtype target dtype
   * @returns a converted copy, or this when already of that dtype
   */
  to(dtype: DType): Tensor {
    return ew.cast(this, dtype);
  }
  /**
   * A contiguous copy (differentiable).
   *
   * @returns a contiguous copy (differentiable)
   */
  clone(): Tensor {
    const out = this.contiguousRaw(true);
    if (needsGrad(this)) record(out, "contiguous", [this], [], {});
    return out;
  }
  /**
   * This when contiguous, else a contiguous copy (differentiable).
   *
   * @returns this when contiguous, else a contiguous copy (differentiable)
   */
  contiguous(): Tensor {
    return mv.contiguous(this);
  }

  // ---- elementwise (see ops/elementwise.ts) ----
  /**
   * This + o.
   *
   * @param o tensor or scalar
   * @returns this + o
   */
  add(o: ew.Operand): Tensor {
    return ew.add(this, o);
  }
  /**
   * This - o.
   *
   * @param o tensor or scalar
   * @returns this - o
   */
  sub(o: ew.Operand): Tensor {
    return ew.sub(this, o);
  }
  /**
   * This * o.
   *
   * @param o tensor or scalar
   * @returns this * o
   */
  mul(o: ew.Operand): Tensor {
    return ew.mul(this, o);
  }
  /**
   * This / o (float32).
   *
   * @param o tensor or scalar
   * @returns this / o (float32)
   */
  div(o: ew.Operand): Tensor {
    return ew.div(this, o);
  }
  /**
   * This ** o.
   *
   * @param o exponent
   * @returns this ** o
   */
  pow(o: ew.Operand): Tensor {
    return ew.pow(this, o);
  }
  /**
   * Elementwise max.
   *
   * @param o tensor or scalar
   * @returns elementwise max
   */
  maximum(o: ew.Operand): Tensor {
    return ew.maximum(this, o);
  }
  /**
   * Elementwise min.
   *
   * @param o tensor or scalar
   * @returns elementwise min
   */
  minimum(o: ew.Operand): Tensor {
    return ew.minimum(this, o);
  }
  /**
   * -this.
   *
   * @returns -this
   */
  neg(): Tensor {
    return ew.neg(this);
  }
  /**
   * E^this.
   *
   * @returns e^this
   */
  exp(): Tensor {
    return ew.exp(this);
  }
  /**
   * Ln this.
   *
   * @returns ln this
   */
  log(): Tensor {
    return ew.log(this);
  }
  /**
   * √this.
   *
   * @returns √this
   */
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  /**
   * |this|.
   *
   * @returns |this|
   */
  abs(): Tensor {
    return ew.abs(this);
  }
  /**
   * Tanh this.
   *
   * @returns tanh this
   */
  tanh(): Tensor {
    return ew.tanh(this);
  }
  /**
   * Max(this, 0).
   *
   * @returns max(this, 0)
   */
  relu(): Tensor {
    return ew.relu(this);
  }
  /**
   * Σ(this).
   *
   * @returns σ(this)
   */
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  /**
   * GELU of this.
   *
   * @param opts `approximate: "tanh"` for the tanh form
   * @returns GELU of this
   */
  gelu(opts?: { approximate?: "none" | "tanh" }): Tensor {
    return ew.gelu(this, opts);
  }
  /**
   * This clamped.
   *
   * @param min lower bound
   * @param max upper bound
   * @returns this clamped
   */
  clamp(min?: number | null, max?: number | null): Tensor {
    return ew.clamp(this, min, max);
  }
  /**
   * Bool this == o.
   *
   * @param o tensor or scalar
   * @returns bool this == o
   */
  eq(o: ew.Operand): Tensor {
    return ew.compare("eq", this, o);
  }
  /**
   * Bool this != o.
   *
   * @param o tensor or scalar
   * @returns bool this != o
   */
  ne(o: ew.Operand): Tensor {
    return ew.compare("ne", this, o);
  }
  /**
   * Bool this < o.
   *
   * @param o tensor or scalar
   * @returns bool this < o
   */
  lt(o: ew.Operand): Tensor {
    return ew.compare("lt", this, o);
  }
  /**
   * Bool this <= o.
   *
   * @param o tensor or scalar
   * @returns bool this <= o
   */
  le(o: ew.Operand): Tensor {
    return ew.compare("le", this, o);
  }
  /**
   * Bool this > o.
   *
   * @param o tensor or scalar
   * @returns bool this > o
   */
  gt(o: ew.Operand): Tensor {
    return ew.compare("gt", this, o);
  }
  /**
   * Bool this >= o.
   *
   * @param o tensor or scalar
   * @returns bool this >= o
   */
  ge(o: ew.Operand): Tensor {
    return ew.compare("ge", this, o);
  }

  // ---- reductions (see ops/reduce.ts) ----
  /**
   * The sum.
   *
   * @param dim dim(s), all when omitted
   * @param opts keepdim
   * @returns the sum
   */
  sum(dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return rd.sum(this, dim, opts);
  }
  /**
   * The mean.
   *
   * @param dim dim(s), all when omitted
   * @param opts keepdim
   * @returns the mean
   */
  mean(dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return rd.mean(this, dim, opts);
  }
  /** The max over all elements (0-d) or along `dim` (values and indices). @param dim the dim @param opts keepdim @returns the max */
  max(): Tensor;
  /**
   * The max along `dim`, with the indices where it occurs.
   *
   * @param dim the dim
   * @param opts keepdim
   * @returns values and int32 indices
   */
  max(dim: number, opts?: rd.ReduceOptions): rd.ValuesIndices;
  max(dim?: number, opts?: rd.ReduceOptions): Tensor | rd.ValuesIndices {
    return rd.max(this, dim, opts);
  }
  /** The min over all elements (0-d) or along `dim` (values and indices). @param dim the dim @param opts keepdim @returns the min */
  min(): Tensor;
  /**
   * The min along `dim`, with the indices where it occurs.
   *
   * @param dim the dim
   * @param opts keepdim
   * @returns values and int32 indices
   */
  min(dim: number, opts?: rd.ReduceOptions): rd.ValuesIndices;
  min(dim?: number, opts?: rd.ReduceOptions): Tensor | rd.ValuesIndices {
    return rd.min(this, dim, opts);
  }
  /**
   * Int32 indices of the max.
   *
   * @param dim the dim, flattened when omitted
   * @param opts keepdim
   * @returns int32 indices of the max
   */
  argmax(dim?: number, opts?: rd.ReduceOptions): Tensor {
    return rd.argExtreme(this, dim, opts, "max");
  }
  /**
   * Int32 indices of the min.
   *
   * @param dim the dim, flattened when omitted
   * @param opts keepdim
   * @returns int32 indices of the min
   */
  argmin(dim?: number, opts?: rd.ReduceOptions): Tensor {
    return rd.argExtreme(this, dim, opts, "min");
  }
  /**
   * The variance.
   *
   * @param dim dim(s) or options
   * @param opts unbiased (default true), keepdim
   * @returns the variance
   */
  var(dim?: number | readonly number[] | rd.VarOptions, opts?: rd.VarOptions): Tensor {
    return typeof dim === "object" && !Array.isArray(dim)
      ? rd.variance(this, undefined, dim as rd.VarOptions)
      : rd.variance(this, dim as number | readonly number[] | undefined, opts);
  }
  /**
   * The standard deviation.
   *
   * @param dim dim(s) or options
   * @param opts unbiased (default true), keepdim
   * @returns the standard deviation
   */
  std(dim?: number | readonly number[] | rd.VarOptions, opts?: rd.VarOptions): Tensor {
    return this.var(dim, opts).sqrt();
  }
  /**
   * Log Σ exp.
   *
   * @param dim dim(s), all when omitted
   * @param opts keepdim
   * @returns log Σ exp
   */
  logsumexp(dim?: number | readonly number[], opts?: rd.ReduceOptions): Tensor {
    return rd.logsumexp(this, dim, opts);
  }

  // ---- linear algebra ----
  /**
   * This · o with PyTorch's matmul rules.
   *
   * @param o right operand
   * @returns this · o with PyTorch's matmul rules
   */
  matmul(o: Tensor): Tensor {
    return matmul(this, o);
  }
  /**
   * The transpose of a ≤2-d tensor.
   *
   * @returns the transpose of a ≤2-d tensor
   * @throws {ShapeError} for more dims
   */
  t(): Tensor {
    if (this.ndim > 2) {
      throw new ShapeError(
        `t: expects a tensor with <= 2 dims, got shape ${
          formatShape(this.shape)
        }; use mT or transpose()`,
      );
    }
    return this.ndim < 2 ? this : mv.transpose(this, 0, 1);
  }
  /** The last two dims swapped (a view). @throws {ShapeError} for fewer than 2 dims */
  get mT(): Tensor {
    if (this.ndim < 2) {
      throw new ShapeError(`mT: expects at least 2 dims, got shape ${formatShape(this.shape)}`);
    }
    return mv.transpose(this, -2, -1);
  }

  // ---- shape and views (see ops/movement.ts) ----
  /**
   * A view or copy.
   *
   * @param shape new dims (one may be -1), as arguments or one array
   * @returns a view or copy
   */
  reshape(...shape: ShapeArgs): Tensor {
    return mv.reshape(this, shapeOf(shape));
  }
  /**
   * A view.
   *
   * @param shape new dims (one may be -1)
   * @returns a view
   * @throws {ShapeError} when not viewable
   */
  view(...shape: ShapeArgs): Tensor {
    return mv.reshape(this, shapeOf(shape), "view");
  }
  /**
   * The view with them swapped.
   *
   * @param d0 a dim
   * @param d1 another dim
   * @returns the view with them swapped
   */
  transpose(d0: number, d1: number): Tensor {
    return mv.transpose(this, d0, d1);
  }
  /**
   * The permuted view.
   *
   * @param dims a permutation of the dims
   * @returns the permuted view
   */
  permute(...dims: ShapeArgs): Tensor {
    return mv.permute(this, shapeOf(dims));
  }
  /**
   * A broadcast view.
   *
   * @param sizes target dims (-1 keeps)
   * @returns a broadcast view
   */
  expand(...sizes: ShapeArgs): Tensor {
    return mv.expand(this, shapeOf(sizes));
  }
  /**
   * The view.
   *
   * @param dim a size-1 dim to drop (all size-1 dims when omitted)
   * @returns the view
   */
  squeeze(dim?: number): Tensor {
    if (dim === undefined) return mv.reshape(this, this.shape.filter((d) => d !== 1), "squeeze");
    const d = normalizeDim("squeeze", dim, this.ndim);
    if (this.ndim === 0 || this.shape[d] !== 1) return this;
    return mv.reshape(this, this.shape.filter((_, i) => i !== d), "squeeze");
  }
  /**
   * The view.
   *
   * @param dim where the new size-1 dim goes
   * @returns the view
   */
  unsqueeze(dim: number): Tensor {
    const d = normalizeDim("unsqueeze", dim, this.ndim + 1);
    const s = this.shape.slice();
    s.splice(d, 0, 1);
    return mv.reshape(this, s, "unsqueeze");
  }
  /**
   * The flattened tensor.
   *
   * @param start first dim to merge
   * @param end last dim to merge
   * @returns the flattened tensor
   */
  flatten(start = 0, end = -1): Tensor {
    if (this.ndim === 0) return mv.reshape(this, [1], "flatten");
    const a = normalizeDim("flatten", start, this.ndim),
      b = normalizeDim("flatten", end, this.ndim);
    const s = [
      ...this.shape.slice(0, a),
      sizeOf(this.shape.slice(a, b + 1)),
      ...this.shape.slice(b + 1),
    ];
    return mv.reshape(this, a > b ? this.shape : s, "flatten");
  }
  /**
   * The view.
   *
   * @param dim the dim
   * @param start first index
   * @param stop exclusive end
   * @param step stride
   * @returns the view
   */
  slice(dim: number, start?: number, stop?: number, step = 1): Tensor {
    return mv.slice(this, dim, start, stop, step);
  }
  /**
   * The pieces (views).
   *
   * @param sizes piece size or sizes
   * @param dim the dim
   * @returns the pieces (views)
   */
  split(sizes: number | readonly number[], dim = 0): Tensor[] {
    return mv.split(this, sizes, dim);
  }
  /**
   * The pieces (views).
   *
   * @param chunks how many pieces
   * @param dim the dim
   * @returns the pieces (views)
   */
  chunk(chunks: number, dim = 0): Tensor[] {
    return mv.chunk(this, chunks, dim);
  }

  // ---- in place (see ops/inplace.ts); only outside recording or on tensors without grad ----
  /**
   * This, updated.
   *
   * @param o tensor or scalar
   * @param opts alpha scales o
   * @returns this, updated
   */
  add_(o: ew.Operand, opts?: { alpha?: number }): this {
    return binaryInPlace("add", this, o, opts?.alpha) as this;
  }
  /**
   * This, updated.
   *
   * @param o tensor or scalar
   * @param opts alpha scales o
   * @returns this, updated
   */
  sub_(o: ew.Operand, opts?: { alpha?: number }): this {
    return binaryInPlace("sub", this, o, opts?.alpha) as this;
  }
  /**
   * This, updated.
   *
   * @param o tensor or scalar
   * @returns this, updated
   */
  mul_(o: ew.Operand): this {
    return binaryInPlace("mul", this, o) as this;
  }
  /**
   * This, updated.
   *
   * @param o tensor or scalar
   * @returns this, updated
   */
  div_(o: ew.Operand): this {
    return binaryInPlace("div", this, o) as this;
  }
  /**
   * This, filled.
   *
   * @param v the value
   * @returns this, filled
   */
  fill_(v: number | boolean): this {
    return fillInPlace(this, v) as this;
  }
  /**
   * This, zeroed.
   *
   * @returns this, zeroed
   */
  zero_(): this {
    return fillInPlace(this, 0) as this;
  }
  /**
   * This, overwritten.
   *
   * @param src values (broadcast, cast)
   * @returns this, overwritten
   */
  copy_(src: Tensor): this {
    return copyInPlace(this, src) as this;
  }

  // ---- readback ----
  /**
   * A contiguous copy of the elements.
   *
   * @returns a contiguous copy of the elements
   */
  data(): Promise<TypedArray> {
    return backendFor(this.device).read(this);
  }
  /**
   * The single element.
   *
   * @returns the single element
   * @throws {ShapeError} when size is not 1
   */
  async item(): Promise<number> {
    this.#checkItem();
    return (await this.data())[0];
  }
  /**
   * Nested arrays (booleans for bool tensors).
   *
   * @returns nested arrays (booleans for bool tensors)
   */
  async toArray(): Promise<NestedValues> {
    return nest(await this.data(), this.shape, this.dtype);
  }
  /**
   * A contiguous copy of the elements (CPU only).
   *
   * @returns a contiguous copy of the elements (CPU only)
   */
  dataSync(): TypedArray {
    return backendFor(this.device).readSync(this);
  }
  /**
   * The single element (CPU only).
   *
   * @returns the single element (CPU only)
   * @throws {ShapeError} when size is not 1
   */
  itemSync(): number {
    this.#checkItem();
    return this.dataSync()[0];
  }
  /**
   * Nested arrays (CPU only).
   *
   * @returns nested arrays (CPU only)
   */
  toArraySync(): NestedValues {
    return nest(this.dataSync(), this.shape, this.dtype);
  }
  #checkItem(): void {
    if (this.size !== 1) {
      throw new ShapeError(
        `item: only one-element tensors can be converted to a number, got shape ${
          formatShape(this.shape)
        }`,
      );
    }
  }
  /**
   * PyTorch-style printout.
   *
   * @returns PyTorch-style printout
   */
  toString(): string {
    const extras: string[] = [];
    if (this.dtype === "int32" && this.size === 0) extras.push("dtype=int32");
    if (this._node !== null) {
      const op = this._node.op;
      extras.push(`grad_fn=<${op[0].toUpperCase()}${op.slice(1)}Backward>`);
    } else if (this._requiresGrad) extras.push("requires_grad=True");
    return formatTensor(this.dataSync(), this.shape, this.dtype, extras);
  }
  /**
   * See the op function.
   *
   * @ignore Deno's console.log hook
   */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  // ---- raw helpers for ops (no autograd recording) ----
  /**
   * A contiguous tensor.
   *
   * @ignore
   * @param force copy even when contiguous
   * @returns a contiguous tensor
   */
  contiguousRaw(force = false): Tensor {
    if (this.#contiguous && !force) return this;
    const out = empty(this.shape, this.dtype, this.device);
    backendFor(this.device).unary("copy", this, out);
    return out;
  }
  /**
   * A contiguous view (this must be contiguous).
   *
   * @ignore
   * @param shape dims of equal size
   * @returns a contiguous view (this must be contiguous)
   */
  viewRaw(shape: readonly number[]): Tensor {
    return new Tensor(this.storage, shape, undefined, this.offset);
  }
  /**
   * A view of `len` elements from `start` along `dim`.
   *
   * @ignore
   * @returns a view of `len` elements from `start` along `dim`
   */
  sliceRaw(dim: number, start: number, len: number, step = 1): Tensor {
    const strides = this.strides.slice(), shape = this.shape.slice();
    shape[dim] = len;
    strides[dim] *= step;
    return new Tensor(this.storage, shape, strides, this.offset + start * this.strides[dim]);
  }
  /**
   * A broadcast view (shapes already checked).
   *
   * @ignore
   * @returns a broadcast view (shapes already checked)
   */
  expandRaw(shape: readonly number[]): Tensor {
    return new Tensor(
      this.storage,
      shape,
      broadcastStrides(this.shape, this.strides, shape),
      this.offset,
    );
  }
}
