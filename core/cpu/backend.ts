/**
 * The CPU backend: storages are TypedArrays; kernels are plain loops and WebAssembly SIMD
 * (`elementwise.ts`, `reduce.ts`, `matmul.ts`; the indexing and fused nn kernels are wired in
 * `backend_nn.ts`). It implements every `Backend` method: the ops never branch on the device.
 *
 * @module
 */

import { runWhere } from "./where.ts";
import type { Backend, MatmulSpec, ReduceKernel, Storage, StridedView } from "../backend.ts";
import { allocArray, type DType, dtypeOfArray, type TypedArray } from "../dtype.ts";
import { collapse, forEachRow, overwritten, runAxpy, runBinary, runUnary } from "./elementwise.ts";
import { batchedMatmulF32 } from "./matmul_dispatch.ts";
import { reduceBlock } from "./reduce.ts";
import { SLAB_MAX_BYTES, slabArray } from "./slab.ts";
import { poolGive, poolTake } from "./buffer_pool.ts";
import { contiguousStrides, sizeOf } from "../shape.ts";
import { cpuNnMethods } from "./backend_nn.ts";
import { cpuScanSortMethods } from "./backend_scan_sort.ts";

let serialCounter = 0;

/**
 * A CPU buffer: a typed array plus the version counter autograd checks, and the count of
 * tensors viewing it (core/memory.ts keeps it). Once the last of them is disposed (or autograd
 * releases it) the storage is freed: an array the backend allocated goes back to the pool
 * (buffer_pool.ts), and using the storage again throws, as a disposed WebGPU tensor does.
 *
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { CpuStorage } from "./backend.ts";
 * const s = new CpuStorage(new Float32Array(3), "float32");
 * equal(s.length, 3);
 * s.free();
 * throws(() => s.data, { message: "Cannot use a cpu tensor of 3 elements: it was disposed" });
 * ```
 */
export class CpuStorage implements Storage {
  /** Always `"cpu"`. */
  readonly device = "cpu" as const;
  /** Bumped by in-place writes. */
  version = 0;
  /** Set once this buffer is some tensor's `.grad`. */
  heldAsGrad = false;
  /** Allocation order. */
  readonly serial = serialCounter++;
  /** Tensors wrapping this storage and not yet disposed (see core/memory.ts). */
  refs = 0;
  /** A replaced `.grad` stays readable, as in PyTorch (the garbage collector frees it). */
  readonly freesReplacedGrad = false;
  /** The number of elements. */
  readonly length: number;
  #data: TypedArray | null;
  readonly #pooled: boolean;
  #zeroPending: boolean;
  /**
   * Wraps a typed array.
   *
   * @param data the elements (owned from now on)
   * @param dtype their dtype
   * @param pooled whether the array goes back to the backend's pool when freed (only for
   * arrays the backend allocated: never a user's)
   * @param zeroPending the array (a reused one) still has to be zero-filled before it is read
   */
  constructor(data: TypedArray, readonly dtype: DType, pooled = false, zeroPending = false) {
    this.#data = data;
    this.length = data.length;
    this.#pooled = pooled;
    this.#zeroPending = zeroPending;
  }
  /**
   * The elements (zero-filled first if the storage still owes it).
   *
   * @throws {TypeError} once freed
   */
  get data(): TypedArray {
    const d = this.#live();
    if (this.#zeroPending) {
      d.fill(0);
      this.#zeroPending = false;
    }
    return d;
  }
  /**
   * The elements for a kernel that writes every one of them before it reads any: a reused
   * array skips the zero-fill it owes. Fetch the inputs' `data` first (an input may be this
   * storage).
   *
   * @returns the typed array
   * @throws {TypeError} once freed
   */
  dataToOverwrite(): TypedArray {
    const d = this.#live();
    this.#zeroPending = false;
    return d;
  }
  #live(): TypedArray {
    if (this.#data === null) {
      throw new TypeError(`Cannot use a cpu tensor of ${this.length} elements: it was disposed`);
    }
    return this.#data;
  }
  /** Whether the storage was freed. */
  get freed(): boolean {
    return this.#data === null;
  }
  /** Frees the storage (idempotent); a pooled array goes back to the pool. */
  free(): void {
    const arr = this.#data;
    if (arr === null) return;
    this.#data = null;
    if (this.#pooled) poolGive(this.dtype, arr);
  }
}

function data(v: StridedView): TypedArray {
  return (v.storage as CpuStorage).data;
}

function readSync(v: StridedView): TypedArray {
  const src = data(v);
  const n = sizeOf(v.shape);
  const out = allocArray(v.storage.dtype, n);
  if (n === 0) return out;
  const { shape, strides } = collapse(v.shape, [v.strides]);
  if (shape.length === 1 && strides[0][0] === 1) {
    out.set(src.subarray(v.offset, v.offset + n));
    return out;
  }
  runUnary("copy", v, {
    storage: new CpuStorage(out, v.storage.dtype),
    shape: v.shape,
    strides: contiguousStrides(v.shape),
    offset: 0,
  });
  return out;
}

// Arrays up to 64 bytes live on V8's heap (cheap already); mid-sized ones share slabs.
const ON_HEAP_BYTES = 64;

/** The CPU backend instance. */
export const cpuBackend: Backend = {
  device: "cpu",
  alloc(dtype: DType, length: number): Storage {
    const reuse = poolTake(dtype, length);
    if (reuse !== undefined) return new CpuStorage(reuse, dtype, true, true);
    const bytes = dtype === "bool" ? length : 4 * length;
    const arr = bytes > ON_HEAP_BYTES && bytes <= SLAB_MAX_BYTES
      ? slabArray(dtype, length)
      : allocArray(dtype, length);
    return new CpuStorage(arr, dtype, true);
  },
  nextSerial(): number {
    return serialCounter;
  },
  release(s: Storage): void {
    (s as CpuStorage).free();
  },
  upload(arr: TypedArray): Storage {
    return new CpuStorage(arr, dtypeOfArray(arr)!);
  },
  readSync,
  read(v: StridedView): Promise<TypedArray> {
    return Promise.resolve(readSync(v));
  },
  fill(out: StridedView, value: number): void {
    const od = data(out);
    if (sizeOf(out.shape) === 0) return;
    const { shape, strides } = collapse(out.shape, [out.strides]);
    const s = strides[0][shape.length - 1];
    forEachRow(shape, strides, [out.offset], (o, n) => {
      if (s === 1) od.fill(value, o[0], o[0] + n);
      else for (let i = 0; i < n; i++) od[o[0] + i * s] = value;
    });
  },
  unary(op, x, out): void {
    if (sizeOf(out.shape) !== 0) runUnary(op, x, out);
  },
  binary(op, a, b, out): void {
    if (sizeOf(out.shape) !== 0) runBinary(op, a, b, out);
  },
  where(c, a, b, out): void {
    if (sizeOf(out.shape) !== 0) runWhere(c, a, b, out);
  },
  reduce(
    op: ReduceKernel,
    x: StridedView,
    outer: number,
    n: number,
    inner: number,
    out: StridedView,
    indices: StridedView | null,
  ): void {
    reduceBlock(
      op,
      data(x),
      x.offset,
      outer,
      n,
      inner,
      data(out),
      indices === null ? null : data(indices) as Int32Array,
    );
  },
  axpy(out: StridedView, alpha: number, x: StridedView): void {
    if (sizeOf(out.shape) !== 0) runAxpy(out, alpha, x);
  },
  matmul(a: StridedView, b: StridedView, out: StridedView, spec: MatmulSpec): void {
    const ad = data(a) as Float32Array, bd = data(b) as Float32Array;
    const od = (spec.k > 0 ? overwritten(out) : data(out)) as Float32Array;
    batchedMatmulF32(ad, bd, od, out.offset, spec);
  },
  ...cpuNnMethods,
  ...cpuScanSortMethods,
};
