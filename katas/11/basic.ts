/**
 * Kata 11, step 11.3: minbpe's `BasicTokenizer` — byte-level BPE on the whole
 * text, no split pattern, no special tokens. Replace every `todo(...)` with
 * your code; `deno test katas/11` tells you what to do next.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { applyMerges, pairKey, trainMerges } from "./merges.ts";
import { Tokenizer } from "./tokenizer.ts";

/**
 * Byte-level BPE on the text as one sequence.
 *
 * @example
 * ```ts ignore
 * const tok = new BasicTokenizer();
 * tok.train("aaabdaaabac", 256 + 3);
 * tok.encode("aaabdaaabac"); // [258, 100, 258, 97, 99]
 * ```
 */
export class BasicTokenizer extends Tokenizer {
  /**
   * Learns `vocabSize - 256` merges from the UTF-8 bytes of `text`.
   *
   * @param text the training text
   * @param vocabSize at least 256
   * @param verbose print each merge
   * @throws {RangeError} when vocabSize < 256
   */
  override train(text: string, vocabSize: number, verbose = false): void {
    todo("11.3", "BasicTokenizer.train: trainMerges on the bytes, fill this.merges, buildVocab()");
  }

  /**
   * Text to token ids: its UTF-8 bytes with the merges applied.
   *
   * @param text the text
   * @returns the ids
   */
  override encode(text: string): number[] {
    return todo("11.3", "BasicTokenizer.encode: applyMerges to the UTF-8 bytes");
  }
}
