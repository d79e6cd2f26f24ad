/**
 * Kata 11, step 11.9 (reference): the GPT-4 tokenizer from tiktoken's
 * `cl100k_base` ranks — its merges recovered by re-running BPE on every token,
 * and the byte shuffle that makes its single bytes line up with ours.
 *
 * @module
 */

import { pairKey } from "./merges.ts";
import { gpt4Pattern, RegexTokenizer } from "./regex.ts";

/**
 * tiktoken's "mergeable ranks": each token's bytes → its rank (= its id).
 * The bytes are a binary string, one character per byte (`bytesKey`), since a
 * `Map` cannot key on the contents of a `Uint8Array`.
 */
export type MergeableRanks = ReadonlyMap<string, number>;

/**
 * Bytes as a binary string: one character per byte, code 0–255.
 *
 * @param bytes the bytes
 * @returns the key of these bytes in {@link MergeableRanks}
 * @example
 * ```ts
 * import { bytesKey } from "./gpt4.ts";
 * bytesKey([104, 105]); // "hi"
 * ```
 */
export function bytesKey(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** GPT-4's special tokens and their ids in `cl100k_base`. */
export const GPT4_SPECIAL_TOKENS: Readonly<Record<string, number>> = Object.freeze({
  "<|endoftext|>": 100257,
  "<|fim_prefix|>": 100258,
  "<|fim_middle|>": 100259,
  "<|fim_suffix|>": 100260,
  "<|endofprompt|>": 100276,
});

/**
 * tiktoken's BPE on one token, stopped before rank `maxRank`: start from
 * single bytes, repeatedly join the neighbours whose concatenation has the
 * lowest rank, stop when no join has a rank below `maxRank`. For a token of
 * rank r with `maxRank = r`, what is left are the two parts it was made of.
 *
 * @param ranks the mergeable ranks
 * @param token the token's bytes (binary string)
 * @param maxRank only joins of a lower rank are made
 * @returns the parts (binary strings)
 * @example
 * ```ts ignore
 * bpe(ranks, "hello", ranks.get("hello")!); // ["hel", "lo"] — hypothetical ranks
 * ```
 */
export function bpe(ranks: MergeableRanks, token: string, maxRank: number): string[] {
  const parts = [...token];
  while (parts.length >= 2) {
    let minRank = Infinity, at = -1;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = ranks.get(parts[i] + parts[i + 1]);
      if (r !== undefined && r < minRank) minRank = r, at = i;
    }
    if (at === -1 || minRank >= maxRank) break;
    parts.splice(at, 2, parts[at] + parts[at + 1]);
  }
  return parts;
}

/**
 * The merges behind the ranks: for every token longer than one byte, the two
 * parts {@link bpe} stops at below its rank; the merge is `(rank of the left
 * part, rank of the right part) → the token's rank`. Ordered by rank.
 *
 * @param ranks the mergeable ranks
 * @returns `pairKey(leftRank, rightRank) → rank`
 * @throws {Error} when a token does not split into two ranked parts
 */
export function recoverMerges(ranks: MergeableRanks): Map<string, number> {
  const merges = new Map<string, number>();
  const byRank = [...ranks].sort((x, y) => x[1] - y[1]);
  for (const [token, rank] of byRank) {
    if (token.length === 1) continue; // the 256 single bytes are not merges
    const parts = bpe(ranks, token, rank);
    if (parts.length !== 2) {
      throw new Error(`token of rank ${rank} splits into ${parts.length} parts, not 2`);
    }
    merges.set(pairKey(ranks.get(parts[0])!, ranks.get(parts[1])!), rank);
  }
  return merges;
}

/**
 * The GPT-4 tokenizer (`cl100k_base`): a {@link RegexTokenizer} with the GPT-4
 * pattern, the recovered merges and GPT-4's special tokens. Its ids are
 * tiktoken's.
 */
export class GPT4Tokenizer extends RegexTokenizer {
  /** `byteShuffle[b]` = the rank of the single byte b (not b itself in cl100k). */
  byteShuffle: number[];
  /** The inverse: `inverseByteShuffle[rank] = b`. */
  inverseByteShuffle: number[];

  /** @param ranks cl100k_base's mergeable ranks */
  constructor(ranks: MergeableRanks) {
    super(gpt4Pattern());
    this.merges = recoverMerges(ranks);
    this.byteShuffle = [];
    this.inverseByteShuffle = [];
    for (let b = 0; b < 256; b++) {
      const r = ranks.get(String.fromCharCode(b));
      if (r === undefined || r > 255) throw new Error(`byte ${b} has no rank below 256`);
      this.byteShuffle[b] = r;
      this.inverseByteShuffle[r] = b;
    }
    this.registerSpecialTokens(GPT4_SPECIAL_TOKENS); // also builds vocab
  }

  /**
   * Shuffles the bytes into cl100k's single-byte ranks, then merges.
   *
   * @param bytes the chunk's UTF-8 bytes
   * @returns cl100k ids
   */
  override encodeChunk(bytes: readonly number[]): number[] {
    return super.encodeChunk(bytes.map((b) => this.byteShuffle[b]));
  }

  /**
   * cl100k ids to text: the vocabulary's bytes unshuffled, special tokens as
   * their text, then UTF-8 with replacement.
   *
   * @param ids the ids
   * @returns the text
   */
  override decode(ids: readonly number[]): string {
    const out: number[] = [];
    for (const id of ids) {
      const bytes = this.decodeBytes([id]);
      if (this.inverseSpecialTokens.has(id)) { for (const b of bytes) out.push(b); }
      else for (const b of bytes) out.push(this.inverseByteShuffle[b]);
    }
    return new TextDecoder().decode(Uint8Array.from(out));
  }

  /**
   * Not supported: the merges come from tiktoken.
   *
   * @param _text unused
   * @param _vocabSize unused
   */
  override train(_text: string, _vocabSize: number): void {
    throw new Error("GPT4Tokenizer is pretrained: it cannot be trained");
  }
}
