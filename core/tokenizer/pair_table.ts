/**
 * A hash table from a pair of non-negative integers to a non-negative
 * integer, in typed arrays (open addressing, linear probing): the lookup the
 * byte-pair merge loop does for every adjacent pair, without building a
 * string or a boxed key.
 *
 * @module
 */

/**
 * A map `(a, b) → value` for integers `a, b, value ≥ 0`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { PairTable } from "./pair_table.ts";
 * const t = new PairTable(4);
 * t.set(101, 32, 256);
 * equal(t.get(101, 32), 256);
 * equal(t.get(32, 101), -1);
 * ```
 */
export class PairTable {
  #keysA: Int32Array;
  #keysB: Int32Array;
  #values: Int32Array;
  #mask: number;
  #size = 0;

  /**
   * Creates an empty table sized for `expected` entries.
   *
   * @param expected how many entries will be added (the table grows if more are)
   */
  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.#keysA = new Int32Array(cap).fill(-1);
    this.#keysB = new Int32Array(cap);
    this.#values = new Int32Array(cap);
    this.#mask = cap - 1;
  }

  /** The number of entries. */
  get size(): number {
    return this.#size;
  }

  /**
   * The value stored for `(a, b)`, or -1.
   *
   * @param a the pair's first integer
   * @param b the pair's second integer
   * @returns the value, or -1 when the pair is absent
   */
  get(a: number, b: number): number {
    const keysA = this.#keysA, mask = this.#mask;
    let i = hash(a, b) & mask;
    for (;;) {
      const k = keysA[i];
      if (k === a && this.#keysB[i] === b) return this.#values[i];
      if (k === -1) return -1;
      i = (i + 1) & mask;
    }
  }

  /**
   * Stores `value` for `(a, b)`, replacing any earlier value.
   *
   * @param a the pair's first integer (≥ 0)
   * @param b the pair's second integer (≥ 0)
   * @param value the value (≥ 0)
   */
  set(a: number, b: number, value: number): void {
    if ((this.#size + 1) * 2 > this.#keysA.length) this.#grow();
    const keysA = this.#keysA, mask = this.#mask;
    let i = hash(a, b) & mask;
    for (;;) {
      const k = keysA[i];
      if (k === -1) {
        keysA[i] = a;
        this.#keysB[i] = b;
        this.#values[i] = value;
        this.#size++;
        return;
      }
      if (k === a && this.#keysB[i] === b) {
        this.#values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  #grow(): void {
    const oldA = this.#keysA, oldB = this.#keysB, oldV = this.#values;
    const cap = oldA.length * 2;
    this.#keysA = new Int32Array(cap).fill(-1);
    this.#keysB = new Int32Array(cap);
    this.#values = new Int32Array(cap);
    this.#mask = cap - 1;
    this.#size = 0;
    for (let i = 0; i < oldA.length; i++) {
      if (oldA[i] !== -1) this.set(oldA[i], oldB[i], oldV[i]);
    }
  }
}

function hash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
}
