/**
 * A bump allocator for the CPU backend's mid-sized buffers: typed arrays are
 * carved out of shared 64 KiB `ArrayBuffer` slabs instead of each getting
 * its own. A fresh `ArrayBuffer` costs V8 an off-heap allocation, zeroing
 * and bookkeeping for the garbage collector (about 1 µs for 25 KiB, most of
 * a small elementwise op); a view on a slab costs an object. Slab memory is
 * zero when the slab is made and never handed out twice, so arrays come out
 * zero-filled.
 *
 * The price: a slab is freed by the garbage collector only once no array on
 * it is reachable, so a long-lived array keeps its whole slab alive. Only
 * arrays up to 16 KiB (a quarter of a slab) come from slabs, and slabs stay
 * below glibc's default mmap threshold (128 KiB, which a 128 KiB slab plus
 * malloc's header passed: each slab was an mmap, then page faults; the makemore
 * MLP step ran about 20% faster with 64 KiB slabs). Measured with 128 KiB slabs: a loop that keeps
 * every tenth loss tensor of the makemore MLP (and with it that step's
 * graph) holds about 270 KB per kept loss instead of 100 KB.
 *
 * @module
 */

import type { DType, TypedArray } from "../dtype.ts";

/** Bytes per slab. */
const SLAB_BYTES = 1 << 16;
/** Arrays up to this many bytes come from slabs; larger ones get their own buffer. */
export const SLAB_MAX_BYTES: number = SLAB_BYTES / 4;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/**
 * A zero-filled array of `n` elements of `dtype` on the current slab (a new
 * slab when it is full), 16-byte aligned.
 *
 * @param dtype the element type
 * @param n the element count; `n` times the element size must be at most {@link SLAB_MAX_BYTES}
 * @returns a typed array viewing part of a slab
 * @throws {RangeError} when the array would not fit in {@link SLAB_MAX_BYTES}
 * @example
 * ```ts
 * import { equal, ok, throws } from "node:assert/strict";
 * import { slabArray } from "./slab.ts";
 * const a = slabArray("float32", 100), b = slabArray("int32", 3);
 * ok(a instanceof Float32Array && a.every((v) => v === 0));
 * equal(a.buffer, b.buffer); // one slab
 * throws(() => slabArray("float32", 1 << 20), {
 *   name: "RangeError",
 *   message: "Cannot allocate from a slab: 4194304 bytes exceed 16384",
 * });
 * ```
 */
export function slabArray(dtype: DType, n: number): TypedArray {
  const bytes = dtype === "bool" ? n : 4 * n;
  if (bytes > SLAB_MAX_BYTES) {
    throw new RangeError(
      `Cannot allocate from a slab: ${bytes} bytes exceed ${SLAB_MAX_BYTES}`,
    );
  }
  if (used + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const at = used;
  used += (bytes + 15) & ~15;
  switch (dtype) {
    case "float32":
      return new Float32Array(slab, at, n);
    case "int32":
      return new Int32Array(slab, at, n);
    case "bool":
      return new Uint8Array(slab, at, n);
    default:
      return dtype satisfies never;
  }
}
