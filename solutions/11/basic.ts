/**
 * Kata 11, step 11.3 (reference): minbpe's `BasicTokenizer` — byte-level BPE
 * on the whole text, no split pattern, no special tokens.
 *
 * @module
 */

import { applyMerges, pairKey, trainMerges } from "./merges.ts";
import { Tokenizer } from "./tokenizer.ts";

/**
 * Byte-level BPE on the text as one sequence.
 *
 * @example
 * ```ts
 * import { BasicTokenizer } from "./basic.ts";
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
    if (!(vocabSize >= 256)) throw new RangeError(`vocabSize must be >= 256, got ${vocabSize}`);
    const bytes = [...new TextEncoder().encode(text)];
    const pairs = trainMerges([bytes], vocabSize - 256, { verbose });
    this.merges = new Map(pairs.map(([a, b], i) => [pairKey(a, b), 256 + i]));
    this.buildVocab();
  }

  /**
   * Text to token ids: its UTF-8 bytes with the merges applied.
   *
   * @param text the text
   * @returns the ids
   */
  override encode(text: string): number[] {
    return applyMerges([...new TextEncoder().encode(text)], this.merges);
  }
}
