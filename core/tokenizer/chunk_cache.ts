/**
 * The encoder's cache of chunk → token ids, keyed by a range of the text
 * being encoded: the hash is computed from the text's char codes in place and
 * a hit is confirmed by comparing characters, so a cached chunk costs no
 * substring, no string hashing by the engine, and no allocation.
 *
 * @module
 */

/**
 * A bounded map from strings to id lists, looked up by a range `text[start, end)`.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { ChunkCache, hashRange } from "./chunk_cache.ts";
 * const cache = new ChunkCache(16);
 * const text = "the cat the";
 * cache.set("the", hashRange("the", 0, 3), [1820]);
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
  /** A slot is in use when its generation is the current one; clear() starts a new one. */
  #generations: Int32Array;
  #generation = 1;
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
    this.#values = new Int32Array(cap);
    this.#generations = new Int32Array(cap);
  }

  /** How many chunks it holds. */
  get size(): number {
    return this.#size;
  }

  /** Forgets everything. */
  clear(): void {
    if (++this.#generation === 0x7fffffff) {
      this.#generation = 1;
      this.#generations.fill(0);
    }
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
      if (this.#generations[i] !== this.#generation) return false;
      if (this.#hashes[i] === hash) {
        const v = this.#values[i];
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
   * Stores the ids of a chunk (not already cached).
   *
   * @param key the chunk
   * @param hash {@link hashRange} of the chunk
   * @param ids an array whose elements from `from` on are the chunk's ids
   * @param from where the chunk's ids start in `ids`
   */
  set(key: string, hash: number, ids: ArrayLike<number>, from = 0): void {
    if (this.#size >= this.#limit) this.clear();
    const count = ids.length - from;
    let value: number;
    if (count === 1) value = ids[from];
    else {
      if (this.#poolSize + count + 1 > this.#pool.length) {
        const bigger = new Int32Array(Math.max(this.#pool.length * 2, this.#poolSize + count + 1));
        bigger.set(this.#pool.subarray(0, this.#poolSize));
        this.#pool = bigger;
      }
      const o = this.#poolSize;
      this.#pool[o] = count;
      for (let j = 0; j < count; j++) this.#pool[o + 1 + j] = ids[from + j];
      this.#poolSize += count + 1;
      value = -(o + 1);
    }
    const mask = this.#mask;
    let i = mix(hash) & mask;
    while (this.#generations[i] === this.#generation) i = (i + 1) & mask;
    this.#generations[i] = this.#generation;
    this.#keys[i] = key;
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
