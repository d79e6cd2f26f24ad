/**
 * The CPU backend: storages are TypedArrays; kernels are plain loops and WebAssembly SIMD
 * (`elementwise.ts`, `reduce.ts`, `matmul.ts`; the indexing and fused nn kernels are wired in
 * `backend_nn.ts`). It implements every `Backend` method: the ops never branch on the device.
 *
 * @module
 */

import type { Backend, MatmulSpec, ReduceKernel, Storage, StridedView } from "../backend.ts";
import { allocArray, type DType, dtypeOfArray, type TypedArray } from "../dtype.ts";
import { collapse, forEachRow, runAxpy, runBinary, runUnary, runWhere } from "./elementwise.ts";
import { batchedMatmulF32 } from "./matmul_dispatch.ts";
import { reduceBlock } from "./reduce.ts";
import { SLAB_MAX_BYTES, slabArray } from "./slab.ts";
import { contiguousStrides, sizeOf } from "../shape.ts";
import { cpuNnMethods } from "./backend_nn.ts";
import { cpuScanSortMethods } from "./backend_scan_sort.ts";

let serialCounter = 0;

/**
 * A CPU buffer: a typed array plus the version counter autograd checks.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CpuStorage } from "./backend.ts";
 * const s = new CpuStorage(new Float32Array(3), "float32");
 * equal(s.length, 3);
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
  /**
   * Wraps a typed array.
   *
   * @param data the elements (owned from now on)
   * @param dtype their dtype
   */
  constructor(readonly data: TypedArray, readonly dtype: DType) {}
  /** The number of elements. */
  get length(): number {
    return this.data.length;
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

// Buffers handed back by autograd, reused while still warm in cache (a fresh
// ArrayBuffer costs an allocation, zeroing, and cold-memory writes).
const POOL_MIN = 64, POOL_PER_SIZE = 4;
const pool = new Map<string, TypedArray[]>();

// Arrays up to 64 bytes live on V8's heap (cheap already); mid-sized ones share slabs.
const ON_HEAP_BYTES = 64;

/** The CPU backend instance. */
export const cpuBackend: Backend = {
  device: "cpu",
  alloc(dtype: DType, length: number): Storage {
    if (length >= POOL_MIN) {
      const reuse = pool.get(dtype + length)?.pop();
      if (reuse !== undefined) {
        reuse.fill(0);
        return new CpuStorage(reuse, dtype);
      }
    }
    const bytes = dtype === "bool" ? length : 4 * length;
    const arr = bytes > ON_HEAP_BYTES && bytes <= SLAB_MAX_BYTES
      ? slabArray(dtype, length)
      : allocArray(dtype, length);
    return new CpuStorage(arr, dtype);
  },
  nextSerial(): number {
    return serialCounter;
  },
  release(s: Storage): void {
    const arr = (s as CpuStorage).data;
    if (arr.length < POOL_MIN) return;
    const key = s.dtype + arr.length;
    let list = pool.get(key);
    if (list === undefined) pool.set(key, list = []);
    if (list.length < POOL_PER_SIZE) list.push(arr);
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
    batchedMatmulF32(ad, bd, data(out) as Float32Array, out.offset, spec);
  },
  ...cpuNnMethods,
  ...cpuScanSortMethods,
};
