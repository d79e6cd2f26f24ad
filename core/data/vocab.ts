/**
 * Character vocabularies, as the makemore and GPT lectures build them:
 * `chars = sorted(list(set(text)))`, `stoi`, `itos`, `encode`, `decode`.
 *
 * @module
 */

import { checkOptions, checkString, describe } from "../validate.ts";

/** Options of {@link CharVocab.fromText}. */
export interface CharVocabOptions {
  /**
   * A boundary token that gets id 0, the others following from 1 in sorted
   * order (makemore's `.`: `stoi['.'] = 0`, `a`..`z` = 1..26). Without it,
   * ids start at 0 in sorted order (the GPT lecture).
   */
  boundary?: string;
}

/**
 * A character-level vocabulary: each distinct character (Unicode code point)
 * of a text gets an integer id, in code-point order as Python's `sorted()` gives.
 *
 * @example makemore's 27 symbols
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { CharVocab } from "./vocab.ts";
 * const vocab = CharVocab.fromText("emma\nolivia\nava", { boundary: "." });
 * equal(vocab.stoi["."], 0);
 * equal(vocab.stoi["a"], 1);
 * equal(vocab.itos[2], "e");
 * deepEqual([...vocab.encode("emma.")], [2, 5, 5, 1, 0]);
 * equal(vocab.decode([6, 4, 3, 7, 3, 1]), "olivia");
 * equal(vocab.size, 8); // ".", a, e, i, l, m, o, v
 * ```
 */
export class CharVocab {
  /** Character → id, a plain object without a prototype (`stoi["a"]`). */
  readonly stoi: Readonly<Record<string, number>>;
  /** Id → character (`itos[0]`). */
  readonly itos: readonly string[];

  /**
   * Builds a vocabulary from an explicit list of symbols, id = position.
   *
   * @param symbols the characters, each a single code point, no duplicates
   * @throws {TypeError} when a symbol is not one code point or appears twice
   */
  constructor(symbols: readonly string[]) {
    if (!Array.isArray(symbols)) {
      throw new TypeError(
        `CharVocab: symbols must be an array of one-character strings, got ${describe(symbols)}`,
      );
    }
    const stoi: Record<string, number> = Object.create(null);
    symbols.forEach((s, i) => {
      if (typeof s !== "string" || [...s].length !== 1) {
        throw new TypeError(
          `Cannot build a CharVocab: symbol ${i} is ${JSON.stringify(s)}, expected one character`,
        );
      }
      if (s in stoi) {
        throw new TypeError(
          `Cannot build a CharVocab: symbol ${JSON.stringify(s)} appears at ${stoi[s]} and ${i}`,
        );
      }
      stoi[s] = i;
    });
    this.stoi = Object.freeze(stoi);
    this.itos = Object.freeze([...symbols]);
  }

  /**
   * The vocabulary of a text: its distinct characters sorted by code point
   * (Python's `sorted(set(text))`), after an optional boundary token with id 0.
   * Newlines count as characters unless you split the text into words first
   * (as makemore does; pass `words.join("")` or the raw text with a boundary).
   *
   * @param text the text
   * @param options `boundary` (e.g. `"."`) takes id 0; makemore also drops `\n`
   *   in that case, since the boundary stands for the end of a word
   * @returns the vocabulary
   * @throws {TypeError} when the boundary is not a single character
   * @example The GPT lecture's vocabulary
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { CharVocab } from "./vocab.ts";
   * const vocab = CharVocab.fromText("hii there");
   * equal(vocab.itos.join(""), " ehirt");
   * equal(vocab.decode(vocab.encode("hii there")), "hii there");
   * ```
   */
  static fromText(text: string, options: CharVocabOptions = {}): CharVocab {
    checkString("CharVocab.fromText", "text", text);
    checkOptions("CharVocab.fromText", options, ["boundary"]);
    const set = new Set(text); // iterates code points, not UTF-16 units
    const { boundary } = options;
    if (boundary !== undefined) {
      if (typeof boundary !== "string" || [...boundary].length !== 1) {
        throw new TypeError(
          `Cannot build a CharVocab: boundary is ${
            JSON.stringify(boundary)
          }, expected one character`,
        );
      }
      set.delete(boundary);
      set.delete("\n");
    }
    const chars = [...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharVocab(boundary === undefined ? chars : [boundary, ...chars]);
  }

  /** The number of symbols (27 for names.txt with `.`, 65 for tiny shakespeare). */
  get size(): number {
    return this.itos.length;
  }

  /**
   * Text → ids.
   *
   * @param text the text; every character must be in the vocabulary
   * @returns one id per code point
   * @throws {TypeError} naming the character and its position when it is not in the vocabulary
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { CharVocab } from "./vocab.ts";
   * deepEqual([...CharVocab.fromText("abc").encode("cab")], [2, 0, 1]);
   * ```
   */
  encode(text: string): Int32Array {
    checkString("CharVocab.encode", "text", text);
    const out = new Int32Array(text.length); // upper bound; code points ≤ UTF-16 units
    let n = 0;
    for (const ch of text) {
      const id = this.stoi[ch];
      if (id === undefined) {
        throw new TypeError(
          `Cannot encode ${JSON.stringify(ch)} (U+${
            ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")
          }) at character ${n}: not in the vocabulary of ${this.size} symbols`,
        );
      }
      out[n++] = id;
    }
    return n === out.length ? out : out.slice(0, n);
  }

  /**
   * Ids → text.
   *
   * @param ids integer ids in `[0, size)`
   * @returns the text
   * @throws {RangeError} naming the id and its position when it is out of range
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { CharVocab } from "./vocab.ts";
   * equal(CharVocab.fromText("abc").decode([2, 0, 1]), "cab");
   * ```
   */
  decode(ids: ArrayLike<number>): string {
    if (
      typeof (ids as Partial<ArrayLike<number>>)?.length !== "number" || typeof ids === "string"
    ) {
      throw new TypeError(`CharVocab.decode: ids must be an array of ids, got ${describe(ids)}`);
    }
    let out = "";
    for (let i = 0; i < ids.length; i++) {
      const ch = this.itos[ids[i]];
      if (ch === undefined) {
        throw new RangeError(
          `Cannot decode id ${ids[i]} at position ${i}: the vocabulary has ids 0..${this.size - 1}`,
        );
      }
      out += ch;
    }
    return out;
  }
}
