/**
 * The encoder's cache of chunk → token ids, keyed by a range of the text
 * being encoded: the hash is computed from the text's char codes in place and
 * a hit is confirmed by comparing characters, so a cached chunk costs no
 * substring, no string hashing by the engine, and no allocation.
 *
 * @module
 */

/** Marks a free slot (a pooled value is -(offset + 1), never this low). */
const EMPTY = -0x80000000;

/**
 * A bounded map from strings (given as `text[start, end)`) to id lists.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { ChunkCache, hashRange } from "./chunk_cache.ts";
 * const cache = new ChunkCache(16);
 * const text = "the cat the";
 * cache.set(text, 0, 3, hashRange(text, 0, 3), [1820]);
 * const out: number[] = [];
 * equal(cache.appendTo(text, 8, 11, hashRange(text, 8, 11), out), true);
 * deepEqual(out, [1820]);
 * ```
 */
export class ChunkCache {
  #keys: (string | undefined)[];
  #hashes: Int32Array;
  /** ≥ 0: the single id; < 0: `-(offset + 1)` into `#pool` (length, then ids). */
  #values: Int32Array;
  #pool = new Int32Array(1024);
  #poolSize = 0;
  #size = 0;
  readonly #limit: number;
  readonly #mask: number;

  /**
   * Creates a cache that empties itself when it holds `limit` chunks.
   *
   * @param limit the most chunks held
   */
  constructor(limit: number) {
    let cap = 16;
    while (cap < limit * 2) cap *= 2;
    this.#limit = limit;
    this.#mask = cap - 1;
    this.#keys = new Array(cap);
    this.#hashes = new Int32Array(cap);
    this.#values = new Int32Array(cap).fill(EMPTY);
  }

  /** How many chunks it holds. */
  get size(): number {
    return this.#size;
  }

  /** Forgets everything. */
  clear(): void {
    this.#keys = new Array(this.#keys.length);
    this.#values.fill(EMPTY);
    this.#poolSize = 0;
    this.#size = 0;
  }

  /**
   * Appends the cached ids of `text[start, end)` to `out`.
   *
   * @param text the text
   * @param start the chunk's start
   * @param end one past its end
   * @param hash {@link hashRange} of the chunk
   * @param out where the ids go
   * @returns whether the chunk was cached
   */
  appendTo(text: string, start: number, end: number, hash: number, out: number[]): boolean {
    const mask = this.#mask, n = end - start;
    let i = mix(hash) & mask;
    for (;;) {
      const v = this.#values[i];
      if (v === EMPTY) return false;
      if (this.#hashes[i] === hash) {
        const key = this.#keys[i]!;
        if (key.length === n) {
          let k = 0;
          while (k < n && key.charCodeAt(k) === text.charCodeAt(start + k)) k++;
          if (k === n) {
            if (v >= 0) out.push(v);
            else {
              const o = -(v + 1), pool = this.#pool, len = pool[o];
              for (let j = 1; j <= len; j++) out.push(pool[o + j]);
            }
            return true;
          }
        }
      }
      i = (i + 1) & mask;
    }
  }

  /**
   * Stores the ids of `text[start, end)` (not already cached).
   *
   * @param text the text
   * @param start the chunk's start
   * @param end one past its end
   * @param hash {@link hashRange} of the chunk
   * @param ids its token ids
   */
  set(text: string, start: number, end: number, hash: number, ids: ArrayLike<number>): void {
    if (this.#size >= this.#limit) this.clear();
    let value: number;
    if (ids.length === 1) value = ids[0];
    else {
      if (this.#poolSize + ids.length + 1 > this.#pool.length) {
        const bigger = new Int32Array(
          Math.max(this.#pool.length * 2, this.#poolSize + ids.length + 1),
        );
        bigger.set(this.#pool.subarray(0, this.#poolSize));
        this.#pool = bigger;
      }
      const o = this.#poolSize;
      this.#pool[o] = ids.length;
      for (let j = 0; j < ids.length; j++) this.#pool[o + 1 + j] = ids[j];
      this.#poolSize += ids.length + 1;
      value = -(o + 1);
    }
    const mask = this.#mask;
    let i = mix(hash) & mask;
    while (this.#values[i] !== EMPTY) i = (i + 1) & mask;
    this.#keys[i] = text.slice(start, end);
    this.#hashes[i] = hash;
    this.#values[i] = value;
    this.#size++;
  }
}

/**
 * The hash {@link ChunkCache} keys on: of the UTF-16 code units `text[start, end)`.
 *
 * @param text the text
 * @param start the first code unit
 * @param end one past the last
 * @returns a 32-bit hash
 */
export function hashRange(text: string, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return h ^ (h >>> 15);
}
