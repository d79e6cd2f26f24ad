/**
 * The Mersenne Twister MT19937 (Matsumoto & Nishimura, 1998): the 32-bit engine
 * under both PyTorch's CPU generator and CPython's `random` module. Only the
 * seeding differs between them: PyTorch seeds with one 32-bit word
 * (`init_genrand`), CPython with an array of words (`init_by_array`).
 *
 * @module
 */

const N = 624;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

/** A snapshot of an {@linkcode MT19937}: the 624 state words and the read position. */
export interface MT19937State {
  /** The 624 words of the twister's state. */
  readonly words: Uint32Array;
  /** How many words of the current block were already handed out (0..624). */
  readonly index: number;
}

/**
 * The 32-bit Mersenne Twister. The state lives in a `Uint32Array`; a block of
 * 624 words is regenerated at once, so one call is a load, four shifts and a
 * bounds check.
 *
 * @example Seeded with 5489 (the C++ default), the 10000th output is 4123659995
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { MT19937 } from "./mt19937.ts";
 * const mt = new MT19937(5489);
 * let x = 0;
 * for (let i = 0; i < 10000; i++) x = mt.nextUint32();
 * equal(x, 4123659995);
 * ```
 */
export class MT19937 {
  #mt = new Uint32Array(N);
  #index = N;

  /**
   * Creates an engine seeded with `init_genrand(seed)`.
   *
   * @param seed a 32-bit seed for `init_genrand` (higher bits are dropped)
   */
  constructor(seed = 5489) {
    this.seed(seed);
  }

  /**
   * Seeds like `init_genrand` (and like `std::mt19937(seed)`): the low 32 bits
   * of `seed` only.
   *
   * @param seed an integer; taken modulo 2^32
   */
  seed(seed: number): void {
    const mt = this.#mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing bits to doubles
      mt[i] = Math.imul(1812433253, prev) + i;
    }
    this.#index = N;
  }

  /**
   * Seeds like CPython's `init_by_array(key)`, which `random.seed(int)` uses
   * with the absolute value of the seed split into 32-bit words, least
   * significant first.
   *
   * @param key the 32-bit words of the key (at least one)
   */
  seedByArray(key: ArrayLike<number>): void {
    this.seed(19650218);
    const mt = this.#mt;
    const len = key.length;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, len); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (mt[i] ^ Math.imul(prev, 1664525)) + (key[j] >>> 0) + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (mt[i] ^ Math.imul(prev, 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.#index = N;
  }

  /**
   * The next 32-bit output, tempered.
   *
   * @returns an integer in [0, 2^32)
   */
  nextUint32(): number {
    if (this.#index >= N) this.#twist();
    let y = this.#mt[this.#index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Fills `out` with consecutive outputs (the same as calling
   * {@linkcode MT19937.nextUint32} `out.length` times, only faster).
   *
   * @param out where the outputs go
   * @returns `out`
   */
  fill(out: Uint32Array): Uint32Array {
    const mt = this.#mt;
    let idx = this.#index;
    for (let o = 0; o < out.length; o++) {
      if (idx >= N) {
        this.#twist();
        idx = 0;
      }
      let y = mt[idx++];
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      out[o] = y;
    }
    this.#index = idx;
    return out;
  }

  /**
   * A copy of the state, for {@linkcode MT19937.setState}.
   *
   * @returns the words and read position
   */
  getState(): MT19937State {
    return { words: this.#mt.slice(), index: this.#index };
  }

  /**
   * Restores a state taken with {@linkcode MT19937.getState}.
   *
   * @param state 624 words and an index in 0..624
   * @throws {RangeError} when the words or the index are out of shape
   */
  setState(state: MT19937State): void {
    if (
      state.words.length !== N || !Number.isInteger(state.index) || state.index < 0 ||
      state.index > N
    ) {
      throw new RangeError(
        `Cannot restore MT19937 state: expected ${N} words and an index in 0..${N}, ` +
          `got ${state.words.length} words and index ${state.index}`,
      );
    }
    this.#mt.set(state.words);
    this.#index = state.index;
  }

  #twist(): void {
    const mt = this.#mt;
    let k = 0;
    for (; k < N - M; k++) {
      const y = (mt[k] & UPPER) | (mt[k + 1] & LOWER);
      mt[k] = mt[k + M] ^ (y >>> 1) ^ ((y & 1) * MATRIX_A);
    }
    for (; k < N - 1; k++) {
      const y = (mt[k] & UPPER) | (mt[k + 1] & LOWER);
      mt[k] = mt[k + M - N] ^ (y >>> 1) ^ ((y & 1) * MATRIX_A);
    }
    const y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) * MATRIX_A);
    this.#index = 0;
  }
}
