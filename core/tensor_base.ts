/**
 * The state every tensor carries, without its ops: a strided view on a
 * backend storage, autograd bookkeeping, readback and printing. `Tensor`
 * (core/tensor.ts) extends it with the op methods. Kept free of op imports so
 * that the class hierarchy loads in any import order.
 *
 * @module
 */

import type { GradNode } from "./autograd.ts";
import type { Storage } from "./backend.ts";
import { backendFor } from "./device.ts";
import type { Device, DType, TypedArray } from "./dtype.ts";
import { AutogradError, DTypeError, formatShape, ShapeError, SyncReadError } from "./errors.ts";
import { formatTensor, nest, type NestedValues } from "./format.ts";
import { disposeReplacedGrad, disposeTensor, isDisposed, markGrad, trackTensor } from "./memory.ts";
import { tensorDisplay } from "./plot/tensor_table.ts";
import { contiguousStrides, isContiguous, shapesEqual, sizeOf } from "./shape.ts";
import { describe } from "./describe.ts";
import type { Tensor } from "./tensor.ts";

/**
 * Layout, autograd state, readback and printing of a tensor; see `Tensor`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { tensor } from "./ops/creation.ts";
 * const t = tensor([[1, 2, 3], [4, 5, 6]]);
 * equal(t.ndim, 2);
 * equal(t.size, 6);
 * equal(t.isLeaf, true);
 * ```
 */
export abstract class TensorBase {
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
  #grad: Tensor | null = null;
  /**
   * dLoss/dThis after `backward()`, for leaves that require grad (and retained non-leaves).
   * Replacing it (or `zeroGrad()`) disposes the previous gradient, so its GPU memory is freed
   * (on the CPU it stays readable, as in PyTorch).
   * A gradient assigned by hand must be a Tensor of this tensor's shape, or null.
   */
  get grad(): Tensor | null {
    return this.#grad;
  }
  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof TensorBase)) {
        throw new TypeError(`grad: must be a Tensor or null, got ${describe(g)}`);
      }
      if (!shapesEqual(g.shape, this.shape)) {
        throw new ShapeError(
          `grad: a gradient of shape ${formatShape(g.shape)} cannot be assigned to a tensor of ` +
            `shape ${formatShape(this.shape)}`,
        );
      }
    }
    const old = this.#grad;
    this.#grad = g;
    if (g !== null) markGrad(g);
    if (old !== null && old !== g && old.storage !== g?.storage) disposeReplacedGrad(old);
  }
  /** @ignore autograd state: whether gradients flow to/through this tensor. */
  _requiresGrad = false;
  /** @ignore autograd state: the op that made this tensor, null for leaves. */
  _node: GradNode | null = null;
  /** @ignore autograd state: keep `.grad` on this non-leaf. */
  _retainGrad = false;
  /** @ignore autograd state: gradient being summed during backward. */
  _pending: Tensor | null = null;
  /** @ignore autograd state: traversal stamp. */
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
    trackTensor(this);
  }

  /**
   * Frees this tensor now (idempotent): on WebGPU its buffer goes back to the pool once no
   * other tensor views it. Using a disposed webgpu tensor throws.
   */
  dispose(): void {
    disposeTensor(this);
  }
  /** `using t = ...` disposes `t` at the end of the block. */
  [Symbol.dispose](): void {
    disposeTensor(this);
  }
  /** Whether `dispose()` was called. */
  get isDisposed(): boolean {
    return isDisposed(this);
  }

  /** The number of dims. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The number of elements (PyTorch's `numel()`; also the `size` field). @returns the count */
  numel(): number {
    return this.size;
  }

  /** Whether gradients are collected for this tensor (settable on float32 leaves only). */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(v: boolean) {
    if (typeof v !== "boolean") {
      throw new TypeError(`requiresGrad: must be true or false, got ${describe(v)}`);
    }
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
   * Keeps `.grad` on this non-leaf during backward (a no-op on leaves).
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

  /** Drops (and disposes) the accumulated gradient (`grad = null`, as PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    this.grad = null;
  }

  /** Whether a flat loop visits the elements in order. @returns true for row-major layouts */
  isContiguous(): boolean {
    return this.#contiguous;
  }

  /** A contiguous copy of the elements, on any device. @returns a typed array */
  data(): Promise<TypedArray> {
    return backendFor(this.device).read(this);
  }
  /** The single element. @returns a number @throws {ShapeError} when size is not 1 */
  async item(): Promise<number> {
    this.#checkItem();
    return (await this.data())[0];
  }
  /** The elements as nested arrays (booleans for bool tensors). @returns nested arrays */
  async toArray(): Promise<NestedValues> {
    return nest(await this.data(), this.shape, this.dtype);
  }
  /** A contiguous copy of the elements (CPU only). @returns a typed array */
  dataSync(): TypedArray {
    return backendFor(this.device).readSync(this);
  }
  /** The single element (CPU only). @returns a number @throws {ShapeError} when size is not 1 */
  itemSync(): number {
    this.#checkItem();
    return this.dataSync()[0];
  }
  /** The elements as nested arrays (CPU only). @returns nested arrays */
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

  /** A printout like PyTorch's. @returns e.g. `tensor([1., 2.], requires_grad=True)` */
  toString(): string {
    const extras: string[] = [];
    if (this.dtype === "int32" && this.size === 0) extras.push("dtype=int32");
    if (this._node !== null) {
      const op = this._node.op;
      extras.push(`grad_fn=<${op[0].toUpperCase()}${op.slice(1)}Backward>`);
    } else if (this._requiresGrad) extras.push("requires_grad=True");
    let values: TypedArray;
    try {
      values = this.dataSync();
    } catch (e) {
      if (!(e instanceof SyncReadError)) throw e;
      // No synchronous readback on this device: describe instead of printing values.
      const what = [`shape=${formatShape(this.shape)}`, `dtype=${this.dtype}`, ...extras];
      return `tensor(<${this.device}: await t.toArray() to read>, ${what.join(", ")})`;
    }
    return formatTensor(values, this.shape, this.dtype, extras);
  }
  /** @ignore Deno's console.log hook */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
  /** @ignore `deno jupyter`'s rich display: a table for small 1-d/2-d tensors, else the printout */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return tensorDisplay(this);
  }
}
