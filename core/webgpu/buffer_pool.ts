/**
 * A size-bucketed pool of GPU buffers with live-buffer and live-byte counters.
 *
 * @module
 */

/** Counters of a {@linkcode BufferPool}. */
export interface BufferPoolStats {
  /** Buffers handed out and not yet released. */
  liveBuffers: number;
  /** Bytes (bucket sizes) of the buffers handed out and not yet released. */
  liveBytes: number;
  /** Buffers released and waiting in the pool. */
  pooledBuffers: number;
  /** Bytes of those. */
  pooledBytes: number;
  /** GPU buffers ever created by this pool and not destroyed. */
  createdBuffers: number;
}

/**
 * The bucket a request of `byteLength` bytes is served from: at least 256
 * bytes, then four buckets per power of two (2^k·{1, 1.25, 1.5, 1.75}), so at
 * most 25% is wasted.
 *
 * @param byteLength requested size in bytes
 * @returns the bucket size in bytes, a multiple of 16
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { bucketSize } from "./buffer_pool.ts";
 * equal(bucketSize(1), 256);
 * equal(bucketSize(1024), 1024);
 * equal(bucketSize(1025), 1280);
 * equal(bucketSize(1700), 1792);
 * ```
 */
export function bucketSize(byteLength: number): number {
  if (byteLength <= 256) return 256;
  const octave = 2 ** Math.floor(Math.log2(byteLength));
  const step = octave / 4;
  return Math.ceil(byteLength / step) * step;
}

/**
 * Reuses GPU buffers by bucketed size. A released buffer may be handed out
 * again at once: dispatches recorded later in the same encoder run after the
 * earlier ones, and the executor submits pending work before any
 * `queue.writeBuffer`. A bucket hands out its oldest free buffer, so which
 * buffer a request gets depends only on which are free, not on the order they
 * were released in: a training loop gets the same buffers for the same tensors
 * step after step, and the executor's cached bind groups keep matching.
 */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #usage: GPUBufferUsageFlags;
  /** Free buffers per bucket size, newest first (the oldest is popped). */
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly #age = new WeakMap<GPUBuffer, number>();
  readonly #live = new Set<GPUBuffer>();
  #liveBytes = 0;
  #pooledBuffers = 0;
  #pooledBytes = 0;
  #created = 0;
  #serial = 0;

  readonly #maxSize: number;

  /**
   * @param device the device buffers are created on
   * @param usage buffer usage flags of every buffer of this pool
   * @param maxSize the largest buffer to create (a bucket above it is cut down to it)
   */
  constructor(device: GPUDevice, usage: GPUBufferUsageFlags, maxSize = Infinity) {
    this.#device = device;
    this.#usage = usage;
    this.#maxSize = maxSize;
  }

  /**
   * A buffer of at least `byteLength` bytes (its `size` is the bucket size).
   *
   * @param byteLength bytes needed
   * @returns a pooled or new buffer
   * @throws {RangeError} when byteLength is negative or not an integer
   */
  acquire(byteLength: number): GPUBuffer {
    if (!Number.isInteger(byteLength) || byteLength < 0) {
      throw new RangeError(`Cannot allocate a GPU buffer: byteLength ${byteLength} is invalid`);
    }
    const size = Math.max(byteLength, Math.min(bucketSize(byteLength), this.#maxSize));
    const list = this.#free.get(size);
    let buffer = list?.pop();
    if (buffer !== undefined) {
      this.#pooledBuffers--;
      this.#pooledBytes -= size;
    } else {
      buffer = this.#device.createBuffer({ size, usage: this.#usage });
      this.#created++;
      this.#age.set(buffer, this.#serial++);
    }
    this.#live.add(buffer);
    this.#liveBytes += size;
    return buffer;
  }

  /**
   * Gives a buffer back to the pool.
   *
   * @param buffer a buffer from {@linkcode acquire}
   * @throws {RangeError} when the buffer is not live in this pool (double release)
   */
  release(buffer: GPUBuffer): void {
    if (!this.#live.delete(buffer)) {
      throw new RangeError(
        `Cannot release GPU buffer of ${buffer.size} bytes: it is not live in this pool`,
      );
    }
    this.#liveBytes -= buffer.size;
    const list = this.#free.get(buffer.size);
    if (list === undefined) this.#free.set(buffer.size, [buffer]);
    else {
      const age = this.#age.get(buffer)!;
      let lo = 0, hi = list.length; // first index whose buffer is older than this one
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.#age.get(list[mid])! > age) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, buffer);
    }
    this.#pooledBuffers++;
    this.#pooledBytes += buffer.size;
  }

  /** Destroys the pooled (not the live) buffers, returning their memory to the driver. */
  trim(): void {
    for (const list of this.#free.values()) {
      for (const b of list) b.destroy();
      this.#created -= list.length;
    }
    this.#free.clear();
    this.#pooledBuffers = 0;
    this.#pooledBytes = 0;
  }

  /** Current counters. */
  get stats(): BufferPoolStats {
    return {
      liveBuffers: this.#live.size,
      liveBytes: this.#liveBytes,
      pooledBuffers: this.#pooledBuffers,
      pooledBytes: this.#pooledBytes,
      createdBuffers: this.#created,
    };
  }
}
