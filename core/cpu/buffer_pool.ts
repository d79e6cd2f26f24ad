/**
 * The CPU backend's pool of freed arrays, keyed by dtype and length: a training step's
 * intermediates, freed by `tidy`, `dispose`, backward (the internal tensors it saved, and
 * gradient buffers it is done with) and `zeroGrad`, come back as the next step's outputs
 * instead of fresh allocations. A fresh 1.5 MiB Float32Array costs an mmap, zeroing and page
 * faults on first touch (for an elementwise op, more than the op itself); a pooled one is
 * warm, and is zero-filled only if a kernel reads it before overwriting it (`CpuStorage`).
 *
 * Only arrays the backend allocated itself enter (never a user's array wrapped by `tensor()`),
 * each at most once per allocation (the storage that held it gives it up: see `CpuStorage`),
 * and the pool holds at most {@link POOL_MAX_BYTES}; beyond that freed arrays are left to the
 * garbage collector.
 *
 * @module
 */

import type { DType, TypedArray } from "../dtype.ts";

/** Arrays shorter than this are not pooled (V8 allocates small ones cheaply). */
export const POOL_MIN_LENGTH = 64;
/** Bytes the pool holds at most. */
export const POOL_MAX_BYTES: number = 256 * 2 ** 20;
/** The largest array pooled: bigger ones (a whole split's activations) go to the GC. */
const POOL_MAX_ARRAY_BYTES = POOL_MAX_BYTES / 4;

const free = new Map<string, TypedArray[]>();
let pooledBytes = 0;

const bytesOf = (arr: TypedArray) => arr.byteLength;
const keyOf = (dtype: DType, length: number) => `${dtype}${length}`;

/**
 * A pooled array of `dtype` and `length`, or undefined when none is free. Its elements are
 * whatever its last user left: the caller zero-fills it, or overwrites it all.
 *
 * @param dtype the element type
 * @param length the element count
 * @returns an array nobody else holds, or undefined
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { poolTake, poolGive } from "./buffer_pool.ts";
 * const a = new Float32Array(1000).fill(3);
 * poolGive("float32", a);
 * equal(poolTake("float32", 1000), a);
 * equal(poolTake("float32", 1000), undefined);
 * ```
 */
export function poolTake(dtype: DType, length: number): TypedArray | undefined {
  if (length < POOL_MIN_LENGTH) return undefined;
  const arr = free.get(keyOf(dtype, length))?.pop();
  if (arr === undefined) return undefined;
  pooledBytes -= bytesOf(arr);
  return arr;
}

/**
 * Gives an array back for reuse. The caller must hold the only reference that will be used
 * again: the array is handed out by a later {@link poolTake}, or, when the pool does not keep
 * it (too big, or the pool full), an array of 1 MiB or more that is its buffer's whole view is
 * detached, its memory freed at once instead of when the garbage collector runs.
 *
 * @param dtype its element type
 * @param arr the array
 */
export function poolGive(dtype: DType, arr: TypedArray): void {
  const bytes = bytesOf(arr);
  if (arr.length < POOL_MIN_LENGTH) return;
  if (bytes > POOL_MAX_ARRAY_BYTES || pooledBytes + bytes > POOL_MAX_BYTES) {
    release(arr);
    return;
  }
  const key = keyOf(dtype, arr.length);
  let list = free.get(key);
  if (list === undefined) free.set(key, list = []);
  list.push(arr);
  pooledBytes += bytes;
}

/** Arrays of at least this many bytes that the pool does not keep are released at once. */
const RELEASE_MIN_BYTES = 2 ** 20;

/**
 * Frees a large array's memory now instead of when the garbage collector gets to it (a split's
 * activations are 100+ MB each): detaching its buffer (`transfer(0)`) releases the memory at
 * once. Only an array that is its buffer's whole view is detached (never one on a shared slab).
 */
function release(arr: TypedArray): void {
  const buf = arr.buffer;
  if (
    arr.byteLength >= RELEASE_MIN_BYTES && buf instanceof ArrayBuffer && arr.byteOffset === 0 &&
    arr.byteLength === buf.byteLength
  ) buf.transfer(0);
}

/**
 * The bytes the pool holds now (for tests and memory reports).
 *
 * @returns the total size of the pooled arrays
 */
export function poolBytes(): number {
  return pooledBytes;
}

/** Empties the pool (the arrays go to the garbage collector). */
export function poolClear(): void {
  free.clear();
  pooledBytes = 0;
}
