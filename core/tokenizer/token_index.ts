/**
 * Finds a token's id from its bytes (any byte range) without building
 * strings: a polynomial hash of the bytes, an open-addressing table of
 * (hash → id), and a byte comparison to confirm. Used to derive the merge
 * table of a rank file, which asks this for every prefix and suffix of every
 * token.
 *
 * @module
 */

const BASE = 0x01000193;

/**
 * Token bytes → id.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { TokenIndex } from "./token_index.ts";
 * const index = new TokenIndex([new Uint8Array([104]), new Uint8Array([104, 105])]);
 * const hi = new Uint8Array([104, 105]);
 * equal(index.find(hi, 0, 2), 1);
 * equal(index.find(hi, 1, 2), -1);
 * ```
 */
export class TokenIndex {
  readonly #tokens: readonly Uint8Array[];
  readonly #slots: Int32Array;
  readonly #hashes: Int32Array;
  readonly #mask: number;

  /**
   * Indexes `tokens` (id = position in the array).
   *
   * @param tokens the token bytes by id
   */
  constructor(tokens: readonly Uint8Array[]) {
    this.#tokens = tokens;
    let cap = 16;
    while (cap < tokens.length * 2) cap *= 2;
    this.#slots = new Int32Array(cap).fill(-1);
    this.#hashes = new Int32Array(cap);
    this.#mask = cap - 1;
    for (let id = 0; id < tokens.length; id++) {
      const t = tokens[id];
      const h = hashBytes(t, 0, t.length);
      let i = mix(h) & this.#mask;
      while (this.#slots[i] !== -1) i = (i + 1) & this.#mask;
      this.#slots[i] = id;
      this.#hashes[i] = h;
    }
  }

  /**
   * The id of the token whose bytes are `bytes[start, end)`, or -1.
   *
   * @param bytes the bytes
   * @param start the first byte
   * @param end one past the last byte
   * @param hash their hash if already known (see {@link hashBytes})
   * @returns the id of the first token indexed with these bytes, or -1
   */
  find(bytes: Uint8Array, start: number, end: number, hash = hashBytes(bytes, start, end)): number {
    const slots = this.#slots, mask = this.#mask, n = end - start;
    let i = mix(hash) & mask;
    for (;;) {
      const id = slots[i];
      if (id === -1) return -1;
      if (this.#hashes[i] === hash) {
        const t = this.#tokens[id];
        if (t.length === n) {
          let k = 0;
          while (k < n && t[k] === bytes[start + k]) k++;
          if (k === n) return id;
        }
      }
      i = (i + 1) & mask;
    }
  }
}

/**
 * The polynomial hash (mod 2^32) that {@link TokenIndex} uses: prefix
 * hashes combine, so a suffix's hash is `P[n] - P[s]·BASE^(n-s)`.
 *
 * @param bytes the bytes
 * @param start the first byte
 * @param end one past the last byte
 * @returns the hash as a signed 32-bit integer
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, BASE) + bytes[i] + 1) | 0;
  return h;
}

/**
 * The hashes of every prefix and suffix of `bytes`, into `prefix` and
 * `suffix` (index `s` = the split after `s` bytes).
 *
 * @param bytes a token's bytes
 * @param prefix receives `hash(bytes[0, s))` at `s`
 * @param suffix receives `hash(bytes[s, n))` at `s`
 */
export function splitHashes(bytes: Uint8Array, prefix: Int32Array, suffix: Int32Array): void {
  const n = bytes.length;
  prefix[0] = 0;
  for (let i = 0; i < n; i++) prefix[i + 1] = (Math.imul(prefix[i], BASE) + bytes[i] + 1) | 0;
  let pow = 1;
  for (let s = n; s >= 0; s--) {
    suffix[s] = (prefix[n] - Math.imul(prefix[s], pow)) | 0;
    pow = Math.imul(pow, BASE);
  }
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return h ^ (h >>> 16);
}
