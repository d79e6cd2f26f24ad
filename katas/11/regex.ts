/**
 * Kata 11, steps 11.5–11.7: the GPT-2 and GPT-4 split patterns,
 * minbpe's `RegexTokenizer` (BPE inside the chunks of a split, never across
 * them) and special tokens.
 *
 * Replace every `todo(...)` with your code; `deno test katas/11` tells you
 * what to do next.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";

import { applyMerges, pairKey, trainMerges } from "./merges.ts";
import { Tokenizer } from "./tokenizer.ts";

/**
 * GPT-2's split (OpenAI's `encoder.py`, as minbpe writes it): contractions,
 * optional space + letters, optional space + numbers, optional space +
 * other symbols, whitespace not followed by non-space, whitespace. JavaScript
 * runs it as it stands (with the `u` flag for `\p{…}`).
 *
 * @returns a new global, Unicode RegExp
 * @example
 * ```ts
 * import { gpt2Pattern, splitChunks } from "./regex.ts";
 * splitChunks("Hello've world123", gpt2Pattern()); // ["Hello", "'ve", " world", "123"]
 * ```
 */
export function gpt2Pattern(): RegExp {
  return todo("11.5", "gpt2Pattern: GPT-2's split as a global Unicode RegExp");
}

/**
 * GPT-4's split (tiktoken's `cl100k_base`, as minbpe writes it):
 *
 *     '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+
 *
 * JavaScript's RegExp has no possessive quantifiers (`?+`, `++`), and older
 * engines have no inline `(?i:…)`: write a pattern JavaScript accepts that
 * matches exactly the same chunks (11.5 compares with Python's `regex` on
 * all of taylorswift.txt).
 *
 * @returns a new global, Unicode RegExp
 * @example
 * ```ts
 * import { gpt4Pattern, splitChunks } from "./regex.ts";
 * splitChunks("YOU'LL lol123", gpt4Pattern()); // ["YOU", "'LL", " lol", "123"]
 * ```
 */
export function gpt4Pattern(): RegExp {
  return todo("11.5", "gpt4Pattern: GPT-4's split without (?i:) and possessive quantifiers");
}

/**
 * Every match of `pattern` in `text`, in order (Python's `re.findall`).
 *
 * @param text the text
 * @param pattern the split pattern (its flags are ignored: matched with `gu`)
 * @returns the chunks
 */
export function splitChunks(text: string, pattern: RegExp): string[] {
  return todo("11.5", "splitChunks: every match of pattern in text, as re.findall");
}

/** Which special tokens `encode` may produce. */
export type AllowedSpecial = "all" | "none" | "none_raise" | ReadonlySet<string>;

/** `encode(text, "none_raise")` met a special token in the text. */
export class DisallowedSpecialTokenError extends Error {
  /** The special token found. */
  readonly token: string;
  /** @param token the special token found */
  constructor(token: string) {
    super(
      `the text contains the special token ${JSON.stringify(token)}; pass allowedSpecial ` +
        `"all" (or a set naming it) to encode it as one token, or "none" to encode it as text`,
    );
    this.name = "DisallowedSpecialTokenError";
    this.token = token;
  }
}

/**
 * Byte-level BPE inside the chunks of a split pattern, with special tokens.
 *
 * @example
 * ```ts
 * import { RegexTokenizer } from "./regex.ts";
 * const tok = new RegexTokenizer();
 * tok.train("aaabdaaabac", 256 + 3);
 * tok.encode("aaabdaaabac"); // [258, 100, 258, 97, 99]
 * ```
 */
export class RegexTokenizer extends Tokenizer {
  /** Special token id → string. */
  inverseSpecialTokens: Map<number, string> = new Map();

  /** @param pattern the split pattern (default {@link gpt4Pattern}) */
  constructor(pattern: RegExp = gpt4Pattern()) {
    super();
    this.pattern = pattern.source;
  }

  /**
   * Learns `vocabSize - 256` merges from the chunks of `text`: pairs are
   * counted inside each chunk and summed, never across two chunks.
   *
   * @param text the training text
   * @param vocabSize at least 256
   * @param verbose print each merge
   * @throws {RangeError} when vocabSize < 256
   */
  override train(text: string, vocabSize: number, verbose = false): void {
    todo("11.6", "RegexTokenizer.train: trainMerges on the chunks' bytes, merges, buildVocab()");
  }

  /**
   * One chunk's bytes to token ids (the merges applied).
   *
   * @param bytes the chunk's UTF-8 bytes
   * @returns the ids
   */
  encodeChunk(bytes: readonly number[]): number[] {
    return todo("11.6", "encodeChunk: applyMerges to one chunk's bytes");
  }

  /**
   * Text to ids, special tokens treated as ordinary text.
   *
   * @param text the text
   * @returns the ids
   */
  encodeOrdinary(text: string): number[] {
    return todo("11.6", "encodeOrdinary: split, encodeChunk each chunk's bytes, concatenate");
  }

  /**
   * Adds special tokens (string → id) and rebuilds the vocabulary.
   *
   * @param specials e.g. `{ "<|endoftext|>": 100257 }`
   */
  registerSpecialTokens(specials: Record<string, number>): void {
    todo(
      "11.7",
      "registerSpecialTokens: fill specialTokens and inverseSpecialTokens, buildVocab()",
    );
  }

  /**
   * Text to ids. `allowedSpecial` says which special tokens in the text become
   * their one id: `"all"`, a set of them, `"none"` (all encoded as ordinary
   * text), or `"none_raise"` (the default, tiktoken's): none, and an error if
   * the text holds any.
   *
   * @param text the text
   * @param allowedSpecial `"all"`, `"none"`, `"none_raise"` or a set of special tokens
   * @returns the ids
   * @throws {DisallowedSpecialTokenError} under `"none_raise"` when the text holds a special token
   */
  override encode(text: string, allowedSpecial: AllowedSpecial = "none_raise"): number[] {
    return todo(
      "11.7",
      "encode: find the allowed special tokens first, encodeOrdinary the text between",
    );
  }

  /**
   * Replaces pattern, special tokens and merges from a model file.
   *
   * @param model the file's text
   */
  override load(model: string): void {
    todo("11.8", "RegexTokenizer.load: super.load, then inverseSpecialTokens");
  }
}
